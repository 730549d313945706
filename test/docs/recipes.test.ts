import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadAgent } from '../../src/agent/load.ts';
import { missingKeys, runProblems, voiceIdWarnings } from '../../src/cli/agent-checks.ts';
import { parseScenario } from '../../src/scenarios/load.ts';
import { spellOut } from '../../src/tools/spelling.ts';
import { webhookTool } from '../../src/tools/webhook.ts';
import { ROOT, runParley, tempDir } from '../helpers/cli.ts';
import { toolContext } from '../helpers/tool-context.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';

// AGENTS.md's recipes are what a coding agent copies: each agent.yaml must pass what `parley check`
// checks (the schema, the run checks, the voice id), each .env.example line must name every key
// the agent needs, and the clinic's scenario must pass `parley test` as written.

const text = readFileSync(join(ROOT, 'AGENTS.md'), 'utf8');
const section = text.slice(text.indexOf('## Three briefs, three agents'), text.indexOf('## More recipes'));

interface Recipe {
  title: string;
  yaml: string;
  env: string[];
  scenarios: string[];
}

function recipes(): Recipe[] {
  return section
    .split(/^### /m)
    .slice(1)
    .map((part) => {
      const blocks = [...part.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
      const envLine = /`\.env\.example`:([\s\S]*?)(?:\n\n|$)/.exec(part)?.[1] ?? '';
      return {
        title: part.split('\n')[0]!,
        yaml: blocks.find((b) => /^persona:/m.test(b)) ?? '',
        env: [...envLine.matchAll(/`([A-Z][A-Z0-9_]*)=`/g)].map((m) => m[1]!),
        scenarios: blocks.filter((b) => /^caller:/m.test(b)),
      };
    });
}

/** The recipe as an agent folder: its agent.yaml, a knowledge/ document, a persona.md if it names one. */
function folder(r: Recipe): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'knowledge'));
  writeFileSync(join(dir, 'knowledge', 'prices.md'), '# Prices\nA sports massage costs 45 pounds. An assessment costs 60 pounds.\n');
  writeFileSync(join(dir, 'agent.yaml'), r.yaml);
  if (/promptFile: persona\.md/.test(r.yaml)) writeFileSync(join(dir, 'persona.md'), 'You are a helpful assistant.\n');
  return dir;
}

describe('AGENTS.md recipes', () => {
  const all = recipes();

  it('has the three briefs, each a whole agent with its .env.example', () => {
    assert.deepEqual(all.map((r) => r.title.split(':')[0]), ['Sales', 'Clinic', 'Support line']);
    for (const r of all) {
      assert.ok(r.yaml, `${r.title}: no agent.yaml block`);
      assert.ok(r.env.length, `${r.title}: no .env.example line`);
    }
  });

  it('each agent passes parley check’s checks, with no voice id warning', async () => {
    for (const r of all) {
      const agent = await loadAgent(folder(r), { checks: runProblems }).catch((e: Error) => assert.fail(`${r.title}: ${e.message}`));
      assert.deepEqual(voiceIdWarnings(agent.config), [], r.title);
    }
  });

  it('each .env.example line names exactly the variables the agent needs', async () => {
    for (const r of all) {
      const agent = await loadAgent(folder(r));
      const needed = missingKeys(agent.config, {}).map((k) => k.name).sort();
      assert.deepEqual([...new Set(r.env)].sort(), needed, r.title);
    }
  });

  it('the support line’s account lookup waits until the email was spelled back and confirmed (collectFields)', async () => {
    const support = all.find((r) => r.title.startsWith('Support line'))!;
    const agent = await loadAgent(folder(support));
    const tool = agent.config.tools.find((t) => typeof t === 'object' && t.type === 'webhook' && t.name === 'account_lookup');
    assert.ok(tool && typeof tool === 'object' && tool.type === 'webhook');
    const receiver = await startWebhookReceiver(() => ({ status: 200, body: { plan: 'Fibre 500' } }));
    try {
      const transcript: { role: 'agent' | 'caller'; text: string }[] = [{ role: 'caller', text: 'My email is jan.kowalski@example.com' }];
      const { ctx } = toolContext({ agent, transcript: () => transcript, env: { ACCOUNT_API_URL: receiver.url, ACCOUNT_API_TOKEN: 't0ken' } });
      const lookup = webhookTool(ctx, tool);
      const refused = await lookup.run({ email: 'jan.kowalski@example.com' }, AbortSignal.timeout(5000), 'c1');
      assert.match(refused.error ?? '', /spell it back letter by letter .* for email before calling account_lookup/);
      assert.equal(receiver.received.length, 0, 'nothing is sent before the read-back');
      transcript.push({ role: 'agent', text: `So that is ${spellOut('jan.kowalski@example.com')}?` }, { role: 'caller', text: 'Yes.' });
      const sent = await lookup.run({ email: 'jan.kowalski@example.com' }, AbortSignal.timeout(5000), 'c2');
      assert.equal(sent.error, undefined, JSON.stringify(sent));
      assert.equal(receiver.received.length, 1);
    } finally {
      await receiver.close();
    }
  });

  it('the clinic’s scenario parses against its agent and passes parley test', async () => {
    const clinic = all.find((r) => r.title.startsWith('Clinic'))!;
    assert.equal(clinic.scenarios.length, 1);
    const dir = folder(clinic);
    const agent = await loadAgent(dir);
    const { problems } = parseScenario(clinic.scenarios[0]!, 'tests/no-medical-advice.yaml', agent);
    assert.deepEqual(problems, []);
    assert.equal((parse(clinic.scenarios[0]!) as { caller: { turns: { expect: { guarded: string } }[] } }).caller.turns[0]!.expect.guarded, 'medical');
    mkdirSync(join(dir, 'tests'));
    writeFileSync(join(dir, 'tests', 'no-medical-advice.yaml'), clinic.scenarios[0]!);
    const r = await runParley(['test', dir], { env: { PARLEY_DATABASE_URL: `file:${join(tempDir(), 'p.db')}` } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 passed/);
  });
});
