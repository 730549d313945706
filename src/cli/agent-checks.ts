import { existsSync } from 'node:fs';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { isAbsolute, join } from 'node:path';
import type { FieldProblem } from '../agent/load.ts';
import type { AgentFileData } from '../agent/schema.ts';
import { secretRefs } from '../agent/secrets.ts';
import { LOCAL_MODELS, localModelFile } from '../llm/local-models.ts';
import { parseModelSpec, PROVIDERS } from '../llm/providers.ts';
import { didYouMeanHint } from '../util/did-you-mean.ts';
import { speechSpecProblem, VENDORS } from '../speech/registry.ts';

// What `parley check` asks beyond the schema: would this agent actually start? Each answer is a
// field problem (pinned to its line by the loader) or a warning about the environment.

/** Problems that make the agent fail when it runs, though the file's shape is valid. */
export function runProblems(config: AgentFileData, dir: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  const model = (path: (string | number)[], spec: string) => {
    try {
      const { provider, model: name } = parseModelSpec(spec);
      if (provider === 'local' && !name.endsWith('.gguf') && !LOCAL_MODELS[name]) {
        out.push({ path, message: `unknown local model "${name}"${didYouMeanHint(name, Object.keys(LOCAL_MODELS))}; use local:default or local:/path/to/model.gguf` });
      } else if (provider === 'local' && name.endsWith('.gguf') && !existsSync(localModelFile(name, process.env))) {
        out.push({ path, message: `model file not found: ${localModelFile(name, process.env)} (a relative path is read from the working directory)` });
      }
    } catch (e) {
      out.push({ path, message: (e as Error).message.replace(/ \(set brain\.llm in agent\.yaml or PARLEY_LLM\)$/, '') });
    }
  };
  model(['brain', 'llm'], config.brain.llm);
  config.brain.fallback.forEach((spec, i) => model(['brain', 'fallback', i], spec));
  if (config.knowledge.embeddings) model(['knowledge', 'embeddings', 'model'], config.knowledge.embeddings.model);

  const speech = (path: (string | number)[], spec: string, kind: 'stt' | 'tts') => {
    const problem = speechSpecProblem(spec, kind);
    if (problem) out.push({ path, message: problem });
  };
  speech(['voice', 'tts'], config.voice.tts, 'tts');
  config.voice.fallback.forEach((v, i) => speech(['voice', 'fallback', i, 'tts'], v.tts, 'tts'));
  speech(['listen', 'stt'], config.listen.stt, 'stt');

  config.knowledge.sources.forEach((source, i) => {
    if (/^https?:\/\//i.test(source)) return;
    const path = isAbsolute(source) ? source : join(dir, source);
    if (!existsSync(path)) out.push({ path: ['knowledge', 'sources', i], message: `not found: ${source} (relative to the agent folder); create it, or remove it from knowledge.sources` });
  });

  config.tools.forEach((t, i) => {
    if (t.type !== 'transfer') return;
    // The schema checks the E.164 shape; this checks the number could exist (its country's lengths and prefixes).
    if (t.number && !isValidPhoneNumber(t.number)) out.push({ path: ['tools', i, 'number'], message: `${t.number} is not a valid phone number` });
    t.destinations?.forEach((d, j) => {
      if (!isValidPhoneNumber(d.number)) out.push({ path: ['tools', i, 'destinations', j, 'number'], message: `${d.number} is not a valid phone number` });
      for (const [day, ranges] of Object.entries(d.hours ?? {})) {
        (ranges ?? []).forEach((r, k) => {
          if (r.slice(0, 5) === r.slice(6)) out.push({ path: ['tools', i, 'destinations', j, 'hours', day, k], message: `${r} opens and closes at the same time` });
        });
      }
    });
  });
  return out;
}

/** Warnings about the phone tools: they act only on phone calls. */
export function phoneToolWarnings(config: AgentFileData): string[] {
  if (config.channels.phone?.number) return [];
  return config.tools.flatMap((t) =>
    t.type === 'transfer' || t.type === 'press_keys' ? [`the ${t.type} tool works only on phone calls and this agent has no channels.phone.number; on the web it tells the caller it cannot`] : [],
  );
}

/** Environment variables the agent needs and this environment lacks, each with what needs it. */
export function missingKeys(config: AgentFileData, env: NodeJS.ProcessEnv): { name: string; neededBy: string }[] {
  const out = new Map<string, string>();
  const need = (name: string | undefined, neededBy: string) => {
    if (name && !env[name] && !out.has(name)) out.set(name, neededBy);
  };
  const llmKey = (spec: string, field: string, explicitKey?: string) => {
    try {
      const info = PROVIDERS[parseModelSpec(spec).provider];
      if (info && info.keyRequired && !explicitKey) need(info.keyEnv, `${field} ${spec}`);
    } catch {
      // reported as a problem already
    }
  };
  if (!env.PARLEY_LLM) {
    llmKey(config.brain.llm, 'brain.llm', config.brain.apiKey);
    config.brain.fallback.forEach((spec, i) => llmKey(spec, `brain.fallback.${i}`));
  }
  const vendorKey = (spec: string, field: string) => {
    const provider = spec.split(':')[0]?.toLowerCase() as keyof typeof VENDORS;
    if (VENDORS[provider]) need(VENDORS[provider].key, `${field} ${spec}`);
  };
  vendorKey(config.voice.tts, 'voice.tts');
  vendorKey(config.listen.stt, 'listen.stt');
  for (const name of secretRefs(JSON.stringify(config))) need(name, 'a ${' + name + '} in agent.yaml');
  return [...out].map(([name, neededBy]) => ({ name, neededBy }));
}
