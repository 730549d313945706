import { Resampler } from './resample.ts';

// The conversation recording: caller on the left channel, agent on the right, each placed at the
// session time it was heard or played, so overlaps (barge-in) and gaps (thinking time) sound as
// they happened. Audio arrives in chunks at any rate; the recording is at one rate.
//
// Placement rules, per side:
// - a chunk starting within `slackMs` of where that side's audio ends is appended directly:
//   clock jitter between chunks must not cut or pad the audio (that would click);
// - a chunk starting later leaves silence in between;
// - a chunk starting earlier replaces what was there from that point on: agent audio queued
//   and then cleared at a barge-in is overwritten by what was really played next.

/** Which channel of the recording: caller left, agent right. */
export type RecordingSide = 'caller' | 'agent';

/** One side's audio, indexed by absolute sample position in the recording. */
interface Track {
  buf: Int16Array;
  /** Absolute position of buf[0] (advances as the recording is taken). */
  offset: number;
  /** Absolute position one past the last sample written. */
  end: number;
  /** Session time (ms) where the last chunk added ends, in that chunk's own clock. */
  nextMs: number | null;
  resampler: Resampler | null;
}

/** Builds a time-aligned stereo recording (caller left, agent right) from chunks of either side. */
export class StereoRecording {
  readonly sampleRate: number;
  #slackMs: number;
  #tracks: Record<RecordingSide, Track>;
  #taken = 0;

  constructor(sampleRate: number, o: { slackMs?: number } = {}) {
    this.sampleRate = sampleRate;
    this.#slackMs = o.slackMs ?? 30;
    this.#tracks = { caller: newTrack(), agent: newTrack() };
  }

  /** Adds a chunk of one side, heard or played at session time `atMs`; resampled when `sampleRate` differs. */
  add(side: RecordingSide, pcm: Int16Array, sampleRate: number, atMs: number): void {
    const t = this.#tracks[side];
    const contiguous = t.nextMs !== null && Math.abs(atMs - t.nextMs) <= this.#slackMs && (t.resampler?.fromRate ?? this.sampleRate) === sampleRate;
    if (!contiguous) {
      if (t.resampler) this.#write(t, t.resampler.flush(), t.end);
      t.resampler = sampleRate === this.sampleRate ? null : new Resampler(sampleRate, this.sampleRate);
      this.#moveTo(t, Math.round((atMs * this.sampleRate) / 1000));
    }
    t.nextMs = (contiguous ? (t.nextMs as number) : atMs) + (pcm.length * 1000) / sampleRate;
    this.#write(t, t.resampler ? t.resampler.process(pcm) : pcm, t.end);
  }

  /** Milliseconds recorded so far (the longer side), including what was already taken. */
  get durationMs(): number {
    return (Math.max(this.#tracks.caller.end, this.#tracks.agent.end) * 1000) / this.sampleRate;
  }

  /**
   * Interleaved L/R samples from the end of the last take up to `untilMs` (default: all audio
   * added so far). Taken audio is forgotten; later chunks placed before it are cut at that point.
   */
  take(untilMs?: number): Int16Array {
    const { caller, agent } = this.#tracks;
    const until = untilMs === undefined ? Math.max(caller.end, agent.end) : Math.round((untilMs * this.sampleRate) / 1000);
    const n = Math.max(0, until - this.#taken);
    const out = new Int16Array(2 * n);
    for (const [channel, t] of [[0, caller], [1, agent]] as const) {
      const from = this.#taken - t.offset;
      const available = Math.max(0, Math.min(n, t.end - this.#taken));
      for (let i = 0; i < available; i++) out[2 * i + channel] = t.buf[from + i];
      dropBefore(t, this.#taken + n);
    }
    this.#taken += n;
    return out;
  }

  /** Flushes the resamplers' held-back tails and takes everything left. */
  finish(): Int16Array {
    for (const t of Object.values(this.#tracks)) {
      if (t.resampler) this.#write(t, t.resampler.flush(), t.end);
      t.resampler = null;
      t.nextMs = null;
    }
    return this.take();
  }

  /** Sets the write head: later leaves silence, earlier truncates what was written after it. */
  #moveTo(t: Track, position: number): void {
    if (position < t.end) {
      const from = Math.max(position, t.offset) - t.offset;
      t.buf.fill(0, from, t.end - t.offset);
    }
    t.end = Math.max(position, this.#taken);
  }

  #write(t: Track, pcm: Int16Array, at: number): void {
    const skip = Math.max(0, this.#taken - at); // audio before what was already taken is lost
    const start = at + skip;
    const length = pcm.length - skip;
    if (length <= 0) return;
    const need = start + length - t.offset;
    if (need > t.buf.length) {
      const grown = new Int16Array(Math.max(need, t.buf.length * 2));
      grown.set(t.buf.subarray(0, Math.max(0, t.end - t.offset)));
      t.buf = grown;
    }
    t.buf.set(pcm.subarray(skip), start - t.offset);
    t.end = Math.max(t.end, start + length);
  }
}

function newTrack(): Track {
  return { buf: new Int16Array(16000), offset: 0, end: 0, nextMs: null, resampler: null };
}

/** Forgets samples before absolute position `position`. Invariant: buf is zero past `end`. */
function dropBefore(t: Track, position: number): void {
  const used = t.end - t.offset;
  const drop = Math.min(position, t.end) - t.offset;
  if (drop > 0) {
    t.buf.copyWithin(0, drop, used);
    t.buf.fill(0, used - drop, used);
    t.offset += drop;
  }
  if (position > t.end) {
    t.offset = position;
    t.end = position;
  }
}
