// Runs one simulated call through the real VoiceSession and Conversation on a virtual clock, then
// checks the invariants every call must keep. Call `installVirtualTime()` once per thread first:
// from then on setTimeout, Date and performance.now are virtual in this thread, so every layer
// (session, model fallbacks, voice fallbacks, tool timeouts) runs on the same simulated time.
import FakeTimers from '@sinonjs/fake-timers';
import type { Agent } from '../../src/agent/load.ts';
import { Conversation } from '../../src/session/conversation.ts';
import { CLOSING_GRACE_MS, VoiceSession } from '../../src/session/voice/voice-session.ts';
import { FallbackTts } from '../../src/speech/tts/fallback.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { ScriptedModel } from '../../src/testing/scripted-model.ts';
import { fillerFor } from '../../src/session/fixed-lines.ts';
import { CheckedChannel, SimEars, SimVad, SimVoice } from './providers.ts';
import { worldOf, type World } from './world.ts';

export type VirtualClock = ReturnType<typeof FakeTimers.install>;

/** Replaces this thread's timers, Date and performance.now with a virtual clock. */
export function installVirtualTime(): VirtualClock {
  return FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'], now: Date.UTC(2027, 0, 11, 9) });
}

/** What one call came to: the invariants it broke (none, one hopes) and a few numbers. */
export interface CallResult {
  seed: number;
  violations: string[];
  endReason: string | undefined;
  simulatedMs: number;
  steps: number;
  /** What the agent said, turn by turn, as recorded. */
  agentTurns: string[];
  /** The record's agent turns: said, heard, interrupted. */
  agentRecord: { text: string; heard: string; interrupted: boolean }[];
  /** The agent's final captions, as the door got them. */
  captions: string[];
  /** Where recorded errors came from (`stt:sim:stt`, `voice`, `llm:…`). */
  errors: string[];
  /** The longest a single step (one timer and the work it set off) took in real time, ms. */
  longestStepMs: number;
}

/** A step that runs longer than this in real time is a blocked event loop, not a slow machine. */
const BLOCKED_STEP_MS = 1000;
const FRAME = new Int16Array(320);

const realNow = () => Number(process.hrtime.bigint()) / 1e6;
// setImmediate is left real: it lets every promise settle between two virtual timers.
const settle = async (turns = 3) => {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
};

/** The agent for world `w`: the example's persona and documents with the world's limits. */
function agentFor(base: Agent, w: World): Agent {
  const c = base.config;
  return {
    ...base,
    config: {
      ...c,
      persona: { ...c.persona, firstMessage: 'Hi, this is Ada from Acme. How can I help?' },
      listen: { ...c.listen, silenceReprompt: w.silenceReprompt, silenceEnd: w.silenceEnd, turn: { detector: 'fixed', quickEndpointingDelayMs: 0, ...w.turn } },
      limits: { ...c.limits, maxDurationSec: w.maxDurationSec },
      brain: { ...c.brain, responseTimeoutMs: w.responseTimeoutMs, maxToolRounds: 3 },
      knowledge: { ...c.knowledge, strict: false },
      tools: c.tools.map((t) => (typeof t === 'object' && t.type === 'webhook' ? { ...t, retries: 0, timeoutMs: 4000 } : t)),
    },
  };
}

