import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from 'temporal-polyfill';
import { collectSpec } from '../../src/agent/collect.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import type { PhoneLine, TransferRequest } from '../../src/tools/phone-line.ts';
import { pressKeysTool } from '../../src/tools/press-keys.ts';
import { nextOpening, staffedAt } from '../../src/tools/staffed-hours.ts';
import { transferTool } from '../../src/tools/transfer.ts';
import { KeypadInput, MAX_INPUTS_PER_MINUTE } from '../../src/channels/twilio/keypad.ts';
import { toolContext } from '../helpers/tool-context.ts';

const never = new AbortController().signal;
const at = (iso: string) => Temporal.Instant.from(iso);

function agentWith(tool: Record<string, unknown>, timeZone = 'Europe/Warsaw') {
  const config = AgentFile.parse({ persona: { prompt: 'x', firstMessage: 'Hi.' }, timeZone, tools: [tool] });
  return { name: 'acme', config, collect: [] };
}

/** A phone line that records what it was asked and answers `outcome`. */
function fakeLine(outcome: 'connected' | 'no answer' | 'busy' | 'failed') {
  const asked: TransferRequest[] = [];
  const keys: string[] = [];
  const line: PhoneLine = {
    transfer: async (r) => (asked.push(r), { outcome }),
    pressKeys: async (d) => void keys.push(d),
  };
  return { line, asked, keys };
}

describe('staffed hours', () => {
  const hours = { mon: ['09:00-17:00'], fri: ['22:00-02:00'] };
  it('reads the ranges on the business clock, overnight ranges included', () => {
    // 2026-01-12 is a Monday; Warsaw is UTC+1 in January.
    assert.equal(staffedAt(hours, 'Europe/Warsaw', at('2026-01-12T08:30:00Z')), true); // 09:30 local
    assert.equal(staffedAt(hours, 'Europe/Warsaw', at('2026-01-12T07:30:00Z')), false); // 08:30 local
    assert.equal(staffedAt(hours, 'Europe/Warsaw', at('2026-01-12T16:00:00Z')), false); // 17:00 local: closed
    assert.equal(staffedAt(hours, 'Europe/Warsaw', at('2026-01-16T22:30:00Z')), true); // Fri 23:30
    assert.equal(staffedAt(hours, 'Europe/Warsaw', at('2026-01-17T00:30:00Z')), true); // Sat 01:30, Friday's range
    assert.equal(staffedAt(hours, 'Europe/Warsaw', at('2026-01-17T01:30:00Z')), false); // Sat 02:30
  });
  it('names the next opening, or none', () => {
    assert.equal(nextOpening(hours, 'Europe/Warsaw', at('2026-01-12T16:00:00Z')), 'Friday 22:00');
    assert.equal(nextOpening({}, 'UTC', at('2026-01-12T16:00:00Z')), null);
  });
});

