import { dbfs } from './frame.ts';
import { DEFAULT_VOICE_ACTIVITY, type VoiceActivity, type VoiceActivityEvent, type VoiceActivitySettings } from './vad.ts';

// A fallback detector for where Silero cannot run (no sherpa-onnx build for the platform) and for
// tests that need a predictable detector: a 20 ms frame is "speech" when it is louder than a
// fixed level. It cannot tell a voice from a door slam or steady background noise, so in
// production prefer createSileroVad; the boundary rules (minSpeechMs, minSilenceMs) are the same.

/** Settings of the energy detector: the shared timing rules plus a loudness threshold. */
export interface EnergyVadSettings extends Pick<VoiceActivitySettings, 'minSpeechMs' | 'minSilenceMs'> {
  /** Frames louder than this (dB relative to full scale) count as speech. */
  thresholdDb: number;
}

const FRAME = 320; // 20 ms at 16 kHz

/** The loudness-threshold fallback VAD (same interface as Silero; see the file's note on its limits). */
export function createEnergyVad(settings: Partial<EnergyVadSettings> = {}): VoiceActivity {
  return new EnergyVad({ minSpeechMs: DEFAULT_VOICE_ACTIVITY.minSpeechMs, minSilenceMs: DEFAULT_VOICE_ACTIVITY.minSilenceMs, thresholdDb: -40, ...settings });
}

class EnergyVad implements VoiceActivity {
  readonly sampleRate = 16000;
  #s: EnergyVadSettings;
  #rest = new Int16Array(0);
  #frames = 0;
  #speaking = false;
  /** First frame of the current run of speech (while not speaking) or of silence (while speaking). */
  #runStart = -1;

  constructor(settings: EnergyVadSettings) {
    this.#s = settings;
  }

  get speaking(): boolean {
    return this.#speaking;
  }

  push(pcm: Int16Array): VoiceActivityEvent[] {
    const all = new Int16Array(this.#rest.length + pcm.length);
    all.set(this.#rest);
    all.set(pcm, this.#rest.length);
    const events: VoiceActivityEvent[] = [];
    let i = 0;
    for (; i + FRAME <= all.length; i += FRAME) this.#frame(dbfs(all.subarray(i, i + FRAME)) > this.#s.thresholdDb, events);
    this.#rest = all.slice(i);
    return events;
  }

  flush(): VoiceActivityEvent[] {
    if (!this.#speaking) return [];
    this.#speaking = false;
    const atMs = this.#runStart >= 0 ? this.#runStart * 20 : this.#frames * 20 + (this.#rest.length * 1000) / this.sampleRate;
    this.#runStart = -1;
    return [{ type: 'speech-end', atMs }];
  }

  reset(): void {
    this.#rest = new Int16Array(0);
    this.#frames = 0;
    this.#speaking = false;
    this.#runStart = -1;
  }

  close(): void {}

  #frame(loud: boolean, events: VoiceActivityEvent[]): void {
    const index = this.#frames++;
    // A run of the opposite state long enough flips the state, dated at the run's first frame.
    if (loud !== this.#speaking) {
      if (this.#runStart < 0) this.#runStart = index;
      const runMs = (index - this.#runStart + 1) * 20;
      if (runMs >= (loud ? this.#s.minSpeechMs : this.#s.minSilenceMs)) {
        this.#speaking = loud;
        events.push({ type: loud ? 'speech-start' : 'speech-end', atMs: this.#runStart * 20 });
        this.#runStart = -1;
      }
    } else {
      this.#runStart = -1;
    }
  }
}
