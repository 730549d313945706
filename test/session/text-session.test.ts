import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { Conversation } from '../../src/session/conversation.ts';
import { TextSession, type TextSessionEvent, type Timers } from '../../src/session/text-session.ts';
import { ENGLISH_LINES } from '../../src/session/fixed-lines.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';

const { timeUp: TIME_UP, wrapUp: WRAP_UP } = ENGLISH_LINES;

/** Timers on a manual clock: `advance` fires what is due; every callback ever set can be fired again. */
class ManualTimers implements Timers {
  now = 0;
  #id = 0;
  #due = new Map<number, { at: number; fn: () => void }>();
  readonly everySet: (() => void)[] = [];
  set(fn: () => void, ms: number): unknown {
    this.#due.set(++this.#id, { at: this.now + ms, fn });
    this.everySet.push(fn);
    return this.#id;
  }
  clear(h: unknown): void {
    this.#due.delete(h as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.#due].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at > this.now) break;
      this.#due.delete(id);
      t.fn();
    }
  }
  get pending(): number {
    return this.#due.size;
  }
}

/** A sink that keeps every event and can wait for one. */
function recorder() {
  const events: TextSessionEvent[] = [];
  let listeners: (() => void)[] = [];
  return {
    events,
    sink: (e: TextSessionEvent) => {
      events.push(e);
      for (const l of listeners) l();
    },
    waitFor(test: (e: TextSessionEvent) => boolean): Promise<TextSessionEvent> {
      return new Promise((resolve) => {
        const check = () => {
          const hit = events.find(test);
          if (!hit) return;
          listeners = listeners.filter((l) => l !== check);
          resolve(hit);
        };
        listeners.push(check);
        check();
      });
    },
    /** The agent's finished turns, in order. */
    said: () => events.flatMap((e) => (e.type === 'agent-done' ? [e.text] : [])),
  };
}

/** A model reply held back until `release()`: the turn is in flight meanwhile. */
function gated(text: string) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let asked!: () => void;
  const requested = new Promise<void>((r) => (asked = r));
  return { step: async () => (asked(), await gate, { text }), release, requested };
}

const MAX = 100; // s: wrap-up at 90 s (lead = min(30 s, 10 %)), limit at 100 s

