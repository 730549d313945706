// One simulated call, drawn from a seed: the agent's limits, what the caller does and when, and
// how each provider behaves (model, tools, voice, recogniser). Everything is a plain value, so a
// failing seed can be printed and replayed.
import type { ScriptedReply } from '../../src/testing/scripted-model.ts';
import { seededRandom } from '../../src/testing/seeded-random.ts';


/** What the caller does at `atMs` (session time). */
export type CallerAction =
  | { atMs: number; kind: 'speak'; words: string; durationMs: number; recognised: 'final' | 'partial-then-final' | 'nothing'; sttLatencyMs: number }
  | { atMs: number; kind: 'noise'; durationMs: number }
  | { atMs: number; kind: 'hang-up' };

/** How the voice behaves for one `speak` call. */
/** `spins` (a vendor SDK stuck in a promise loop) is never drawn; tests use it to check the freeze detector. */
export type VoiceBehaviour = 'ok' | 'fails-at-once' | 'fails-mid-sentence' | 'stalls' | 'spins';
/** How the recogniser misbehaves, and from when. */
export type EarsBehaviour = { kind: 'ok' } | { kind: 'errors' | 'closes' | 'goes-deaf'; atMs: number; again: boolean };
/** How the webhook tool answers. */
export type ToolBehaviour = { kind: 'ok' | 'fails' | 'hangs'; delayMs: number };

export interface World {
  seed: number;
  maxDurationSec: number;
  silenceReprompt: number;
  silenceEnd: number;
  turn: { minEndpointingDelayMs: number; maxEndpointingDelayMs: number; minInterruptionMs: number; minInterruptionWords: number; backchannels: string[]; falseInterruptionTimeoutMs: number };
  responseTimeoutMs: number;
  /** Turns of the event loop per virtual step: 1 makes every store write take a step of virtual time (a slow database). */
  loopTurnsPerStep: number;
  caller: CallerAction[];
  replies: ScriptedReply[];
  voices: { msPerChar: number; firstAudioMs: number; behaviours: VoiceBehaviour[] }[];
  ears: EarsBehaviour;
  tool: ToolBehaviour;
}

const SENTENCES = [
  'How much is the audit?',
  'Can you tell me more about your process and how long it takes?',
  'I would like to book a call next week.',
  'My name is Jane and my email is jane at example dot com.',
  'Do you work with Shopify stores?',
  'What happens after the intro call?',
];
const BACKCHANNELS = ['mm-hmm', 'yeah', 'okay'];
const REPLIES = ['Sure.', 'The audit costs 2,400 euros and takes two weeks.', 'Happy to help with that. Could you tell me your name and email address, please?', 'Our process has three steps: an intro call, an audit and a plan. Most clients see results within a month.'];