/** Runs seed `seed` to its end (or until an invariant breaks) and checks the record. */
export async function simulateCall(call: number | World, o: { clock: VirtualClock; store: Store; agent: Agent; onStep?: () => void }): Promise<CallResult> {
  const { clock, store } = o;
  const w = typeof call === 'number' ? worldOf(call) : call;
  const seed = w.seed;
  const agent = agentFor(o.agent, w);
  const violations: string[] = [];
  const start = performance.now();

  const channel = new CheckedChannel();
  const ears = new SimEars(w.ears);
  const vad = new SimVad();
  const voices = w.voices.map((v, i) => ({ tts: new SimVoice(`sim:voice${i}`, v), voice: { speed: 1 } }));
  const fetch = simulatedWebhook(w);
  const model = new ScriptedModel(w.replies);
  const conversation = new Conversation({ agent, store, models: [model], channel: 'web', fetch, env: { CRM_WEBHOOK_URL: 'https://crm.example/hook', CRM_TOKEN: 'sim-token' } });
  const tts = new FallbackTts(voices, { onFailure: (engine, e) => conversation.noteError(`tts:${engine}`, e), resampler: () => (p) => p });
  const session = new VoiceSession({
    conversation,
    channel,
    stt: ears,
    tts,
    vad,
    resampler: () => (p) => p,
    voice: { speed: 1 },
    language: 'en',
    turn: w.turn,
    silenceReprompt: w.silenceReprompt,
    silenceEnd: w.silenceEnd,
    maxDurationSec: w.maxDurationSec,
    timers: { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) },
    now: () => performance.now(),
  });

  // The caller's actions, on the same clock.
  const callerTimers: unknown[] = [];
  const at = (ms: number, fn: () => void) => callerTimers.push(setTimeout(fn, Math.max(0, ms)));
  for (const a of w.caller) {
    if (a.kind === 'hang-up') at(a.atMs, () => channel.hangUp());
    else {
      at(a.atMs, () => (vad.queue('speech-start'), channel.pushCallerAudio(FRAME)));
      if (a.kind === 'speak' && a.recognised === 'partial-then-final') at(a.atMs + a.durationMs / 2, () => ears.hear(a.words.split(' ').slice(0, 2).join(' '), 'partial'));
      at(a.atMs + a.durationMs, () => (vad.queue('speech-end'), channel.pushCallerAudio(FRAME)));
      if (a.kind === 'speak' && a.recognised !== 'nothing') at(a.atMs + a.durationMs + a.sttLatencyMs, () => ears.hear(a.words, 'final'));
    }
  }
  if (w.ears.kind !== 'ok') at(w.ears.atMs, () => ears.misbehave());

  let finished = false;
  let failure: unknown;
  if (process.env.SIM_TRACE) { const send = channel.send.bind(channel); channel.send = (e) => { console.log(Math.round(performance.now() - start), JSON.stringify(e).slice(0, 90)); send(e); }; }
  const running = session.run(new AbortController().signal).then(
    () => (finished = true),
    (e: unknown) => ((failure = e), (finished = true)),
  );

  let steps = 0;
  let longestStepMs = 0;
  const deadline = start + w.maxDurationSec * 1000 + 120_000;
  while (!finished) {
    const t0 = realNow();
    await settle(w.loopTurnsPerStep);
    if (finished) break;
    if (clock.countTimers() === 0) await settle(300); // the recorder writes one event per turn of the loop
    if (finished) break;
    if (clock.countTimers() === 0) {
      violations.push('stalled: the session has not ended and nothing is scheduled that could end it');
      break;
    }
    clock.next();
    steps++;
    o.onStep?.();
    longestStepMs = Math.max(longestStepMs, realNow() - t0);
    if (performance.now() > deadline) {
      violations.push(`still running ${Math.round((performance.now() - start) / 1000)} s into a ${w.maxDurationSec} s call`);
      break;
    }
  }
  await settle(300);
  for (const h of callerTimers) clearTimeout(h as NodeJS.Timeout);
  if (!finished) channel.hangUp();
  await Promise.race([running, settle()]);

  if (failure) violations.push(`run() threw: ${String(failure)}`);
  if (longestStepMs > BLOCKED_STEP_MS) violations.push(`a single step blocked the event loop for ${Math.round(longestStepMs)} ms`);
  const endedAtMs = channel.endedAt === undefined ? undefined : channel.endedAt - start;
  const limitMs = w.maxDurationSec * 1000 + CLOSING_GRACE_MS + 1000;
  if (endedAtMs === undefined) violations.push('the session never sent `end`');
  else if (endedAtMs > limitMs) violations.push(`ended at ${Math.round(endedAtMs)} ms, past the ${w.maxDurationSec} s limit plus its grace`);
  if (channel.ends > 1) violations.push(`sent \`end\` ${channel.ends} times`);
  if (session.pendingTimers) violations.push(`${session.pendingTimers} session timers still pending after the end`);

  // Nothing may happen after the end, however long we wait.
  const before = channel.events.length;
  clock.tick(120_000);
  await settle(300);
  violations.push(...channel.afterEnd.slice(0, 3));
  if (channel.events.length !== before && !channel.afterEnd.length) violations.push('events reached the door after the end');
  if (clock.countTimers()) violations.push(`${clock.countTimers()} timers still pending 120 s after the end`);

  violations.push(...(await checkRecord(store, conversation, session.endReason, channel)));
  const rec = await new Records(store.db).get(conversation.id);
  const agentTurns = (rec?.turns ?? []).filter((t) => t.role === 'agent').map((t) => t.text);
  const agentRecord = (rec?.turns ?? []).filter((t) => t.role === 'agent').map((t) => ({ text: t.text, heard: t.heardText ?? t.text, interrupted: t.interrupted }));
  const captions = channel.events.flatMap((e) => (e.type === 'agent_text' && e.final ? [e.text] : []));
  const errors = (rec?.errors ?? []).map((e) => `${e.where}: ${e.message}`);
  return { seed, violations, agentTurns, agentRecord, captions, errors, endReason: session.endReason, simulatedMs: (channel.endedAt ?? performance.now()) - start, steps, longestStepMs };
}

