import { dbfs } from './frame.ts';
import { createEnergyVad } from './energy-vad.ts';
import { NoiseFloor } from './noise-floor.ts';
import { createSileroVad, type VoiceActivity, type VoiceActivityEvent, type VoiceActivitySettings } from './vad.ts';

// Silero on every 20 ms frame of every call costs ~0.2 ms of CPU and a ~10 MB ONNX session per
// caller, most of it spent on silence. A noise gate in front of it runs Silero only where there
// is sound: while the caller's audio stays below `gateDb` (quieter than any speech; echo-cancelled
// browser silence sits near −70 dBFS, a phone line near −60), nothing can be speech and Silero is
// not asked. When a frame crosses the gate, a detector is taken from a shared pool, fed the last
// `preRollMs` of audio (so the onset is not lost) and then every frame, until it has seen speech
// end and the audio has stayed under the gate for `hangoverMs`; then it goes back to the pool.
// Detectors are therefore held by callers who are making sound, not by every open call.
// A gate at or below −100 dB is open all the time: Silero then sees every frame, as without it.
// In a noisy room (a café, a laptop fan: −45 dBFS) a fixed gate never closes, so the gate also
// follows each caller's background level (noise-floor.ts) and opens only `floorMarginDb` above it:
// steady noise then costs what silence costs, and speech still opens the gate.
// Inside open speech the gate also saves Silero the quiet: audio under the gate cannot be speech, so
// it is left out (the clock mapping below keeps times exact), and once it has lasted the detectors'
// `minSilenceMs` the gate ends the segment itself, at the end of the last loud frame, and returns the
// detector. Silero would have decided the same ~100–150 ms later, after its own decay.

/** Lends Silero detectors (reset before each loan) and takes them back. */
export interface DetectorPool {
  acquire(): VoiceActivity;
  release(vad: VoiceActivity): void;
  /** The lent detectors' `minSilenceMs`, when known: lets the gate end speech that fell under it. */
  readonly minSilenceMs?: number;
}

/**
 * A DetectorPool keeping up to `maxIdle` detectors between loans. Making a Silero detector takes
 * ~100 ms of blocked event loop (it loads the model), so detectors are made ahead — `prewarm` at
 * start-up, then `spare` idle ones topped up — and never many in one go: when callers who need
 * one outnumber the idle ones (a burst of calls), they get the `standIn` (the energy detector,
 * free to make) for that utterance while the pool grows one detector per event-loop turn.
 */
export class VoiceActivityPool implements DetectorPool {
  #idle: VoiceActivity[] = [];
  #make: () => VoiceActivity;
  #standIn: (() => VoiceActivity) | undefined;
  #standIns = new WeakSet<VoiceActivity>();
  #maxIdle: number;
  #spare: number;
  #growing: NodeJS.Immediate | undefined;
  #short = 0;
  /** Detectors alive (lent or idle): what the pool costs in memory. */
  created = 0;
  lent = 0;
  /** Loans answered with the stand-in because no detector was ready. */
  stoodIn = 0;
  readonly minSilenceMs: number | undefined;

  constructor(make: () => VoiceActivity, o: { maxIdle?: number; spare?: number; standIn?: () => VoiceActivity; minSilenceMs?: number } = {}) {
    this.#make = make;
    this.minSilenceMs = o.minSilenceMs;
    this.#standIn = o.standIn;
    this.#maxIdle = o.maxIdle ?? 16;
    this.#spare = Math.min(o.spare ?? 0, this.#maxIdle);
  }

  /** Makes detectors now until `n` are idle (at start-up, before callers arrive). */
  prewarm(n: number): void {
    while (this.#idle.length < n) {
      this.created++;
      this.#idle.push(this.#make());
    }
  }

