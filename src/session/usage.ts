// What a conversation consumed from paid providers, counted as it happens: the cost estimate
// (src/session/cost.ts) and the daily budget are computed from it.

/** Tokens one model used in a conversation. */
export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
}

/** A conversation's consumption, by provider. Plain JSON: it is stored with the record. */
export interface UsageData {
  /** `provider:model` → tokens. */
  llm: Record<string, ModelUsage>;
  /** Caller audio sent to speech-to-text, seconds, under the STT's id. */
  stt: Record<string, number>;
  /** Characters sent to text-to-speech, under the TTS's id. */
  tts: Record<string, number>;
  /** Seconds on the phone (0 for other doors). */
  phoneSeconds: number;
}

/** Accumulates a conversation's usage. */
export class Usage {
  readonly data: UsageData = { llm: {}, stt: {}, tts: {}, phoneSeconds: 0 };

  addTokens(model: string, input: number | undefined, output: number | undefined): void {
    const m = (this.data.llm[model] ??= { inputTokens: 0, outputTokens: 0 });
    m.inputTokens += input ?? 0;
    m.outputTokens += output ?? 0;
  }

  addSpeechIn(stt: string, seconds: number): void {
    this.data.stt[stt] = (this.data.stt[stt] ?? 0) + seconds;
  }

  addSpeechOut(tts: string, characters: number): void {
    this.data.tts[tts] = (this.data.tts[tts] ?? 0) + characters;
  }
}