describe('TextSession: one typed conversation for chat, the web door and scenarios', () => {
  let store: Store;
  let agent: Agent;
  let llm: FakeOpenAI;

  before(async () => {
    store = await openTestStore();
    const example = await loadAgent(EXAMPLE);
    agent = { ...example, config: { ...example.config, knowledge: { ...example.config.knowledge, strict: false } } };
    llm = await startFakeOpenAI();
  });
  after(async () => {
    await llm.close();
    await store.close();
  });
  beforeEach(() => assert.equal(llm.pending(), 0, 'the previous test left scripted steps'));

  async function session(o: { maxTurnChars?: number } = {}) {
    const timers = new ManualTimers();
    const out = recorder();
    const conversation = new Conversation({ agent, store, models: [createOpenAICompatible({ name: 'fake', baseURL: llm.url, apiKey: 't', includeUsage: true })('m')] });
    const s = new TextSession({ conversation, sink: out.sink, maxDurationSec: MAX, maxTurnChars: o.maxTurnChars ?? 2000, timers });
    await s.start();
    return { s, timers, out, conversation, record: () => new Records(store.db).get(conversation.id) };
  }

  it('answers a line: caller, thinking, the streamed words, the whole turn, listening — and records both turns', async () => {
    const { s, out, record } = await session();
    llm.push({ text: 'We integrate with HubSpot.' });
    assert.equal(await s.say('  Which CRMs?  '), 'answered');
    assert.deepEqual(out.events.map((e) => e.type), ['agent-done', 'state', 'caller', 'state', 'text', 'text', 'text', 'text', 'agent-done', 'state']);
    assert.deepEqual(out.events[2], { type: 'caller', text: 'Which CRMs?' });
    assert.deepEqual(out.said().at(-1), 'We integrate with HubSpot.');
    await s.end('caller left');
    assert.deepEqual((await record())?.turns.map((t) => t.text), [agent.config.persona.firstMessage, 'Which CRMs?', 'We integrate with HubSpot.']);
    assert.equal((await record())?.endReason, 'caller left');
  });

  it('limits.maxTurnChars: a longer line is refused with an error and never reaches the model; one at the limit is taken', async () => {
    const { s, out, record } = await session({ maxTurnChars: 500 });
    const asked = llm.requests.length;
    assert.equal(await s.say('x'.repeat(501)), 'too long');
    assert.equal(await s.say(' '.repeat(10)), 'empty');
    assert.equal(llm.requests.length, asked, 'the model was not asked');
    assert.deepEqual(out.events.filter((e) => e.type === 'error').map((e) => e.type === 'error' && e.code), ['too long', 'empty']);
    assert.match(JSON.stringify(out.events.at(-2)), /at most 500 characters \(this one has 501\)/);
    llm.push({ text: 'ok' });
    assert.equal(await s.say('y'.repeat(500)), 'answered');
    await s.end('caller left');
    assert.deepEqual((await record())?.turns.filter((t) => t.role === 'caller').map((t) => t.text.length), [500], 'only the line that fits is in the record');
  });

  it('at most one line waits behind the one being answered; the rest are refused at once, not queued', async () => {
    const { s, out } = await session();
    const first = gated('first answer');
    llm.push(first.step, { text: 'second answer' });
    const answered = s.say('one');
    await first.requested;
    const second = s.say('two');
    const refused = await Promise.all(['three', 'four', 'five'].map((t) => s.say(t)));
    assert.deepEqual(refused, ['busy', 'busy', 'busy']);
    assert.equal(out.events.filter((e) => e.type === 'error' && e.code === 'busy').length, 3);
    first.release();
    assert.equal(await answered, 'answered');
    assert.equal(await second, 'answered', 'the waiting line is answered after the first');
    assert.deepEqual(out.events.filter((e) => e.type === 'caller').map((e) => e.type === 'caller' && e.text), ['one', 'two']);
    assert.deepEqual(out.said().slice(1), ['first answer', 'second answer']);
    await s.end('caller left');
  });

  it('the wrap-up line lands while a turn is in flight: it is said after that reply, never over it, and only once', async () => {
    const { s, timers, out, record } = await session();
    const turn = gated('Here is the whole answer.');
    llm.push(turn.step);
    const answered = s.say('Tell me about pricing.');
    await turn.requested;
    timers.advance((MAX - 10) * 1000); // the wrap-up is due now
    assert.ok(!out.said().includes(WRAP_UP), 'not over the turn in flight');
    turn.release();
    await answered;
    assert.deepEqual(out.said().slice(1), ['Here is the whole answer.', WRAP_UP]);
    for (const fire of timers.everySet.slice(0, 1)) fire(); // the wrap-up timer fires again
    await out.waitFor((e) => e.type === 'state' && e.state === 'listening' && out.said().length === 3);
    assert.equal(out.said().filter((t) => t === WRAP_UP).length, 1);
    await s.end('caller left');
    assert.deepEqual((await record())?.turns.slice(-2).map((t) => t.text), ['Here is the whole answer.', WRAP_UP]);
  });

  it('the limit lands while a turn is streaming: the turn is cut, the line waiting is dropped, the goodbye said, the end is "time limit", every timer cleared', async () => {
    const { s, timers, out, record } = await session();
    const words = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
    llm.push({ text: words, tokenDelayMs: 20 });
    const answered = s.say('Tell me everything.');
    await out.waitFor((e) => e.type === 'text');
    const waiting = s.say('and another thing');
    timers.advance(MAX * 1000); // wrap-up and limit at once, mid-stream
    assert.equal(await s.done, 'time limit');
    assert.equal(await answered, 'answered');
    assert.equal(await waiting, 'ended', 'the line waiting is never answered');
    const said = out.said();
    assert.ok(said[1]!.length < words.length && words.startsWith(said[1]!), `the reply was cut: "${said[1]!.slice(0, 40)}…"`);
    assert.deepEqual(said.slice(2), [TIME_UP], 'too late to wrap up: only the goodbye');
    assert.deepEqual(out.events.at(-1), { type: 'end', reason: 'time limit' });
    assert.equal(timers.pending, 0);
    const rec = await record();
    assert.equal(rec?.endReason, 'time limit');
    assert.equal(rec?.turns.at(-1)?.text, TIME_UP);
    assert.equal(rec?.turns.at(-2)?.interrupted, true);
    assert.ok(!rec?.turns.some((t) => t.text === 'and another thing'));
  });

  it('twice, at once: both deadline timers fired again and together while listening say each line once, in order, and end once', async () => {
    const { s, timers, out } = await session();
    timers.advance(MAX * 1000);
    for (const fire of timers.everySet) fire(); // and once more
    assert.equal(await s.done, 'time limit');
    assert.deepEqual(out.said().slice(1), [WRAP_UP, TIME_UP]);
    assert.equal(out.events.filter((e) => e.type === 'end').length, 1);
    assert.equal(await s.say('hello?'), 'ended');
  });

  it('after the end: the caller left mid-turn, the turn was cut, the deadline timers were cleared and firing them does nothing', async () => {
    const { s, timers, out, record } = await session();
    llm.push({ text: Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '), tokenDelayMs: 20 });
    const answered = s.say('Tell me everything.');
    await out.waitFor((e) => e.type === 'text');
    await s.end('caller left');
    await s.end('error'); // twice: the first reason stands
    assert.equal(await answered, 'answered');
    assert.equal(timers.pending, 0);
    const count = out.events.length;
    for (const fire of timers.everySet) fire();
    await new Promise((r) => setImmediate(r));
    assert.equal(out.events.length, count, 'nothing is said after the end');
    assert.equal(await s.done, 'caller left');
    assert.equal((await record())?.endReason, 'caller left');
  });

  it('a conversation that ends itself (end_call, a spend cap) ends the session with its own reason', async () => {
    const { s, out, timers } = await session();
    llm.push({ text: 'Goodbye!', toolCalls: [{ name: 'end_call', args: { reason: 'done' } }] }, { text: '' });
    await s.say("That's all, bye.");
    assert.equal(await s.done, 'agent ended');
    assert.deepEqual(out.events.at(-1), { type: 'end', reason: 'agent ended' });
    assert.equal(timers.pending, 0);
  });

  it('a turn that fails is recorded (noteError) and reported to the sink; the session goes on', async () => {
    const { s, out, conversation, record } = await session();
    const real = conversation.reply.bind(conversation);
    conversation.reply = async function* () {
      yield { type: 'text', text: 'Let me ' };
      throw new Error('knowledge index unreadable');
    };
    assert.equal(await s.say('Prices?'), 'answered');
    assert.deepEqual(out.events.find((e) => e.type === 'error'), { type: 'error', code: 'failed', message: 'knowledge index unreadable' });
    assert.equal(s.phase, 'listening');
    conversation.reply = real;
    llm.push({ text: 'It is 350 euros.' });
    await s.say('Prices?');
    assert.equal(out.said().at(-1), 'It is 350 euros.');
    await s.end('caller left');
    const errors = (await record())?.errors ?? [];
    assert.deepEqual(errors.map((e) => [e.where, e.message]), [['session:text', 'knowledge index unreadable']]);
  });
});