  acquire(): VoiceActivity {
    this.lent++;
    let vad = this.#idle.pop();
    if (!vad && (!this.#standIn || this.created === 0)) {
      this.created++;
      vad = this.#make();
    }
    if (!vad) {
      this.#short++;
      this.stoodIn++;
      vad = this.#standIn!();
      this.#standIns.add(vad);
    }
    if (this.#short > 0 || this.#idle.length < this.#spare) this.#grow();
    return vad;
  }

  release(vad: VoiceActivity): void {
    this.lent--;
    if (this.#standIns.has(vad) || this.#idle.length >= this.#maxIdle) {
      vad.close();
      if (!this.#standIns.has(vad)) this.created--;
      return;
    }
    vad.reset();
    this.#idle.push(vad);
  }

  close(): void {
    clearImmediate(this.#growing);
    for (const v of this.#idle.splice(0)) v.close();
  }

  /** One new detector per event-loop turn, so frames keep flowing between the ~100 ms makes. */
  #grow(): void {
    if (this.#growing) return;
    this.#growing = setImmediate(() => {
      this.#growing = undefined;
      if (this.#short <= 0 && this.#idle.length >= this.#spare) return;
      this.created++;
      this.#idle.push(this.#make());
      this.#short = Math.max(0, this.#short - 1);
      this.#grow();
    });
    this.#growing.unref();
  }
}

const pools = new Map<string, VoiceActivityPool>();

/** The process's pool of Silero detectors with these settings (agents with the same turn settings share one). */
export function sharedSileroPool(settings: VoiceActivitySettings): VoiceActivityPool {
  const key = JSON.stringify(settings);
  let pool = pools.get(key);
  if (!pool) {
    pool = new VoiceActivityPool(() => createSileroVad(settings), { spare: 2, minSilenceMs: settings.minSilenceMs, standIn: () => createEnergyVad({ minSpeechMs: settings.minSpeechMs, minSilenceMs: settings.minSilenceMs }) });
    pool.prewarm(1); // throws VoiceActivityUnavailableError here, where callers can fall back, not mid-call
    pools.set(key, pool);
  }
  return pool;
}

export interface GateSettings {
  /** Frames quieter than this (dBFS, RMS) are not speech and are not shown to Silero. */
  gateDb: number;
  /** Audio before the gate opened that Silero still gets, for soft onsets (100 ms: each loan feeds it; at 200 ms it was a fifth of Silero's work). */
  preRollMs: number;
  /** How long the audio must stay under the gate, with no speech open, before the detector is returned. */
  hangoverMs: number;
  /** The gate also opens only this far above the caller's background level; null: the fixed gate alone. */
  floorMarginDb: number | null;
  /** Inside open speech, leave audio under the gate out of Silero and end the segment after the pool's `minSilenceMs` of it. */
  endBelowGate: boolean;
}

export const DEFAULT_GATE: GateSettings = { gateDb: -55, preRollMs: 100, hangoverMs: 300, floorMarginDb: 6, endBelowGate: true };

const RATE = 16000;
/** Samples Silero judges at a time (v5, 16 kHz). */
const SILERO_WINDOW = 512;

/** A VoiceActivity that borrows a Silero detector from `pool` only while there is sound. */
export class GatedVoiceActivity implements VoiceActivity {
  readonly sampleRate = RATE;
  #pool: DetectorPool;
  #s: GateSettings;
  #vad: VoiceActivity | undefined;
  /** Samples pushed since creation: this detector's clock. */
  #pushed = 0;
  /** Where the borrowed detector's clock 0 is on ours (samples). */
  #offset = 0;
  /** Samples the borrowed detector has been given: its clock. */
  #lentPushed = 0;
  /** Audio left out of the borrowed detector: `samples` at its clock `at`, after `before` left out earlier. */
  #leftOut: { at: number; before: number; samples: number }[] = [];
  #lastLoud = -Infinity;
  #preRoll: Int16Array[] = [];
  #preRollSamples = 0;
  #closed = false;
  #floor: NoiseFloor | undefined;

  constructor(pool: DetectorPool, settings: Partial<GateSettings> = {}) {
    this.#pool = pool;
    this.#s = { ...DEFAULT_GATE, ...settings };
    // No room is louder than 20 dB above the fixed gate (−35 dBFS by default); speech is.
    if (this.#s.floorMarginDb !== null && this.#s.gateDb > -100) this.#floor = new NoiseFloor(this.#s.gateDb + 20);
  }

  /** The level (dBFS) a frame must reach to open the gate now. */
  get gateDb(): number {
    return this.#floor ? Math.max(this.#s.gateDb, this.#floor.db + this.#s.floorMarginDb!) : this.#s.gateDb;
  }

  get speaking(): boolean {
    return this.#vad?.speaking ?? false;
  }

  /** Whether a Silero detector is lent to this caller now. */
  get listening(): boolean {
    return this.#vad !== undefined;
  }

  push(pcm: Int16Array): VoiceActivityEvent[] {
    if (this.#closed || !pcm.length) return [];
    const start = this.#pushed;
    this.#pushed += pcm.length;
    if (this.#s.gateDb <= -100) this.#lastLoud = this.#pushed;
    else {
      const level = dbfs(pcm);
      this.#floor?.update(level, (pcm.length * 1000) / RATE, this.speaking);
      if (level >= this.gateDb) this.#lastLoud = this.#pushed;
    }
    if (!this.#vad) {
      if (this.#lastLoud !== this.#pushed) {
        this.#keepPreRoll(pcm);
        return [];
      }
      this.#vad = this.#pool.acquire();
      this.#offset = start - this.#preRollSamples;
      this.#lentPushed = 0;
      this.#leftOut = [];
      const events: VoiceActivityEvent[] = [];
      for (const f of this.#preRoll) events.push(...this.#feed(f));
      this.#preRoll = [];
      this.#preRollSamples = 0;
      events.push(...this.#feed(pcm));
      return this.#shift(events);
    }
    const quietFor = this.#pushed - this.#lastLoud;
    const minSilenceMs = this.#pool.minSilenceMs;
    if (quietFor > 0 && this.#vad.speaking && this.#s.endBelowGate && minSilenceMs !== undefined) {
      this.#leaveOut(pcm.length);
      if (quietFor < (minSilenceMs * RATE) / 1000) return [];
      const end = this.#lastLoud;
      this.#giveBack();
      return [{ type: 'speech-end', atMs: (end * 1000) / RATE }];
    }
    const events = this.#feed(pcm);
    if (!this.#vad.speaking && quietFor >= (this.#s.hangoverMs * RATE) / 1000) this.#giveBack();
    return this.#shift(events);
  }

  #feed(pcm: Int16Array): VoiceActivityEvent[] {
    this.#lentPushed += pcm.length;
    return this.#vad!.push(pcm);
  }

  #leaveOut(samples: number): void {
    const last = this.#leftOut.at(-1);
    if (last && last.at === this.#lentPushed) last.samples += samples;
    else this.#leftOut.push({ at: this.#lentPushed, before: last ? last.before + last.samples : 0, samples });
  }

  flush(): VoiceActivityEvent[] {
    if (!this.#vad) return [];
    const events = this.#shift(this.#vad.flush());
    this.#giveBack();
    return events;
  }

  reset(): void {
    if (this.#vad) this.#giveBack();
    this.#pushed = 0;
    this.#lastLoud = -Infinity;
    this.#preRoll = [];
    this.#preRollSamples = 0;
    this.#floor?.reset();
  }

  close(): void {
    if (this.#vad) this.#giveBack();
    this.#closed = true;
  }

  #giveBack(): void {
    const vad = this.#vad!;
    this.#vad = undefined;
    this.#pool.release(vad);
  }

  #keepPreRoll(pcm: Int16Array): void {
    this.#preRoll.push(pcm);
    this.#preRollSamples += pcm.length;
    const keep = (this.#s.preRollMs * RATE) / 1000;
    while (this.#preRoll.length > 1 && this.#preRollSamples - this.#preRoll[0]!.length >= keep) this.#preRollSamples -= this.#preRoll.shift()!.length;
  }

  /** The borrowed detector's times, on this detector's clock (audio left out counted back in). */
  #shift(events: VoiceActivityEvent[]): VoiceActivityEvent[] {
    if (!events.length) return events;
    const shifted = events.map((e) => this.#shiftOne(e));
    // Nothing later is placed before an end, so stretches more than a window before it can no
    // longer place an event; the last of them is kept for its running total. A loan that lasts a
    // whole call (sound that keeps the gate open) keeps this list short.
    const end = events.findLast((e) => e.type === 'speech-end');
    if (end) {
      const at = (end.atMs * RATE) / 1000;
      const last = this.#leftOut.findLastIndex((g) => g.at + SILERO_WINDOW <= at);
      if (last > 0) this.#leftOut.splice(0, last);
    }
    return shifted;
  }

  /** One event's time on this detector's clock. */
  #shiftOne(e: VoiceActivityEvent): VoiceActivityEvent {
    const at = (e.atMs * RATE) / 1000;
    let leftOut = 0;
    for (const g of this.#leftOut) {
      // Silence that Silero finds starting within a window after left-out (quiet) audio began
      // where that audio did: the end goes before it. A start there goes after it.
      if (e.type === 'speech-end' && g.at <= at && at < g.at + SILERO_WINDOW) return { ...e, atMs: ((this.#offset + g.before + g.at) * 1000) / RATE };
      if (g.at < at || (g.at === at && e.type === 'speech-start')) leftOut = g.before + g.samples;
    }
    return { ...e, atMs: ((this.#offset + leftOut + at) * 1000) / RATE };
  }
}
