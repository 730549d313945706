import { existsSync } from 'node:fs';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { isAbsolute, join } from 'node:path';
import { collectSpec } from '../agent/collect.ts';
import type { FieldProblem } from '../agent/load.ts';
import type { AgentFileData } from '../agent/schema.ts';
import { misplacedEnvRefs } from '../agent/env-fields.ts';
import { E164 } from '../agent/phone-number.ts';
import { resolveSecrets, secretRefs } from '../agent/secrets.ts';
import { formatOfPath } from '../knowledge/document.ts';
import { LOCAL_MODELS, localModelFile } from '../llm/local-models.ts';
import { modelChoice } from '../llm/model.ts';
import { parseModelSpec, PROVIDERS } from '../llm/providers.ts';
import { didYouMeanHint } from '../util/did-you-mean.ts';
import { speechEngine, speechSpecProblem, VENDORS } from '../speech/registry.ts';
import { voiceIdProblem } from '../speech/voices/voice-id.ts';
import { isFluxModel } from '../speech/stt/deepgram-flux.ts';
import { sttLanguage } from '../speech/stt-language.ts';
import { hasOwnWords, KNOWN_LANGUAGES } from '../util/language.ts';

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

  for (const { path, names } of misplacedEnvRefs(config)) {
    out.push({ path, message: `\${${names[0]}} is not filled in from the environment here: only the fields docs/agent-file.md § Secrets lists take \${NAME}; write the value itself` });
  }

  config.knowledge.sources.forEach((entry, i) => {
    // A URL entry's page and its stand-in file are checked like plain entries.
    const parts: [(string | number)[], string | undefined][] = typeof entry === 'string' ? [[[], entry]] : [[['url'], entry.url], [['offline'], entry.offline]];
    for (const [sub, source] of parts) {
      if (source === undefined) continue;
      const at = ['knowledge', 'sources', i, ...sub];
      if (secretRefs(source).length) {
        out.push({ path: at, message: `knowledge sources take no \${NAME} (they are read when the agent loads and indexed, so a source that changed with the environment would leave a stale index); write the path or URL itself${typeof entry === 'string' ? '' : ' (a page tests must not fetch takes offline: a stand-in file)'}` });
        continue;
      }
      if (/^https?:\/\//i.test(source)) continue;
      const path = isAbsolute(source) ? source : join(dir, source);
      if (!existsSync(path)) out.push({ path: at, message: `not found: ${source} (relative to the agent folder); create it, or remove it from knowledge.sources` });
      else if (sub[0] === 'offline' && !formatOfPath(source)) out.push({ path: at, message: `${source}: a stand-in for a page is a .md, .txt, .html or .pdf file` });
    }
  });

  const stt = config.listen.stt.toLowerCase();
  const flux = stt.startsWith('deepgram:') && isFluxModel(stt.slice('deepgram:'.length));
  if (config.listen.turn.detector === 'flux' && !flux) {
    out.push({ path: ['listen', 'turn', 'detector'], message: `flux needs a recogniser that ends turns itself (listen.stt: deepgram:flux-general-en), not ${config.listen.stt}; use auto or text` });
  }
  if (config.listen.turn.flux && !flux) {
    out.push({ path: ['listen', 'turn', 'flux'], message: `these are Deepgram Flux settings, but listen.stt is ${config.listen.stt}; remove them or use deepgram:flux-general-en` });
  }

  // A ${NAME} number is checked here when the variable is set (unset, check warns about it).
  const own = config.channels.phone?.number;
  if (own && secretRefs(own).length) {
    const value = resolveSecretsOrNone(own, process.env);
    if (value !== undefined && !E164.test(value)) out.push({ path: ['channels', 'phone', 'number'], message: `${own} holds "${value}", not an E.164 phone number (e.g. +14155550123)` });
  }

  config.tools.forEach((t, i) => {
    if (t.type !== 'transfer') return;
    // An offer the agent cannot make would be dropped from the note at run time; refuse it here instead.
    t.offer?.forEach((o, k) => {
      if (o === 'booking' && !config.calendar) out.push({ path: ['tools', i, 'offer', k], message: 'booking needs a calendar (add calendar:, or remove booking from offer)' });
      if (o === 'callBack' && !config.collect.some((c) => collectSpec(c, config.timeZone).type === 'phone')) {
        out.push({ path: ['tools', i, 'offer', k], message: 'callBack needs a phone field in collect to save the number with save_lead (add phone to collect, or remove callBack from offer)' });
      }
    });
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

/** An environment variable the agent needs and this environment lacks; `blocksLoading`: unset, the server does not load the agent at all. */
export interface MissingKey {
  name: string;
  neededBy: string;
  blocksLoading?: true;
}

/** Environment variables the agent needs and this environment lacks, each with what needs it. */
export function missingKeys(config: AgentFileData, env: NodeJS.ProcessEnv): MissingKey[] {
  const out = new Map<string, MissingKey>();
  const need = (name: string | undefined, neededBy: string, blocksLoading?: true) => {
    if (name && !env[name] && !out.has(name)) out.set(name, { name, neededBy, ...(blocksLoading ? { blocksLoading } : {}) });
  };
  // Resolved when the agent loads (budget.ts, llm/model.ts): unset, the server skips the agent.
  const atLoad = (text: unknown, field: string) => {
    if (typeof text === 'string') for (const n of secretRefs(text)) need(n, field, true);
  };
  atLoad(config.limits.dailyBudget?.usdPerUnit, 'limits.dailyBudget.usdPerUnit');
  if (!env.PARLEY_LLM && !config.brain.llm.startsWith('local:')) {
    if (!env.PARLEY_LLM_BASE_URL) atLoad(config.brain.baseURL, 'brain.baseURL');
    if (!env.PARLEY_LLM_API_KEY) atLoad(config.brain.apiKey, 'brain.apiKey');
  }
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
  if (config.knowledge.embeddings) llmKey(config.knowledge.embeddings.model, 'knowledge.embeddings.model');
  if (config.analysis?.model) llmKey(config.analysis.model, 'analysis.model', config.analysis.apiKey);
  const vendorKey = (spec: string, field: string) => {
    const provider = spec.split(':')[0]?.toLowerCase() as keyof typeof VENDORS;
    if (VENDORS[provider]) need(VENDORS[provider].key, `${field} ${spec}`);
  };
  vendorKey(config.voice.tts, 'voice.tts');
  config.voice.fallback.forEach((v, i) => vendorKey(v.tts, `voice.fallback.${i}.tts`));
  vendorKey(config.listen.stt, 'listen.stt');
  // channels.phone's account fields default to ${TWILIO_ACCOUNT_SID} / ${TWILIO_AUTH_TOKEN}, written or not: name the channel, not "in agent.yaml".
  const phoneAccount = config.channels.phone ? new Set([...secretRefs(config.channels.phone.accountSid ?? ''), ...secretRefs(config.channels.phone.authToken ?? '')]) : new Set<string>();
  for (const name of secretRefs(JSON.stringify(config))) need(name, phoneAccount.has(name) ? 'needed by channels.phone' : 'a ${' + name + '} in agent.yaml');
  return [...out.values()];
}

/** voice.voiceId values that cannot be right for their provider (a name for an id, a wrong shape), as warnings. */
export function voiceIdWarnings(config: AgentFileData): string[] {
  const voices = [{ field: 'voice.voiceId', ...config.voice }, ...config.voice.fallback.map((v, i) => ({ field: `voice.fallback.${i}.voiceId`, ...v }))];
  return voices.flatMap((v) => {
    const problem = v.voiceId ? voiceIdProblem(v.tts, v.voiceId) : undefined;
    return problem ? [`${v.field}: ${problem}`] : [];
  });
}

/**
 * Measured by bench/end-of-turn/phone-8k.ts: local:pocketsphinx's word accuracy on flite speech,
 * as it is (16 kHz) and after a phone call's 8 kHz μ-law.
 */
export const POCKETSPHINX_ACCURACY = { wideband: 91, phone: 0 } as const;

/** Warnings for an agent on the phone whose recogniser is not fit for 8 kHz audio. */
export function phoneListeningWarnings(config: AgentFileData, env: NodeJS.ProcessEnv): string[] {
  if (!config.channels.phone) return [];
  const { spec, note } = speechEngine(config.listen.stt, 'stt', env);
  if (spec !== 'local:pocketsphinx') return [];
  const why = note ? ` (${note})` : '';
  // A phone-fit recogniser only missing its key: the fix is the key, not another recogniser.
  const fallback = config.listen.stt !== 'local:pocketsphinx';
  return [
    `channels.phone is set, but the recogniser is local:pocketsphinx${why}, which hears almost nothing of phone audio: ` +
      `${POCKETSPHINX_ACCURACY.phone} % of words right on speech sent through 8 kHz μ-law, against ${POCKETSPHINX_ACCURACY.wideband} % at 16 kHz (bench/end-of-turn/phone-8k.ts). ` +
      (fallback
        ? `Set the key where the server runs so ${config.listen.stt} hears the calls; see docs/phone.md.`
        : 'Use a recogniser fit for the phone (deepgram:flux-general-en, deepgram:nova-3 or deepgram:nova-2-phonecall: 8 kHz goes to Deepgram as it is) for listen.stt; see docs/phone.md.'),
  ];
}

/** Warnings about the recogniser and persona.language: an engine that cannot hear the agent's language, or only its US English; a language Parley has no words of its own for. */
export function languageWarnings(config: AgentFileData): string[] {
  const { warning } = sttLanguage(config.listen.stt, config.persona.language);
  const warnings = warning ? [`listen.stt: ${warning}`] : [];
  if (!hasOwnWords(config.persona.language)) {
    warnings.push(
      `persona.language: Parley has no words of its own for "${config.persona.language}" (it has ${KNOWN_LANGUAGES.join(', ')}): questions without "?", booking talk, stemming, guardrail words and default lines use English — see docs/knowledge.md#languages`,
    );
  }
  return warnings;
}

/** events.webhooks without a secret: sent unsigned, which is right for Make or Zapier hooks but must be a choice. */
export function unsignedWebhookWarnings(config: AgentFileData): string[] {
  return config.events.webhooks.flatMap((w, i) =>
    w.secret ? [] : [`events.webhooks.${i} (${w.url}) has no secret: its deliveries go unsigned, so the receiver cannot verify they came from Parley; add secret: \${ENV_NAME} (a whsec_… from parley events secret) unless the receiver ignores signatures`],
  );
}

/** Every warning `parley check` prints about an agent that loads: voices, phone listening and tools, the recogniser's language, unsigned webhooks. */
export function agentWarnings(config: AgentFileData, env: NodeJS.ProcessEnv): string[] {
  return [...voiceIdWarnings(config), ...phoneListeningWarnings(config, env), ...phoneToolWarnings(config), ...languageWarnings(config), ...unsignedWebhookWarnings(config), ...serverUrlWarnings(config, env)];
}

/** Self-hosted servers whose OpenAI-compatible API lives under /v1 (vLLM, llama.cpp's llama-server, Ollama). */
const SERVES_V1 = new Set(['vllm', 'llamacpp', 'ollama']);

/** A self-hosted model's server URL without /v1: every request would go to …/chat/completions and get a 404 (support LOG entry 3). */
export function serverUrlWarnings(config: AgentFileData, env: NodeJS.ProcessEnv): string[] {
  const choice = modelChoice(config.brain, env);
  let provider: string;
  try {
    provider = parseModelSpec(choice.spec).provider;
  } catch {
    return []; // reported as a problem already
  }
  if (!SERVES_V1.has(provider) || !choice.baseURL) return [];
  const url = resolveSecretsOrNone(choice.baseURL, env);
  if (!url || /\/v1\/?$/.test(url)) return [];
  const field = env.PARLEY_LLM_BASE_URL ? 'PARLEY_LLM_BASE_URL' : 'brain.baseURL';
  return [`${field}: ${url} does not end in /v1, so ${choice.spec} would be asked at ${url.replace(/\/$/, '')}/chat/completions; ${provider} answers at /v1/chat/completions: add /v1 (docs/agent-file.md#self-hosted-models-vllm-llamacpp-ollama)`];
}

function resolveSecretsOrNone(text: string, env: NodeJS.ProcessEnv): string | undefined {
  try {
    return resolveSecrets(text, '', env).trim();
  } catch {
    return undefined;
  }
}
