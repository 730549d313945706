import { TurnTaking, type TurnSettings, type Timers } from '../../src/session/voice/turn-taking.ts';
import type { Observed } from './observe.ts';
import type { Utterance } from './synth.ts';

// Plays an utterance's timeline into the real turn-taking state machine on a virtual clock and
// reports when it decided the caller's turn was over.

/** Which words reach turn-taking: pocketsphinx's finals, or the true words (a good cloud recogniser's stand-in). */
export type Hearing = 'pocketsphinx' | 'true';

/** The outcome of one utterance under one setting. */
export interface Outcome {
  /** First turn end, ms on the audio clock; null if no turn was ever decided (nothing heard). */
  turnAtMs: number | null;
  cutOff: boolean;
  /** How long after the caller really finished the turn ended (not cut-off ones). */
  delayMs: number | null;
}

type Ev = { atMs: number; order: number; run: (tt: TurnTaking) => void };

/**
 * The true-words stand-in: when the VAD decides speech ended, the recogniser has finalised every
 * word said up to then (a streaming cloud recogniser whose endpointing equals the VAD's silence,
 * e.g. Deepgram's `endpointing=300` against the VAD's 300 ms), lower-case, without punctuation.
 */
function trueFinals(u: Pick<Utterance, 'pieces'>, vad: Observed['vad']): { text: string; atMs: number }[] {
  const out: { text: string; atMs: number }[] = [];
  let next = 0;
  for (const e of vad) {
    if (e.type !== 'speech-end') continue;
    const words: string[] = [];
    while (next < u.pieces.length && u.pieces[next]!.endMs <= e.atMs) words.push(u.pieces[next++]!.words);
    if (words.length) out.push({ text: words.join(' '), atMs: e.atMs });
  }
  return out;
}

/** Runs one utterance through TurnTaking with `settings`. */
export function replay(u: Pick<Utterance, 'pieces' | 'endMs'>, seen: Observed, hearing: Hearing, settings: TurnSettings): Outcome {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = { set: (fn, ms) => (pending.set(++seq, { at: now + ms, fn }), seq), clear: (h) => void pending.delete(h as number) };
  const advance = (to: number) => {
    for (;;) {
      let best: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of pending) if (entry[1].at <= to && (!best || entry[1].at < best[1].at)) best = entry;
      if (!best) break;
      pending.delete(best[0]);
      now = best[1].at;
      best[1].fn();
    }
    now = Math.max(now, to);
  };
  const decided: { atMs: number | null } = { atMs: null };
  const tt = new TurnTaking(settings, { turn: () => void (decided.atMs ??= now), pause() {}, resume() {}, interrupt() {} }, timers, { language: 'en' });
  tt.agentSpeaking(false);
  const finals = hearing === 'true' ? trueFinals(u, seen.vad) : seen.sphinx;
  const events: Ev[] = [
    ...seen.vad.map((e, i) => ({ atMs: e.atMs, order: i * 2, run: (t: TurnTaking) => (e.type === 'speech-start' ? t.speechStart(e.atMs) : t.speechEnd(e.atMs)) })),
    // A final decided at the same moment as a speech end reaches turn-taking just after it, as in the session.
    ...finals.map((f, i) => ({ atMs: f.atMs, order: 1e6 + i, run: (t: TurnTaking) => t.transcript({ type: 'final', text: f.text, atMs: f.atMs }) })),
  ].sort((a, b) => a.atMs - b.atMs || a.order - b.order);
  for (const e of events) {
    advance(e.atMs);
    e.run(tt);
  }
  advance(now + 30_000);
  tt.close();
  const turnAtMs = decided.atMs;
  if (turnAtMs === null) return { turnAtMs, cutOff: false, delayMs: null };
  const cutOff = turnAtMs < u.endMs;
  return { turnAtMs, cutOff, delayMs: cutOff ? null : turnAtMs - u.endMs };
}