describe('what the agent offers when nobody can be put through (docs/phone.md table)', () => {
  // Outside hours on a phone call: one row of the table per case; the same offer follows no answer and the web.
  const closed = { type: 'transfer', destinations: [{ label: 'sales desk', number: '+15125550142', hours: { mon: ['09:00-17:00'] } }] };
  const saturday = () => new Date('2026-01-17T12:00:00Z');
  const calendar = { availability: async () => [], book: async () => { throw new Error('not here'); } };
  const callBackWords = 'offer a call back: ask for their phone number, save it with save_lead as phone (read it back digit by digit, wait for a yes) and say someone from sales desk will call them back';
  const message = 'offer to take a message (their name, number and what it is about) so someone calls back';
  // [the tool's own fields, a phone field in collect, a calendar, the note's offer exactly]
  const cases: [fields: Record<string, unknown>, phoneField: boolean, withCalendar: boolean, offer: string][] = [
    [{ callBack: true }, true, true, `${callBackWords}, or offer to book the intro call.`],
    [{}, true, false, `${callBackWords}.`],
    [{ callBack: false }, true, true, `offer to book the intro call, or ${message}.`],
    [{ callBack: true }, false, true, `offer to book the intro call, or ${message}.`],
    [{ callBack: false }, false, false, `${message}.`],
    // offer: exactly these, in this order.
    [{ offer: ['booking'] }, true, true, 'offer to book the free 30-minute consultation.'],
    [{ offer: ['message', 'callBack'] }, true, true, `${message}, or ${callBackWords}.`],
    [{ offer: ['booking', 'message', 'callBack'] }, true, true, `offer to book the free 30-minute consultation, or ${message}, or ${callBackWords}.`],
    // An offer this run cannot make (no calendar here; parley check refuses it in the file) is dropped, and a message stands in for none.
    [{ offer: ['booking'] }, true, false, `${message}.`],
  ];
  for (const [fields, phoneField, withCalendar, offer] of cases) {
    it(`${JSON.stringify(fields)}, ${phoneField ? 'a' : 'no'} phone field, ${withCalendar ? 'a' : 'no'} calendar`, async () => {
      const named = 'offer' in fields && withCalendar ? { calendar: { provider: 'builtin', meetingName: 'free 30-minute consultation' } } : {};
      const config = AgentFile.parse({ persona: { prompt: 'x', firstMessage: 'Hi.' }, timeZone: 'America/Chicago', tools: [{ ...closed, ...fields }], ...named });
      const agent = { name: 'acme', config, collect: phoneField ? [collectSpec('phone', 'America/Chicago')] : [] };
      const { line, asked } = fakeLine('connected');
      const { ctx } = toolContext({ agent, phone: line, now: saturday, ...(withCalendar ? { calendar: calendar as never } : {}) });
      const out = await transferTool(ctx, agent.config.tools[0] as never).run({ summary: 'Wants a quote.' }, never, 'c1');
      assert.equal((out.result as { outcome: string }).outcome, 'outside hours');
      const note = (out.result as { note: string }).note;
      assert.equal(note, `Nobody from sales desk is available right now (next: Monday 09:00, America/Chicago). Say so, and ${offer}`);
      assert.equal(asked.length, 0, 'nobody is dialled outside hours');
    });
  }

  it('the same offer follows no answer, and the web', async () => {
    const config = AgentFile.parse({ persona: { prompt: 'x', firstMessage: 'Hi.' }, timeZone: 'America/Chicago', tools: [{ ...closed, offer: ['booking'] }], calendar: { provider: 'builtin', meetingName: 'free 30-minute consultation' } });
    const agent = { name: 'acme', config, collect: [collectSpec('phone', 'America/Chicago')] };
    const monday = () => new Date('2026-01-12T16:00:00Z');
    const { line } = fakeLine('no answer');
    const phone = toolContext({ agent, phone: line, now: monday, calendar: calendar as never });
    const missed = (await transferTool(phone.ctx, config.tools[0] as never).run({ summary: 'x' }, never, 'c1')).result as { outcome: string; note: string };
    assert.equal(missed.outcome, 'no answer');
    assert.match(missed.note, /Apologise briefly, and offer to book the free 30-minute consultation\.$/);
    const web = toolContext({ agent, now: monday, calendar: calendar as never });
    const note = ((await transferTool(web.ctx, config.tools[0] as never).run({ summary: 'x' }, never, 'c2')).result as { note: string }).note;
    assert.match(note, /Tell the visitor, and offer to book the free 30-minute consultation\.$/);
    assert.doesNotMatch(note, /call back|message/);
  });
});

