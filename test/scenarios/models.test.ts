import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LanguageModel } from 'ai';
import { loadAgent } from '../../src/agent/load.ts';
import { agentModels } from '../../src/llm/agent-models.ts';
import { ModelConfigError } from '../../src/llm/model.ts';
import { scenarioModels } from '../../src/scenarios/models.ts';
import { EXAMPLE } from '../helpers/cli.ts';

// A rubric is judged by a model only if one is at hand: `parley test` never downloads the
// built-in local model to judge one (the rubric is "not judged" instead).

describe('scenario models', () => {
  it('ask the agent models for the judge without a download, and reuse them for the agent', async () => {
    const asked: ({ download?: boolean } | undefined)[] = [];
    const model = { modelId: 'm' } as unknown as LanguageModel;
    const models = scenarioModels(async (o) => {
      asked.push(o);
      return [model];
    }, {});
    assert.equal(await models.judge(), model);
    assert.equal((await models.agent())[0], model);
    assert.deepEqual(asked, [{ download: false }], 'the agent reuses what the judge opened');
  });

  it('leave the judge unresolved when the local model is not on disk, and let the agent still ask for it', async () => {
    const asked: ({ download?: boolean } | undefined)[] = [];
    const models = scenarioModels(async (o) => {
      asked.push(o);
      if (o?.download === false) throw new ModelConfigError('local:default is not downloaded');
      return [];
    }, {});
    await assert.rejects(models.judge(), ModelConfigError);
    await models.agent();
    assert.deepEqual(asked, [{ download: false }, undefined]);
  });

  it('agentModels with download: false refuses a local model that is not on disk, naming the pull command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-models-'));
    try {
      const agent = await loadAgent(EXAMPLE);
      await assert.rejects(agentModels(agent, { PARLEY_LLM: 'local:default', PARLEY_MODELS_DIR: dir }, { download: false }), (e: Error) => {
        assert.ok(e instanceof ModelConfigError);
        assert.match(e.message, /local:default is not downloaded .*parley models pull local:default/);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a model whose base URL is an unset ${NAME}', () => {
  it('is reported as missing by name (a rubric is then not judged), not as "Invalid URL"', async () => {
    const { resolveModel } = await import('../../src/llm/model.ts');
    const { MissingSecretError } = await import('../../src/agent/secrets.ts');
    const { isModelMissing } = await import('../../src/scenarios/models.ts');
    assert.throws(() => resolveModel({ spec: 'openai-compatible:llama', baseURL: '${VLLM_BASE_URL}' }, {}), (e: Error) => {
      assert.ok(e instanceof MissingSecretError && isModelMissing(e));
      assert.match(e.message, /VLLM_BASE_URL/);
      return true;
    });
  });
});
