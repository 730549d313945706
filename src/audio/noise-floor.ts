// The level of a caller's background noise, followed frame by frame, so the noise gate can sit
// just above it instead of at a fixed level. In a café or beside a laptop fan the background is
// louder than any fixed gate quiet enough for soft speech (−55 dBFS), so a fixed gate never closes
// and Silero runs on every frame of every call. Speech is bursty — syllables, then gaps where the
// level falls back to the background within a fraction of a second — while steady noise is not,
// so the floor follows the quietest recent frames: it drops at once to any quieter frame and
// creeps up slowly otherwise (a fan switched on is learnt in seconds; a long sentence barely
// moves it, and it does not move at all while speech is in progress).

/** How the floor follows the audio. */
export interface NoiseFloorSettings {
  /** How fast the floor may rise towards louder audio, in dB per second of audio. */
  riseDbPerSec: number;
  /** The same in the first `learnMs` of a stream: a call opens on the agent's greeting, while the caller listens and only the room is heard. */
  learnRiseDbPerSec: number;
  learnMs: number;
  /** The floor never goes below this (digital silence would otherwise pull it to −∞). */
  minDb: number;
}

export const DEFAULT_NOISE_FLOOR: NoiseFloorSettings = { riseDbPerSec: 5, learnRiseDbPerSec: 30, learnMs: 1000, minDb: -100 };

/** Follows the background level of one stream (dBFS), from per-frame levels. */
export class NoiseFloor {
  #s: NoiseFloorSettings;
  #maxStart: number;
  #db: number | undefined;
  #heardMs = 0;

  /**
   * The first frame's level is the first estimate, but never above `maxStartDb`: a call that
   * opens mid-sentence must not take the speech for the room (the next pause corrects it).
   */
  constructor(maxStartDb: number, settings: Partial<NoiseFloorSettings> = {}) {
    this.#s = { ...DEFAULT_NOISE_FLOOR, ...settings };
    this.#maxStart = maxStartDb;
  }

  /** The estimate so far (minDb before any audio). */
  get db(): number {
    return this.#db ?? this.#s.minDb;
  }

  /**
   * Takes one frame's level and its length; `hold` keeps the floor from rising (speech in
   * progress: its level is not the background's). Returns the new estimate.
   */
  update(levelDb: number, ms: number, hold = false): number {
    const level = Math.max(levelDb, this.#s.minDb);
    const rise = this.#heardMs < this.#s.learnMs ? this.#s.learnRiseDbPerSec : this.#s.riseDbPerSec;
    this.#heardMs += ms;
    if (this.#db === undefined) this.#db = Math.min(level, this.#maxStart);
    else if (level <= this.#db) this.#db = level;
    else if (!hold) this.#db = Math.min(level, this.#db + (rise * ms) / 1000);
    return this.#db;
  }

  reset(): void {
    this.#db = undefined;
    this.#heardMs = 0;
  }
}
