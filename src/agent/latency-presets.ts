import type { AgentFileData } from './schema.ts';

// `latency: fast | balanced | quality` picks models and turn settings in one word; anything
// the file sets itself wins, field by field. A provider named without a model
// (`brain.llm: anthropic`) gets the preset's model for that provider.

type Level = AgentFileData['latency'];

interface Preset {
  llm: Record<string, string>;
  tts: Record<string, string>;
  stt: Record<string, string>;
  turn: { minEndpointingDelayMs: number; maxEndpointingDelayMs: number };
}

/** Models and turn settings per preset; the reasoning is in docs/latency.md. */
export const LATENCY_PRESETS: Record<Level, Preset> = {
  fast: {
    llm: { openai: 'gpt-4.1-nano', anthropic: 'claude-haiku-4-5', google: 'gemini-2.5-flash-lite', groq: 'llama-3.1-8b-instant' },
    tts: { elevenlabs: 'eleven_flash_v2_5', openai: 'tts-1', cartesia: 'sonic-turbo', local: 'flite' },
    stt: { deepgram: 'nova-3', openai: 'gpt-4o-mini-transcribe', local: 'pocketsphinx' },
    turn: { minEndpointingDelayMs: 300, maxEndpointingDelayMs: 1500 },
  },
  balanced: {
    llm: { openai: 'gpt-4.1-mini', anthropic: 'claude-haiku-4-5', google: 'gemini-2.5-flash', groq: 'llama-3.3-70b-versatile' },
    tts: { elevenlabs: 'eleven_turbo_v2_5', openai: 'gpt-4o-mini-tts', cartesia: 'sonic-2', local: 'flite' },
    stt: { deepgram: 'nova-3', openai: 'gpt-4o-mini-transcribe', local: 'pocketsphinx' },
    turn: { minEndpointingDelayMs: 500, maxEndpointingDelayMs: 3000 },
  },
  quality: {
    llm: { openai: 'gpt-4.1', anthropic: 'claude-sonnet-4-5', google: 'gemini-2.5-pro', groq: 'llama-3.3-70b-versatile' },
    tts: { elevenlabs: 'eleven_multilingual_v2', openai: 'gpt-4o-mini-tts', cartesia: 'sonic-2', local: 'flite' },
    stt: { deepgram: 'nova-3', openai: 'gpt-4o-transcribe', local: 'pocketsphinx' },
    turn: { minEndpointingDelayMs: 700, maxEndpointingDelayMs: 4000 },
  },
};

type Raw = Record<string, Record<string, unknown> | undefined> | undefined;

/** The config with the preset filling every field the file left out; `raw` is the file as written. */
export function applyLatencyPreset(config: AgentFileData, raw: unknown): AgentFileData {
  const r = (raw ?? {}) as Record<string, Raw>;
  const preset = LATENCY_PRESETS[config.latency];
  const pick = (written: unknown, fallback: string, table: Record<string, string>): string => {
    if (typeof written !== 'string') return `${fallback}:${table[fallback]}`;
    return written.includes(':') || !table[written] ? written : `${written}:${table[written]}`;
  };
  const turn = (r.listen?.turn ?? {}) as Record<string, unknown>;
  return {
    ...config,
    brain: { ...config.brain, llm: pick(r.brain?.llm, 'openai', preset.llm) },
    voice: { ...config.voice, tts: pick(r.voice?.tts, 'local', preset.tts) },
    listen: {
      ...config.listen,
      stt: pick(r.listen?.stt, 'local', preset.stt),
      turn: {
        ...config.listen.turn,
        minEndpointingDelayMs: turn.minEndpointingDelayMs === undefined ? preset.turn.minEndpointingDelayMs : config.listen.turn.minEndpointingDelayMs,
        maxEndpointingDelayMs: turn.maxEndpointingDelayMs === undefined ? preset.turn.maxEndpointingDelayMs : config.listen.turn.maxEndpointingDelayMs,
      },
    },
  };
}