/** The call seed `seed` describes. */
export function worldOf(seed: number): World {
  const r = seededRandom(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const between = (a: number, b: number) => a + r() * (b - a);
  const chance = (p: number) => r() < p;

  const maxDurationSec = Math.round(pick([between(5, 15), between(10, 30), between(20, 60)]));
  const silenceReprompt = Math.round(between(1, 12) * 10) / 10;
  const silenceEnd = Math.round((silenceReprompt + between(0.5, 15)) * 10) / 10;
  const minEndpointingDelayMs = Math.round(between(0, 600));
  const turn = {
    minEndpointingDelayMs,
    maxEndpointingDelayMs: minEndpointingDelayMs + Math.round(between(0, 1500)),
    minInterruptionMs: Math.round(between(0, 600)),
    minInterruptionWords: pick([1, 1, 2]),
    backchannels: BACKCHANNELS,
    falseInterruptionTimeoutMs: Math.round(between(0, 2500)),
  };

  const caller: CallerAction[] = [];
  let t = between(0, 4000);
  const until = maxDurationSec * 1000 + 4000;
  while (t < until) {
    const kind = r();
    if (kind < 0.55) {
      const durationMs = Math.round(between(200, 4000));
      const backchannel = chance(0.15);
      caller.push({ atMs: Math.round(t), kind: 'speak', words: backchannel ? pick(BACKCHANNELS) : pick(SENTENCES), durationMs, recognised: chance(0.08) ? 'nothing' : chance(0.5) ? 'partial-then-final' : 'final', sttLatencyMs: Math.round(between(20, 900)) });
      t += durationMs;
    } else if (kind < 0.7) {
      const durationMs = Math.round(between(50, 700));
      caller.push({ atMs: Math.round(t), kind: 'noise', durationMs });
      t += durationMs;
    }
    // Gaps of every length: barge-in at once, pauses, long silences that reach the reprompt.
    t += pick([between(0, 300), between(300, 3000), between(2000, 15000)]);
  }
  if (chance(0.3)) caller.push({ atMs: Math.round(between(0, until)), kind: 'hang-up' });
  caller.sort((a, b) => a.atMs - b.atMs);

  const replies: ScriptedReply[] = [];
  for (let i = 0; i < 40; i++) {
    const firstPartMs = chance(0.04) ? Infinity : Math.round(pick([between(50, 600), between(600, 3000), between(2000, 12000)]));
    const reply: ScriptedReply = { firstPartMs, text: pick(REPLIES), wordMs: Math.round(between(0, 120)) };
    if (chance(0.08)) reply.fail = pick(['before', 'during'] as const);
    if (chance(0.1)) replies.push({ firstPartMs: Math.round(between(0, 800)), toolCalls: [{ name: 'notify_sales_team', args: { name: 'Jane', email: 'jane@example.com', problem: 'invoices' } }] });
    if (chance(0.04)) replies.push({ firstPartMs: Math.round(between(0, 800)), text: 'Thanks for calling, goodbye!', toolCalls: [{ name: 'end_call', args: { reason: 'done' } }] }, { text: '' });
    replies.push(reply);
  }

  const voiceCount = chance(0.3) ? 2 : 1;
  const voices = Array.from({ length: voiceCount }, () => ({
    msPerChar: Math.round(between(20, 80)),
    firstAudioMs: Math.round(pick([between(0, 300), between(300, 1500)])),
    behaviours: Array.from({ length: 60 }, (): VoiceBehaviour => (chance(0.985) ? 'ok' : pick(['fails-at-once', 'fails-mid-sentence', 'stalls'] as const))),
  }));

  const ears: EarsBehaviour = chance(0.85) ? { kind: 'ok' } : { kind: pick(['errors', 'closes', 'goes-deaf'] as const), atMs: Math.round(between(0, until)), again: chance(0.4) };
  const tool: ToolBehaviour = { kind: chance(0.7) ? 'ok' : pick(['fails', 'hangs'] as const), delayMs: Math.round(pick([between(0, 500), between(500, 6000)])) };

  return { seed, maxDurationSec, silenceReprompt, silenceEnd, turn, responseTimeoutMs: Math.round(between(2000, 10000)), loopTurnsPerStep: chance(0.3) ? 1 : 3, caller, replies, voices, ears, tool };
}

/** A quiet world to build a named case on: a silent caller, providers that behave. */
export function quietWorld(o: Partial<World> & { seed: number }): World {
  return {
    maxDurationSec: 60,
    silenceReprompt: 8,
    silenceEnd: 30,
    turn: { minEndpointingDelayMs: 300, maxEndpointingDelayMs: 1000, minInterruptionMs: 200, minInterruptionWords: 1, backchannels: BACKCHANNELS, falseInterruptionTimeoutMs: 1000 },
    responseTimeoutMs: 8000,
    loopTurnsPerStep: 3,
    caller: [],
    replies: [],
    voices: [{ msPerChar: 60, firstAudioMs: 100, behaviours: ['ok'] }],
    ears: { kind: 'ok' },
    tool: { kind: 'ok', delayMs: 100 },
    ...o,
  };
}
