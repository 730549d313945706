import type { TurnLatency } from '../events.ts';

/** The session times of a turn's stages (null where a stage did not happen). */
export interface LatencyMarks {
  speechEndMs: number | null;
  sttFinalMs: number | null;
  committedMs: number;
  llmFirstTokenMs: number | null;
  ttsFirstAudioMs: number | null;
}

/** Stage-to-stage latencies of a turn from its marks. */
export function stages(t: LatencyMarks): TurnLatency {
  const d = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round((b - a) * 10) / 10);
  const end = t.speechEndMs ?? t.committedMs;
  return {
    endpointingMs: d(end, t.committedMs),
    sttFinalMs: d(end, t.sttFinalMs),
    llmFirstTokenMs: d(t.committedMs, t.llmFirstTokenMs),
    ttsFirstAudioMs: d(t.llmFirstTokenMs, t.ttsFirstAudioMs),
    voiceToVoiceMs: d(end, t.ttsFirstAudioMs),
  };
}