const norm = (t: string) => t.replace(/\s+/g, ' ').trim();

/** The record is complete and tells the truth: one end, contiguous turns, heard ⊆ said, latency, heard-only history. */
async function checkRecord(store: Store, conversation: Conversation, endReason: string | undefined, channel: CheckedChannel): Promise<string[]> {
  const out: string[] = [];
  const rec = await new Records(store.db).get(conversation.id);
  if (!rec) return ['no conversation record'];
  if (!rec.endedAt) out.push('the record was never ended');
  if (rec.endReason !== endReason) out.push(`record says it ended by "${rec.endReason}", the session by "${endReason}"`);
  rec.turns.forEach((t, i) => {
    if (t.seq !== i) out.push(`turn ${i} has seq ${t.seq}: a turn is missing`);
  });
  if (rec.turns[0]?.role !== 'agent') out.push('the first turn is not the greeting');
  const agentTurns = rec.turns.filter((t) => t.role === 'agent');
  const last = rec.turns.at(-1)?.seq ?? 0;
  for (const t of agentTurns) {
    const heard = norm(t.heardText ?? t.text);
    if (!norm(t.text).startsWith(heard)) out.push(`turn ${t.seq}: heard "${heard.slice(0, 40)}" is not what was said ("${norm(t.text).slice(0, 40)}")`);
  }
  for (const t of agentTurns) {
    // A model reply that played to its end, with the conversation going on after it, has its voice latency.
    const reply = t.latency !== null && 'totalMs' in t.latency;
    const next = rec.turns[t.seq + 1];
    if (reply && !t.interrupted && norm(t.text) && next?.role === 'caller' && t.latency?.voiceToVoiceMs == null) out.push(`turn ${t.seq}: a played reply without voice-to-voice latency`);
  }
  // Every agent turn heard whole, with the call going on after it, was captioned once, whole.
  const fillers = ['check_availability', 'book_call', 'search_knowledge', 'any other tool'].map((tool) => norm(fillerFor(tool, conversation.lines)));
  const captions = channel.events.flatMap((e) => (e.type === 'agent_text' && e.final ? [fillers.reduce((c, f) => c.replace(f, ' '), norm(e.text)).replace(/\s+/g, ' ').trim()] : []));
  for (const t of agentTurns) {
    const whole = !t.interrupted && norm(t.text) && norm(t.heardText ?? t.text) === norm(t.text);
    if (whole && t.seq < last && !captions.includes(norm(t.text))) out.push(`turn ${t.seq} ("${norm(t.text).slice(0, 40)}") was heard whole but never captioned whole`);
  }
  const heardTexts = agentTurns.map((t) => norm(t.heardText ?? t.text));
  for (const m of conversation.history) {
    if (m.role !== 'assistant') continue;
    const text = norm(typeof m.content === 'string' ? m.content : m.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join(''));
    if (text && !heardTexts.some((h) => h.includes(text))) out.push(`the model's history holds "${text.slice(0, 50)}", which the caller never heard`);
  }
  return out;
}

/** The agent's webhook as the world says it answers: at once, slowly, with an error, or never. */
function simulatedWebhook(w: World): typeof fetch {
  return (async (_url: string | URL | Request, init?: RequestInit) => {
    const signal = init?.signal ?? undefined;
    await new Promise<void>((resolve, reject) => {
      const t = w.tool.kind === 'hangs' ? undefined : setTimeout(resolve, w.tool.delayMs);
      signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
    });
    if (w.tool.kind === 'fails') return new Response('{"error":"upstream unavailable"}', { status: 503, headers: { 'content-type': 'application/json' } });
    return new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}
