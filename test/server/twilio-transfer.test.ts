import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Records } from '../../src/store/records.ts';
import type { ChatRequest, FakeOpenAI, TwilioCallPeer } from '../../src/testing/index.ts';
import type { ScriptedStt, ScriptedVad } from '../../src/testing/voice.ts';
import { phoneServerFixture, TWILIO_ACCOUNT } from './helpers.ts';

// Hand-off to a person and the keypad on the phone door, against the fake Twilio (REST Calls
// create/update, TwiML run on the calls, signed status and conference callbacks, Media Streams).

const NUMBER = '+14155550100';
const CALLER = '+48601234567';
const SALES = '+14155550111';
const NIGHT = '+14155550122';
const FRAME = new Int16Array(160);
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
// Staffed only on the day after tomorrow (UTC): never now, whenever the test runs.
const OTHER_DAY = DAYS[(new Date().getUTCDay() + 6 + 2) % 7]!;

function agentYaml(name: string, transfer: string[]): string {
  return [
    `name: ${name}`,
    'persona:',
    '  prompt: You are Ada.',
    '  firstMessage: Hi.',
    'knowledge: { sources: [], strict: false }',
    'timeZone: UTC',
    'listen:',
    '  turn: { minEndpointingDelayMs: 50, maxEndpointingDelayMs: 300, minInterruptionMs: 60, falseInterruptionTimeoutMs: 150 }',
    'tools:',
    '  - end_call',
    '  - press_keys',
    ...transfer,
    'channels:',
    '  phone:',
    `    number: "${NUMBER}"`,
    `    accountSid: ${TWILIO_ACCOUNT.accountSid}`,
    '    authToken: ${TWILIO_TEST_AUTH_TOKEN}',
    '    keypad: { interDigitMs: 300, maxDigits: 20 }',
    '',
  ].join('\n');
}

