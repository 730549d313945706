import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Records } from '../../src/store/records.ts';
import { parseStreamTwiml } from '../../src/testing/index.ts';
import { runParley } from '../helpers/cli.ts';
import { phoneServerFixture, TWILIO_ACCOUNT } from './helpers.ts';

const NUMBER = '+14155550100';
const CALLER = '+48601234567';
const ADMIN = 'admin-token-for-tests';
const GREETING = 'Hi, this is Ada. How can I help?';
const FRAME = new Int16Array(160);

describe('phone door: Twilio webhook, Media Streams and outbound calls', () => {
  const fx = phoneServerFixture({
    agents: {
      ada: [
        'name: ada',
        'persona:',
        '  prompt: You are Ada.',
        `  firstMessage: ${GREETING}`,
        'knowledge: { sources: [], strict: false }',
        'listen:',
        '  turn: { minEndpointingDelayMs: 50, maxEndpointingDelayMs: 300, minInterruptionMs: 60, falseInterruptionTimeoutMs: 150 }',
        'channels:',
        '  phone:',
        '    number: ${ADA_NUMBER}', // from the environment: inbound calls are matched to it, outbound ones come from it
        `    accountSid: ${TWILIO_ACCOUNT.accountSid}`,
        '    authToken: ${TWILIO_TEST_AUTH_TOKEN}',
        '',
      ].join('\n'),
    },
    env: { ADA_NUMBER: NUMBER, PARLEY_ADMIN_TOKEN: ADMIN },
    msPerChar: 20,
  });
  const { made } = fx;

  const peer = () => fx.peer();
  const voiceUrl = () => `${fx.base}/v1/twilio/voice`;

  it('refuses a webhook with a forged or missing signature (403), and answers TwiML that connects the call to the stream', async () => {
    const p = peer();
    assert.equal((await p.dial(voiceUrl(), { From: CALLER, To: NUMBER }, { signWith: 'not-the-token' })).status, 403);
    assert.equal((await p.dial(voiceUrl(), { From: CALLER, To: NUMBER }, { unsigned: true })).status, 403);
    // Signed for another URL than the one called (a proxy rewriting the host): refused too.
    const other = await fetch(voiceUrl(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' }, body: 'From=%2B1&To=%2B2' });
    assert.equal(other.status, 403);
    const ok = await p.dial(voiceUrl(), { From: CALLER, To: NUMBER });
    assert.equal(ok.status, 200);
    const stream = parseStreamTwiml(ok.twiml);
    assert.ok(stream, ok.twiml);
    assert.equal(stream.url, `${fx.base.replace('http', 'ws')}/v1/twilio/stream`);
    assert.equal(stream.parameters.agent, 'ada');
    assert.equal(stream.parameters.caller, undefined, 'the caller rides inside the signed token, not as an unsigned parameter');
    assert.ok(stream.parameters.token, 'a single-use session token rides along');
  });

  it('an inbound call: greeting as μ-law media with marks, speech in, barge-in gets `clear`, `stop` ends it with a complete record', async () => {
    const p = peer();
    const { twiml } = await p.dial(voiceUrl(), { From: CALLER, To: NUMBER });
    await p.connect(twiml);
    // The greeting arrives as media and plays; every mark comes back.
    // (The chunker speaks the greeting clause by clause, without the space between: 31 of its 32 characters.)
    await p.until(() => p.receivedFrames >= GREETING.length - 1 && p.queuedFrames === 0, 'the greeting to play');
    const s = made.at(-1)!;
    assert.equal(s.tts.spoken.join(' '), GREETING);
    assert.equal(p.heardMs, (GREETING.length - 1) * 20, 'the whole greeting was played');
    assert.ok(p.marksEchoed.length > 0, 'marks tell the server what was heard');

    // The caller asks; the agent answers at length; the caller interrupts.
    const answer = 'We build workflow automations and AI assistants for service businesses with five to two hundred people, and we start within two weeks.';
    fx.llm.push({ text: answer });
    s.vad.start();
    p.say(FRAME);
    s.stt.hear('What do you do?');
    s.vad.stop();
    p.say(FRAME);
    await p.until(() => p.heardMs > GREETING.length * 20 + 500, 'half a second of the answer to be heard');
    s.vad.start();
    p.say(FRAME);
    s.stt.hear('Wait, actually', 'partial');
    await p.until(() => p.clears === 1, 'clear');
    const heardAtClear = p.heardMs;
    fx.llm.push({ text: 'Sure, go ahead.' });
    s.stt.hear('Wait, actually, how much is it?');
    s.vad.stop();
    p.say(FRAME);
    await p.until(() => s.tts.spoken.join(' ').includes('Sure, go ahead.'), 'the next answer');
    await p.hangUp();
    await Promise.all([...fx.app.parley.live].map((x) => x.done));

    const list = await new Records(fx.store.db).search({ channel: 'phone', limit: 5 });
    const rec = await new Records(fx.store.db).get(list.items[0]!.id);
    assert.ok(rec);
    assert.equal(rec.channel, 'phone');
    assert.equal(rec.direction, 'inbound');
    assert.equal(rec.caller, CALLER);
    assert.equal(rec.endReason, 'caller hung up');
    const interrupted = rec.turns.find((t) => t.interrupted);
    assert.ok(interrupted, 'the interrupted agent turn is marked');
    assert.equal(interrupted.text, answer, 'the record keeps what was generated');
    assert.ok(interrupted.heardText && interrupted.heardText.length < answer.length && answer.startsWith(interrupted.heardText.replace(/[.…]+$/, '').trim()), `heard text is a prefix: "${interrupted.heardText}"`);
    const heardAnswerMs = heardAtClear - GREETING.length * 20;
    assert.ok(Math.abs(interrupted.heardText!.length * 20 - heardAnswerMs) <= 400, `heard text (${interrupted.heardText!.length} chars) matches ${heardAnswerMs} ms played`);
    assert.deepEqual(rec.turns.map((t) => t.role), ['agent', 'caller', 'agent', 'caller', 'agent']);
  });

  it('closes only the offending stream on a bad message, and refuses a replayed token', async () => {
    const p = peer();
    const { twiml } = await p.dial(voiceUrl(), { From: CALLER, To: NUMBER });
    await p.connect(twiml);
    p.raw(Buffer.from([1, 2, 3]));
    assert.deepEqual(await p.closed, { code: 1008, reason: 'binary frames are not part of Media Streams' });
    const replay = peer();
    await replay.connect(twiml); // the same token again, from another call: it is bound to the first call's CallSid
    assert.deepEqual(await replay.closed, { code: 1008, reason: 'token was issued to another origin' });
  });

  it('a replayed signed webhook gets a fresh token but no second stream: one stream per CallSid', async () => {
    const p = peer();
    const first = await p.dial(voiceUrl(), { From: CALLER, To: NUMBER });
    const replayed = await p.dial(voiceUrl(), { From: CALLER, To: NUMBER });
    assert.notEqual(parseStreamTwiml(replayed.twiml)?.parameters.token, parseStreamTwiml(first.twiml)?.parameters.token);
    await p.connect(first.twiml);
    await p.until(() => p.receivedFrames > 0, 'the greeting');
    const replay = fx.peer(p.callSid);
    await replay.connect(replayed.twiml);
    assert.deepEqual(await replay.closed, { code: 1008, reason: 'this call already has a stream' });
    assert.equal(replay.receivedFrames, 0, 'the replayed stream heard nothing');
    await p.hangUp();
    await Promise.all([...fx.app.parley.live].map((x) => x.done));
  });

  it('records the caller the signed webhook named, not the unsigned stream parameter', async () => {
    const p = peer();
    const { twiml } = await p.dial(voiceUrl(), { From: CALLER, To: NUMBER });
    const forged = twiml.replace('</Stream>', '<Parameter name="caller" value="+19995550000"/><Parameter name="direction" value="outbound"/></Stream>');
    await p.connect(forged);
    await p.until(() => p.receivedFrames > 0, 'the greeting');
    const id = [...fx.app.parley.live].at(-1)!.conversationId;
    await p.hangUp();
    await Promise.all([...fx.app.parley.live].map((x) => x.done));
    const rec = await new Records(fx.store.db).get(id);
    assert.equal(rec?.caller, CALLER);
    assert.equal(rec?.direction, 'inbound');
  });

  it('places an outbound call through the REST API (admin only), and the answered call is recorded as outbound', async () => {
    const to = '+442071838750';
    const refused = await fetch(`${fx.base}/v1/agents/ada/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to }) });
    assert.equal(refused.status, 401);
    const res = await fetch(`${fx.base}/v1/agents/ada/calls`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ to }) });
    assert.equal(res.status, 201, await res.clone().text());
    const call = (await res.json()) as { sid: string; status: string };
    assert.match(call.sid, /^CA[0-9a-f]{32}$/);
    assert.equal(call.status, 'queued');
    const sent = fx.api.calls.at(-1)!;
    assert.equal(sent.params.To, to);
    assert.equal(sent.params.From, NUMBER);
    assert.equal(sent.params.Url, `${fx.base}/v1/twilio/voice?agent=ada&direction=outbound&admitted=1`);

    // Twilio calls the webhook when the callee answers.
    const p = peer();
    const answered = await p.dial(sent.params.Url!, { From: NUMBER, To: to, Direction: 'outbound-api' });
    assert.equal(answered.status, 200);
    await p.connect(answered.twiml);
    await p.until(() => p.receivedFrames > 10, 'the greeting');
    await p.hangUp();
    await Promise.all([...fx.app.parley.live].map((x) => x.done));
    const list = await new Records(fx.store.db).search({ channel: 'phone', limit: 1 });
    const rec = await new Records(fx.store.db).get(list.items[0]!.id);
    assert.equal(rec?.direction, 'outbound');
    assert.equal(rec?.caller, to);
  });

  it('`parley call` asks the server to place the call', async () => {
    const r = await runParley(['call', '+442071838751', '--agent', 'ada', '--server', fx.base], { env: { PARLEY_ADMIN_TOKEN: ADMIN } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /calling \+442071838751 from \+14155550100 \(call CA[0-9a-f]{32}, queued\)/);
    assert.equal(fx.api.calls.at(-1)!.params.To, '+442071838751');
    const bad = await runParley(['call', '12345', '--agent', 'ada', '--server', fx.base], { env: { PARLEY_ADMIN_TOKEN: ADMIN } });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /E\.164/);
  });
});