describe('transfer tool', () => {
  const tool = { type: 'transfer', destinations: [{ label: 'sales', number: '+14155550111' }, { label: 'billing', number: '+14155550122', hours: { mon: ['09:00-17:00'] } }] };

  it('on the web (no phone line) says nobody can be put through, keeps the number private, and offers a message', async () => {
    const agent = agentWith(tool);
    const { ctx } = toolContext({ agent });
    const out = await transferTool(ctx, agent.config.tools[0] as never).run({ to: 'sales', summary: 'Wants a quote.' }, never, 'c1');
    assert.equal((out.result as { outcome: string }).outcome, 'not on a phone call');
    assert.match((out.result as { note: string }).note, /cannot be put through on the website; do not make up a number.*take a message/);
    assert.ok(!JSON.stringify(out.result).includes('555'), 'the number stays private unless sayNumber');
  });

  it('on the web with sayNumber: the number to call (digit by digit, with its hours), and a call back when collect has a phone', async () => {
    const web = { type: 'transfer', sayNumber: true, destinations: [{ label: 'sales', number: '+15125550142', hours: { mon: ['09:00-17:00'] } }, { label: 'on-call', number: '+15125550199', sayNumber: false }] };
    const agent = { ...agentWith(web, 'America/Chicago'), collect: [collectSpec('name', 'America/Chicago'), collectSpec('phone', 'America/Chicago')] };
    // Monday 2026-01-12 10:00 in Chicago: sales is staffed.
    const { ctx } = toolContext({ agent, now: () => new Date('2026-01-12T16:00:00Z') });
    const spec = transferTool(ctx, agent.config.tools[0] as never);
    const open = (await spec.run({ to: 'sales', summary: 'Wants a quote.' }, never, 'c1')).result as Record<string, string>;
    assert.equal(open.outcome, 'not on a phone call');
    assert.equal(open.number, '+1 512 555 0142');
    assert.equal(open.say, 'plus one, five one two, five five five, zero one four two');
    assert.match(open.note, /may call sales at \+1 512 555 0142 \(they can call now\)/);
    assert.match(open.note, /offer a call back: ask for their phone number, save it with save_lead as phone/);
    // Outside hours: the number with when it is answered next.
    const late = toolContext({ agent, now: () => new Date('2026-01-13T16:00:00Z') });
    const closed = (await transferTool(late.ctx, agent.config.tools[0] as never).run({ to: 'sales', summary: 'x' }, never, 'c2')).result as Record<string, string>;
    assert.match(closed.note, /nobody answers right now; next: Monday 09:00, America\/Chicago/);
    // A destination marked sayNumber: false keeps its number private.
    const private_ = (await spec.run({ to: 'on-call', summary: 'x' }, never, 'c3')).result as Record<string, string>;
    assert.equal(private_.number, undefined);
    assert.ok(!JSON.stringify(private_).includes('0199'));
  });

  it('outside hours it does not dial; inside it hands the line the number, the brief and the mode; connected ends the conversation as transferred', async () => {
    const agent = agentWith(tool);
    const { line, asked } = fakeLine('connected');
    let ended: string | undefined;
    const closed = toolContext({ agent, phone: line, now: () => new Date('2026-01-13T10:00:00Z'), requestEnd: (r) => void (ended = r) });
    const spec = transferTool(closed.ctx, agent.config.tools[0] as never);
    const shut = await spec.run({ to: 'billing', summary: 'Invoice question.' }, never, 'c1');
    assert.equal((shut.result as { outcome: string }).outcome, 'outside hours');
    assert.equal(asked.length, 0);
    const open = toolContext({ agent, phone: line, now: () => new Date('2026-01-12T10:00:00Z'), requestEnd: (r) => void (ended = r) });
    const ok = await transferTool(open.ctx, agent.config.tools[0] as never).run({ to: 'Billing', summary: 'Invoice question.' }, never, 'c2');
    assert.equal((ok.result as { outcome: string }).outcome, 'connected');
    assert.equal(ended, 'transferred');
    assert.deepEqual({ ...asked[0], brief: undefined }, { number: '+14155550122', mode: 'warm', brief: undefined, holdMessage: 'Please hold while I connect you.', holdMusic: undefined, timeoutSec: 30 });
    assert.match(asked[0]!.brief, /a caller for billing\. Invoice question\./);
  });

  it('the brief names the business by the agent file\'s description; without one, the slug said as words', async () => {
    const heard = async (description: string | undefined) => {
      const base = agentWith(tool);
      const agent = { ...base, name: 'brightside-solar', config: { ...base.config, ...(description !== undefined ? { description } : {}) } };
      const { line, asked } = fakeLine('connected');
      const { ctx } = toolContext({ agent, phone: line, now: () => new Date('2026-01-12T10:00:00Z') });
      await transferTool(ctx, agent.config.tools[0] as never).run({ to: 'billing', summary: 'Invoice question.' }, never, 'c');
      return asked[0]!.brief;
    };
    assert.equal(await heard('Brightside Solar'), 'Hello, this is the assistant of Brightside Solar, with a caller for billing. Invoice question. Connecting you now.');
    assert.match(await heard('  Brightside\n Solar '), /assistant of Brightside Solar, with/);
    assert.match(await heard(undefined), /assistant of brightside solar, with/);
    assert.match(await heard('   '), /assistant of brightside solar, with/);
  });

  it('no answer and busy bring the caller back with the alternatives; an unknown label is refused', async () => {
    const agent = agentWith(tool);
    for (const outcome of ['no answer', 'busy'] as const) {
      const { ctx } = toolContext({ agent, phone: fakeLine(outcome).line });
      const r = (await transferTool(ctx, agent.config.tools[0] as never).run({ to: 'sales', summary: 's' }, never, 'c')).result as { outcome: string; transferred: boolean; note: string };
      assert.equal(r.outcome, outcome);
      assert.equal(r.transferred, false);
      assert.match(r.note, /caller is back with you.*take a message/);
    }
    const { ctx } = toolContext({ agent, phone: fakeLine('connected').line });
    const r = await transferTool(ctx, agent.config.tools[0] as never).run({ to: 'the CEO', summary: 's' }, never, 'c');
    assert.equal(r.error, 'unknown destination');
  });

  it('the schema refuses both or neither of destinations and number, and duplicate labels', () => {
    const parse = (t: Record<string, unknown>) => AgentFile.safeParse({ persona: { prompt: 'x', firstMessage: 'Hi.' }, tools: [t] }).success;
    assert.equal(parse({ type: 'transfer' }), false);
    assert.equal(parse({ type: 'transfer', number: '+14155550111', destinations: tool.destinations }), false);
    assert.equal(parse({ type: 'transfer', destinations: [{ label: 'a', number: '+14155550111' }, { label: 'A', number: '+14155550122' }] }), false);
    assert.equal(parse({ type: 'transfer', number: '+14155550111', key: '0' }), true);
    assert.equal(parse({ type: 'transfer', number: '+14155550111', key: '00' }), false);
  });
});