describe('phone door: transfer to a person, and the keypad', () => {
  const fx = phoneServerFixture({
    agents: {
      ada: agentYaml('ada', [
        '  - type: transfer',
        '    mode: warm',
        '    timeoutSec: 20',
        '    key: "0"',
        '    holdMusic: https://music.example.com/hold.mp3',
        '    destinations:',
        `      - { label: sales, number: "${SALES}", when: the caller wants to buy }`,
        `      - { label: night desk, number: "${NIGHT}", hours: { ${OTHER_DAY}: ["09:00-17:00"] } }`,
      ]),
      cole: agentYaml('cole', ['  - type: transfer', '    mode: cold', `    number: "${SALES}"`]),
    },
    msPerChar: 5,
  });
  const { made } = fx;

  /** A caller on `agent`, past the greeting, known to the fake REST API. */
  async function call(agent = 'ada') {
    const p = fx.peer();
    fx.api.attach(p, NUMBER);
    const { twiml } = await p.dial(`${fx.base}/v1/twilio/voice?agent=${agent}`, { From: CALLER, To: NUMBER });
    await p.connect(twiml);
    await p.until(() => p.receivedFrames >= 1 && p.queuedFrames === 0, 'the greeting');
    const id = [...fx.app.parley.live].at(-1)!.conversationId;
    return { p, s: made.at(-1)!, id };
  }

  function says(p: TwilioCallPeer, s: { stt: ScriptedStt; vad: ScriptedVad }, text: string) {
    s.vad.start();
    p.say(FRAME);
    s.stt.hear(text);
    s.vad.stop();
    p.say(FRAME);
  }

  /** A scripted model step that also tells when the model was asked (no polling). */
  function step(reply: Parameters<FakeOpenAI['push']>[0] & object) {
    let seen!: (r: ChatRequest) => void;
    const request = new Promise<ChatRequest>((r) => (seen = r));
    fx.llm.push((req) => (seen(req), reply as never));
    return request;
  }
  const settle = () => Promise.all([...fx.app.parley.live].map((x) => x.done));
  const record = async (id: string) => (await new Records(fx.store.db).get(id))!;
  const lastUser = (r: ChatRequest) => {
    const m = r.messages.findLast((x) => x.role === 'user');
    return typeof m?.content === 'string' ? m.content : JSON.stringify(m?.content);
  };
  const toolResult = (r: ChatRequest) => JSON.parse(String(r.messages.findLast((x) => x.role === 'tool')?.content)) as Record<string, unknown>;

  it('warm: the caller holds (hold music), the person hears the summary and takes the call; the agent leaves', async () => {
    const { p, s, id } = await call();
    let ring: ((a: 'answer') => void) | undefined;
    fx.api.answering = () => new Promise((r) => (ring = r));
    // Only the tool call: once the person took the call the agent has left, and the model is not asked again.
    fx.llm.push({ toolCalls: [{ name: 'transfer', args: { to: 'sales', summary: 'Jan from Acme wants a quote for 40 seats.' } }] });
    const updatesBefore = fx.api.updates.length;
    says(p, s, 'Can I talk to someone in sales?');
    // The caller's call now holds in a conference, its stream stopped; the person's phone rings.
    await fx.api.until(() => fx.api.calls.some((c) => c.params.To === SALES) && [...fx.api.rooms.values()].some((r) => r.holding.includes(p.callSid)) && ring !== undefined, 'the caller to hold while sales rings');
    const hold = fx.api.updates[updatesBefore]!;
    assert.equal(hold.callSid, p.callSid);
    assert.match(hold.params.Twiml!, /<Say>Please hold while I connect you\.<\/Say><Dial><Conference [^>]*startConferenceOnEnter="false"[^>]*waitUrl="https:\/\/music\.example\.com\/hold\.mp3"/);
    const room = [...fx.api.rooms.values()].find((r) => r.holding.includes(p.callSid))!;
    assert.equal(room.waitUrl, 'https://music.example.com/hold.mp3');
    const person = fx.api.calls.find((c) => c.params.To === SALES)!;
    assert.equal(person.params.From, NUMBER);
    assert.equal(person.params.Timeout, '20');
    assert.deepEqual(person.events, ['initiated', 'ringing', 'answered', 'completed']);
    assert.match(person.params.StatusCallback!, new RegExp(`^${fx.base}/v1/twilio/transfers/[0-9a-f]+/status$`));
    // A forged callback claiming the person answered is refused: only Twilio's signature counts.
    const forged = await fetch(person.params.StatusCallback!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' }, body: new URLSearchParams({ CallSid: 'CA0', CallStatus: 'in-progress' }) });
    assert.equal(forged.status, 403);
    assert.equal(fx.api.connected.get(p.callSid), undefined);
    ring!('answer');
    await fx.api.until(() => fx.api.connected.get(p.callSid) === SALES, 'the caller to be connected to sales');
    await settle();
    assert.match(fx.api.said.find((x) => x.to === SALES)!.text, /with a caller for sales\. Jan from Acme wants a quote for 40 seats\. Connecting you now\./);
    assert.ok(fx.api.callbacks.every((c) => c.status === 204), 'every signed callback was accepted');
    const rec = await record(id);
    assert.equal(rec.endReason, 'transferred');
    const t = rec.toolCalls.find((c) => c.name === 'transfer')!;
    assert.deepEqual(t.result, { to: 'sales', mode: 'warm', summary: 'Jan from Acme wants a quote for 40 seats.', transferred: true, outcome: 'connected', note: 'The caller is now with the person; you have left the call. Say nothing more.' });
  });

  it('warm, nobody answers: the person\'s call ends no-answer, the caller is back on a new stream and the agent offers a message', async () => {
    const { p, s, id } = await call();
    fx.api.answering = () => 'no-answer';
    fx.llm.push({ toolCalls: [{ name: 'transfer', args: { to: 'sales', summary: 'Wants a quote.' } }] }, { text: 'Sorry, nobody could pick up. Shall I take a message?' });
    const asked = fx.llm.requests.length;
    says(p, s, 'Put me through to sales please.');
    await fx.api.until(() => p.streams === 2, 'the caller to be back on a stream');
    await p.until(() => s.tts.spoken.join(' ').includes('Shall I take a message?') && p.queuedFrames === 0 && p.receivedFrames > 0, 'the agent to speak again');
    const back = fx.llm.requests[asked + 1]!;
    const result = toolResult(back);
    assert.equal(result.outcome, 'no answer');
    assert.equal(result.transferred, false);
    assert.match(String(result.note), /Nobody answered at sales; the caller is back with you\. .*take a message/);
    // Twilio was asked to put the call back on a Media Stream that resumes this conversation.
    const resume = fx.api.updates.filter((u) => u.callSid === p.callSid).at(-1)!;
    assert.match(resume.params.Twiml!, /<Connect><Stream url="ws:\/\/[^"]+\/v1\/twilio\/stream"><Parameter name="token"/);
    assert.match(resume.params.Twiml!, /<Parameter name="resume" value="1"\/>/);
    assert.ok(fx.api.callbacks.some((c) => c.form.CallStatus === 'no-answer'));
    // The conversation goes on: the caller answers on the new stream.
    fx.llm.push({ text: 'Noted.' });
    says(p, s, 'Yes, tell them to call me back.');
    await p.until(() => s.tts.spoken.join(' ').includes('Noted.'), 'the next answer on the new stream');
    await p.hangUp();
    await settle();
    const rec = await record(id);
    assert.equal(rec.endReason, 'caller hung up');
    assert.equal(rec.toolCalls.find((c) => c.name === 'transfer')!.result && (rec.toolCalls.find((c) => c.name === 'transfer')!.result as { outcome: string }).outcome, 'no answer');
    assert.deepEqual(rec.turns.filter((t) => t.role === 'caller').map((t) => t.text), ['Put me through to sales please.', 'Yes, tell them to call me back.']);
  });

  it('outside the destination\'s hours the tool says so and nothing is dialled', async () => {
    const { p, s, id } = await call();
    fx.llm.push({ toolCalls: [{ name: 'transfer', args: { to: 'night desk', summary: 'Urgent.' } }] }, { text: 'The night desk is closed now. Can I take a message?' });
    const before = { updates: fx.api.updates.length, calls: fx.api.calls.length };
    const asked = fx.llm.requests.length;
    says(p, s, 'Night desk please.');
    await p.until(() => s.tts.spoken.join(' ').includes('closed now'), 'the answer');
    assert.deepEqual({ updates: fx.api.updates.length, calls: fx.api.calls.length }, before, 'no REST call was made');
    const result = toolResult(fx.llm.requests[asked + 1]!);
    assert.equal(result.outcome, 'outside hours');
    assert.match(String(result.nextOpen), /09:00$/);
    await p.hangUp();
    await settle();
    assert.equal(((await record(id)).toolCalls.find((c) => c.name === 'transfer')!.result as { outcome: string }).outcome, 'outside hours');
  });

  it('cold: the call is dialled straight to the number and the agent leaves', async () => {
    const { p, s, id } = await call('cole');
    fx.llm.push({ toolCalls: [{ name: 'transfer', args: { summary: 'Wants sales.' } }] });
    says(p, s, 'A human please.');
    await fx.api.until(() => fx.api.dialled.some((d) => d.callSid === p.callSid), 'the dial');
    await settle();
    assert.deepEqual(fx.api.dialled.find((d) => d.callSid === p.callSid), { callSid: p.callSid, number: SALES, callerId: NUMBER });
    assert.equal(fx.api.connected.get(p.callSid), SALES);
    const rec = await record(id);
    assert.equal(rec.endReason, 'transferred');
    assert.equal((rec.toolCalls.find((c) => c.name === 'transfer')!.result as { outcome: string }).outcome, 'connected');
  });

  it('press_keys plays the digits on the call (REST <Play digits>), then the call is back on a stream of the same conversation', async () => {
    const { p, s, id } = await call();
    fx.llm.push({ toolCalls: [{ name: 'press_keys', args: { keys: '2' } }] }, { text: 'Pressed two.' });
    says(p, s, 'For sales, press 2.');
    await fx.api.until(() => fx.api.digits.some((d) => d.callSid === p.callSid) && p.streams === 2, 'the digits and the new stream');
    assert.deepEqual(fx.api.digits.filter((d) => d.callSid === p.callSid), [{ callSid: p.callSid, digits: '2' }]);
    assert.match(fx.api.updates.at(-1)!.params.Twiml!, /^<\?xml version="1\.0" encoding="UTF-8"\?><Response><Play digits="2"\/><Connect><Stream /);
    await p.until(() => s.tts.spoken.join(' ').includes('Pressed two.'), 'the agent on the new stream');
    await p.hangUp();
    await settle();
    const rec = await record(id);
    assert.deepEqual((rec.toolCalls.find((c) => c.name === 'press_keys')!.result as { pressed: boolean }).pressed, true);
  });

  it('the caller\'s keys reach the model as one input ("1 2 3 #"), recorded as their turn', async () => {
    const { p, id } = await call();
    const asked = step({ text: 'Thanks, account 123.' });
    for (const k of ['1', '2', '3', '#']) p.pressKey(k);
    assert.match(lastUser(await asked), /\(the caller pressed 1 2 3 #\)/);
    await p.hangUp();
    await settle();
    assert.ok((await record(id)).turns.some((t) => t.role === 'caller' && t.text === '(the caller pressed 1 2 3 #)'));
  });

  it('"press 0 for a person": the key alone makes the model call transfer first', async () => {
    const { p, id } = await call();
    fx.api.answering = () => 'answer';
    const asked = step({ toolCalls: [{ name: 'transfer', args: { to: 'sales', summary: 'Pressed 0.' } }] });
    p.pressKey('0');
    const req = await asked;
    assert.match(lastUser(req), /\(the caller pressed 0, the key for a person\)/);
    assert.deepEqual(req.tool_choice, { type: 'function', function: { name: 'transfer' } });
    await fx.api.until(() => fx.api.connected.get(p.callSid) === SALES, 'the transfer');
    await settle();
    assert.equal((await record(id)).endReason, 'transferred');
  });

  it('a flood of keys is capped: one input of at most maxDigits; a key that is no DTMF digit closes the stream', async () => {
    const { p, id } = await call();
    const before = fx.llm.requests.length;
    const asked = step({ text: 'That was a lot of keys.' });
    for (let i = 0; i < 150; i++) p.pressKey(String(i % 10));
    const text = lastUser(await asked);
    const pressed = /\(the caller pressed ([^)]*)\)/.exec(text)![1]!.split(' ');
    assert.equal(pressed.length, 20, text);
    await p.until(() => p.queuedFrames === 0 && made.at(-1)!.tts.spoken.join(' ').includes('lot of keys'), 'the answer');
    assert.equal(fx.llm.requests.length, before + 1, 'one model request for the whole flood');
    p.raw(JSON.stringify({ event: 'dtmf', streamSid: p.streamSid, sequenceNumber: '999', dtmf: { track: 'inbound_track', digit: 'E' } }));
    assert.deepEqual(await p.closed, { code: 1008, reason: 'dtmf needs one dtmf.digit' });
    await settle();
    assert.equal((await record(id)).endReason, 'caller hung up');
  });

  it('the caller hangs up while holding: the person\'s ringing call is cancelled and the conversation ends', async () => {
    const { p, s, id } = await call();
    let rang = false;
    fx.api.answering = () => ((rang = true), new Promise(() => {})); // rings and rings
    fx.llm.push({ toolCalls: [{ name: 'transfer', args: { to: 'sales', summary: 'x' } }] });
    says(p, s, 'Sales please.');
    await fx.api.until(() => rang && [...fx.api.rooms.values()].some((r) => r.holding.includes(p.callSid)), 'the hold');
    const person = fx.api.calls.at(-1)!;
    await fx.api.hangUp(p.callSid);
    await settle();
    await fx.api.until(() => fx.api.updates.some((u) => u.params.Status === 'canceled'), 'the person\'s call to be cancelled');
    assert.equal(fx.api.connected.get(p.callSid), undefined);
    assert.equal(person.params.To, SALES);
    const rec = await record(id);
    assert.equal(rec.endReason, 'caller hung up');
  });

  it('two transfers asked at once: one goes ahead, the other is told one is under way', async () => {
    const { p, s, id } = await call();
    fx.api.answering = () => 'answer';
    fx.llm.push({ toolCalls: [{ name: 'transfer', args: { to: 'sales', summary: 'one' } }, { name: 'transfer', args: { to: 'sales', summary: 'two' } }] });
    const calls = fx.api.calls.length;
    says(p, s, 'Sales, now!');
    await fx.api.until(() => fx.api.connected.get(p.callSid) === SALES, 'the transfer');
    await settle();
    assert.equal(fx.api.calls.length, calls + 1, 'one person was called');
    const outcomes = (await record(id)).toolCalls.filter((c) => c.name === 'transfer').map((c) => (c.result as { outcome: string; detail?: string }).detail ?? (c.result as { outcome: string }).outcome).sort();
    assert.deepEqual(outcomes, ['a transfer or key press is already under way', 'connected']);
  });

  it('refuses a callback for an unknown transfer', async () => {
    const forged = await fetch(`${fx.base}/v1/twilio/transfers/abc/status`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' }, body: 'CallStatus=in-progress' });
    assert.equal(forged.status, 404);
  });
});