describe('press_keys tool', () => {
  it('sends only DTMF keys (0-9 * # A-D, w) and only on a phone call', async () => {
    const agent = agentWith({ type: 'press_keys' });
    const { line, keys } = fakeLine('connected');
    const { ctx } = toolContext({ agent, phone: line });
    const spec = pressKeysTool(ctx);
    assert.equal((await spec.run({ keys: '1, 2 #' }, never, 'c')).error, undefined);
    assert.deepEqual(keys, ['12#']);
    assert.match(String((await spec.run({ keys: '12; rm -rf' }, never, 'c')).error), /invalid keys/);
    assert.match(String((await spec.run({ keys: '1'.repeat(33) }, never, 'c')).error), /invalid keys/);
    assert.deepEqual(keys, ['12#'], 'nothing else reached the line');
    const web = toolContext({ agent });
    assert.equal((await pressKeysTool(web.ctx).run({ keys: '1' }, never, 'c')).result && ((await pressKeysTool(web.ctx).run({ keys: '1' }, never, 'c')).result as { pressed: boolean }).pressed, false);
  });
});

describe('keypad input', () => {
  function keypad(o: { interDigitMs?: number; maxDigits?: number } = {}) {
    let now = 0;
    const timers: { fn: () => void; at: number }[] = [];
    const inputs: string[] = [];
    const k = new KeypadInput({
      interDigitMs: o.interDigitMs ?? 1000,
      maxDigits: o.maxDigits ?? 5,
      onInput: (keys) => inputs.push(keys),
      now: () => now,
      setTimer: (fn, ms) => {
        const t = { fn, at: now + ms };
        timers.push(t);
        return t;
      },
      clearTimer: (t) => void timers.splice(timers.indexOf(t as never), 1),
    });
    const advance = (ms: number) => {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) (timers.splice(timers.indexOf(t), 1), t.fn());
    };
    return { k, inputs, advance };
  }

  it('keys within the inter-digit time are one input; # ends one at once; a pause ends one', () => {
    const { k, inputs, advance } = keypad();
    k.press('1');
    advance(900);
    k.press('2');
    advance(900);
    assert.deepEqual(inputs, []);
    advance(100);
    assert.deepEqual(inputs, ['12']);
    k.press('4');
    k.press('#');
    assert.deepEqual(inputs, ['12', '4#']);
  });

  it('refuses what is no DTMF key, caps the keys of an input and the inputs of a minute', () => {
    const { k, inputs, advance } = keypad({ maxDigits: 5 });
    assert.equal(k.press('E'), false);
    assert.equal(k.press('11'), false);
    for (let i = 0; i < 50; i++) k.press('9');
    advance(1000);
    assert.deepEqual(inputs, ['99999']);
    assert.equal(k.dropped, 45);
    for (let i = 0; i < MAX_INPUTS_PER_MINUTE + 5; i++) k.press('#');
    assert.equal(inputs.length, MAX_INPUTS_PER_MINUTE, 'no more inputs this minute');
    advance(60_000);
    k.press('#');
    assert.equal(inputs.length, MAX_INPUTS_PER_MINUTE + 1, 'a minute later keys count again');
  });
});
