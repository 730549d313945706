import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import { CampaignRunner } from '../../src/server/campaigns/runner.ts';
import type { ServerContext } from '../../src/server/context.ts';
import { Campaigns } from '../../src/store/campaigns.ts';
import type { CampaignView, ContactView } from '../../src/store/campaign-types.ts';
import { OutboundCalls } from '../../src/store/outbound-calls.ts';
import { Records } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, startFakeTwilioApi, type FakeOpenAI, type FakeTwilioApi } from '../../src/testing/index.ts';
import { ScriptedStt, ScriptedVad, TimedTts } from '../../src/testing/voice.ts';
import { tempDir } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';
import { listenOnLoopback } from './helpers.ts';

// Campaigns and answering machines against the Twilio fake, with a clock the test moves: no waiting.

const NUMBER = '+14155550100';
const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'twilio-auth-token-for-tests';
const ADMIN = 'admin-token-for-tests';
const FRAME = new Int16Array(160);
// Tuesday 2 March 2027, 15:00 UTC: 07:00 in Los Angeles, 09:00 in Chicago, 10:00 in New York.
const T0 = Date.parse('2027-03-02T15:00:00Z');
const MIN = 60_000;

function agent(dir: string, name: string, outbound: string[]) {
  mkdirSync(join(dir, name));
  writeFileSync(
    join(dir, name, 'agent.yaml'),
    [
      `name: ${name}`,
      'persona:',
      '  prompt: You are Ada from Acme, calling {{name|a customer}} about their order.',
      '  firstMessage: "Hi {{name|there}}, this is Ada from Acme."',
      'knowledge: { sources: [], strict: false }',
      'listen:',
      '  turn: { minEndpointingDelayMs: 50, maxEndpointingDelayMs: 300, minInterruptionMs: 60, falseInterruptionTimeoutMs: 150 }',
      'channels:',
      '  phone:',
      `    number: "${NUMBER}"`,
      `    accountSid: ${ACCOUNT}`,
      '    authToken: ${TWILIO_TEST_AUTH_TOKEN}',
      'outbound:',
      ...outbound.map((l) => `  ${l}`),
      'limits: { maxDurationSec: 300, conversationsPerIpPerHour: 1000 }',
      '',
    ].join('\n'),
  );
}

describe('outbound campaigns and answering machines (Twilio fake, injectable clock)', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  let twilio: FakeTwilioApi;
  let ctx: ServerContext;
  let clock = T0;
  const made: { stt: ScriptedStt; vad: ScriptedVad; tts: TimedTts }[] = [];
  const runner = (owner: string) => new CampaignRunner({ ctx, publicUrl: base, now: () => clock, owner });

  before(async () => {
    llm = await startFakeOpenAI();
    twilio = await startFakeTwilioApi({ accountSid: ACCOUNT, authToken: TOKEN });
    store = await openTestStore();
    const dir = tempDir('parley-campaign-');
    agent(dir, 'leaver', ['voicemail: leave', 'voicemailMessage: "Hi {{name|there}}, this is Ada from Acme. Please call us back on 415 555 0100."']);
    agent(dir, 'hanger', ['voicemail: hangup']);
    app = await buildServer({
      agentsDir: dir,
      store,
      mode: 'serve',
      now: () => clock,
      campaigns: { run: false },
      env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's', TWILIO_TEST_AUTH_TOKEN: TOKEN, PARLEY_ADMIN_TOKEN: ADMIN, PARLEY_TWILIO_API_URL: twilio.url },
      speech: () => {
        const s = { stt: new ScriptedStt(), vad: new ScriptedVad(), tts: new TimedTts({ sampleRate: 8000, msPerChar: 2 }) };
        made.push(s);
        return s;
      },
    });
    base = await listenOnLoopback(app);
    ctx = (app as unknown as { parley: ServerContext }).parley;
  });
  after(async () => {
    await app.close();
    await store.close();
    await llm.close();
    await twilio.close();
  });

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const start = async (agentName: string, csv: string, extra: Record<string, unknown> = {}) => {
    const r = await admin('POST', '/v1/admin/campaigns', { agent: agentName, csv, hours: '09:00-20:00', days: 'mon-fri', concurrency: 5, perMinute: 10, maxAttempts: 3, retryMinutes: '30,120', ...extra });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return (r.body.campaign as CampaignView).id;
  };
  const contactsOf = async (id: string) => (await admin('GET', `/v1/admin/campaigns/${id}`)).body.contacts as ContactView[];
  const contact = async (id: string, phone: string) => (await contactsOf(id)).find((c) => c.phone === phone)!;
  const lastCallTo = (to: string) => twilio.callsTo(to).at(-1)!;

  it('refuses a contact list with bad rows or a missing {{variable}}, naming each line, and imports nothing', async () => {
    const r = await admin('POST', '/v1/admin/campaigns', { agent: 'leaver', csv: 'phone,name\n+14155550199,Ann\nnot a number,Bob\n+14155550199,Again\n' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body.problems, ['line 3: "not a number" is not a phone number (write it as +<country code>…, or give a default country)', 'line 4: +14155550199 is already on line 2']);
    assert.equal(((await admin('GET', '/v1/admin/campaigns')).body.campaigns as unknown[]).length, 0);
    const hours = await admin('POST', '/v1/admin/campaigns', { agent: 'leaver', csv: 'phone\n+14155550199\n', hours: '21:00-08:00' });
    assert.equal(hours.status, 400);
    assert.match(String(hours.body.error), /end must come after the start/);
  });

  it('dials in each callee\'s own hours, never a do-not-call number, retries busy with back-off, and records every outcome', async () => {
    const ann = '+14155550101'; // Los Angeles: 07:00, outside the window
    const bob = '+12125550102'; // New York: 10:00
    const cy = '+13125550103'; // Chicago: 09:00
    const dee = '+12125550104'; // on the do-not-call list
    assert.equal((await admin('POST', '/v1/admin/do-not-call', { phone: dee, reason: 'asked by email' })).status, 201);
    const id = await start('hanger', `phone,name,order\n${ann},Ann,A1\n${bob},Bob,B2\n${cy},Cy,C3\n${dee},Dee,D4\n`);
    const a = runner('node-a');
    assert.equal((await a.round()).dialled, 2);
    assert.deepEqual(twilio.callsTo(ann), [], 'not before 09:00 in Los Angeles');
    assert.deepEqual(twilio.callsTo(dee), [], 'never a do-not-call number');
    assert.equal((await contact(id, ann)).nextAttemptAt, '2027-03-02T17:00:00.000Z', 'put off until 09:00 Pacific');
    assert.equal((await contact(id, dee)).state, 'do-not-call');

    // Placed with asynchronous answering-machine detection and a status callback, as Twilio documents.
    const p = lastCallTo(bob).params;
    assert.equal(p.MachineDetection, 'DetectMessageEnd');
    assert.equal(p.AsyncAmd, 'true');
    assert.equal(p.AsyncAmdStatusCallback, `${base}/v1/twilio/amd?agent=hanger`);
    assert.equal(p.StatusCallback, `${base}/v1/twilio/call-status?agent=hanger`);
    assert.deepEqual(lastCallTo(bob).events, ['completed']);
    assert.equal(p.From, NUMBER);

    assert.equal(await twilio.end(lastCallTo(bob).sid, 'busy'), 204);
    assert.equal(await twilio.detect(lastCallTo(cy).sid, 'human'), 204);
    assert.equal(await twilio.end(lastCallTo(cy).sid, 'completed'), 204);
    assert.equal((await contact(id, bob)).state, 'pending');
    assert.equal((await contact(id, bob)).nextAttemptAt, new Date(T0 + 30 * MIN).toISOString(), 'first retry after 30 minutes');
    assert.equal((await contact(id, cy)).state, 'done');

    clock = T0 + 29 * MIN;
    assert.equal((await a.round()).dialled, 0, 'nobody is due yet');
    clock = T0 + 30 * MIN;
    assert.equal((await a.round()).dialled, 1);
    assert.equal(twilio.callsTo(bob).length, 2);
    await twilio.end(lastCallTo(bob).sid, 'busy');
    assert.equal((await contact(id, bob)).nextAttemptAt, new Date(T0 + 150 * MIN).toISOString(), 'the second retry waits 120 minutes');

    clock = T0 + 120 * MIN; // 09:00 in Los Angeles
    assert.equal((await a.round()).dialled, 1);
    assert.equal(twilio.callsTo(ann).length, 1);
    await twilio.end(lastCallTo(ann).sid, 'no-answer');

    clock = T0 + 150 * MIN; // Bob's third attempt, and Ann's retry 30 minutes after her unanswered call
    assert.equal((await a.round()).dialled, 2);
    await twilio.end(lastCallTo(bob).sid, 'busy');
    await twilio.end(lastCallTo(ann).sid, 'no-answer');
    assert.equal((await contact(id, ann)).nextAttemptAt, new Date(T0 + 270 * MIN).toISOString());
    assert.equal((await contact(id, bob)).state, 'unreachable', 'three attempts, then given up');
    assert.equal(twilio.callsTo(dee).length, 0);

    const view = (await admin('GET', `/v1/admin/campaigns/${id}`)).body.campaign as CampaignView;
    assert.deepEqual(view.contacts, { pending: 1, calling: 0, done: 1, unreachable: 1, 'do-not-call': 1 });
    // Every call is a conversation record linked to the campaign, with its outcome.
    assert.equal((await admin('POST', `/v1/admin/campaigns/${id}/pause`)).status, 200); // Ann waits; the next tests start afresh
    const items = (await new Records(store.db, store.kind).search({ channel: 'phone', limit: 50 })).items.filter((i) => i.campaignId === id);
    const outcomes = items.map((i) => `${i.caller}:${i.callOutcome}:${i.endReason}`).sort();
    assert.deepEqual(outcomes, [`${ann}:no-answer:no answer`, `${ann}:no-answer:no answer`, `${bob}:busy:busy`, `${bob}:busy:busy`, `${bob}:busy:busy`, `${cy}:human:caller hung up`].sort());
  });

  it('a restart in the middle: the second runner never redials a call that may be live, and retries one never confirmed after its lease', async () => {
    clock = T0;
    const eve = '+12125550105';
    const fay = '+12125550106';
    const id = await start('hanger', `phone,name\n${eve},Eve\n${fay},Fay\n`, { concurrency: 1 });
    const dead = runner('node-dead');
    assert.equal((await dead.round()).dialled, 1);
    const first = lastCallTo(eve);
    first.status = 'in-progress'; // answered; then node-dead dies and its status callback is lost

    const b = runner('node-b');
    assert.deepEqual(await b.round(), { dialled: 0, reconciled: 0 }, 'the line is taken: the lease holds');
    clock = T0 + 5 * MIN;
    assert.deepEqual(await b.round(), { dialled: 0, reconciled: 0 });
    clock = T0 + 20 * MIN; // after the lease (8 minutes: ringing + limits.maxDurationSec + margin): Twilio still says the call is live
    assert.deepEqual(await b.round(), { dialled: 0, reconciled: 1 });
    assert.equal(twilio.callsTo(eve).length, 1, 'never dialled twice while the first call may be live');
    first.status = 'completed';
    first.answeredBy = 'human';
    clock += 20 * MIN;
    const after = await b.round();
    assert.equal(after.reconciled, 1);
    assert.equal((await contact(id, eve)).state, 'done', 'settled from what Twilio says');
    assert.equal(after.dialled, 1, 'and the next contact is called');
    assert.equal(twilio.callsTo(fay).length, 1);
    await twilio.end(lastCallTo(fay).sid, 'completed');

    // A dial whose answer never came back (the connection dropped): the call may exist, so its contact waits out its lease.
    const gus = '+12125550107';
    const id2 = await start('hanger', `phone\n${gus}\n`);
    twilio.failNextCreate('drop');
    assert.equal((await b.round()).dialled, 0);
    const c = runner('node-c');
    assert.equal((await c.round()).dialled, 0, 'not redialled while the lease holds');
    assert.equal((await contact(id2, gus)).state, 'calling');
    clock += 20 * MIN;
    await c.round();
    const g = await contact(id2, gus);
    assert.equal(g.state, 'pending', 'after the lease: an attempt, retried later');
    assert.equal(g.attempts, 1);
    clock = Date.parse(g.nextAttemptAt);
    assert.equal((await c.round()).dialled, 1);
    assert.equal(twilio.callsTo(gus).length, 1, 'the dropped request never reached the fake; this is the retry');
    await twilio.end(lastCallTo(gus).sid, 'completed');
  });

  it('two runners at once share the store: the caps hold and no contact is dialled twice', async () => {
    clock = T0;
    const phones = Array.from({ length: 6 }, (_, i) => `+1212555012${i}`);
    const id = await start('hanger', `phone\n${phones.join('\n')}\n`, { concurrency: 3 });
    const [x, y] = [runner('node-x'), runner('node-y')];
    const rounds = await Promise.all([x.round(), y.round()]);
    assert.equal(rounds[0].dialled + rounds[1].dialled, 3);
    for (const p of phones) for (const call of twilio.callsTo(p)) if (call.status === 'queued') await twilio.end(call.sid, 'completed');
    const again = await Promise.all([x.round(), y.round()]);
    assert.equal(again[0].dialled + again[1].dialled, 3);
    for (const p of phones) assert.equal(twilio.callsTo(p).length, 1, `${p} dialled once`);
    for (const p of phones) for (const call of twilio.callsTo(p)) if (call.status === 'queued') await twilio.end(call.sid, 'completed');
    await x.round();
    assert.equal(((await admin('GET', `/v1/admin/campaigns/${id}`)).body.campaign as CampaignView).state, 'finished');
  });

  it('pause and resume through the admin API', async () => {
    clock = T0;
    const id = await start('hanger', 'phone\n+12125550130\n');
    assert.equal((await admin('POST', `/v1/admin/campaigns/${id}/pause`)).status, 200);
    assert.equal((await admin('POST', `/v1/admin/campaigns/${id}/pause`)).status, 200, 'twice is once');
    assert.equal((await runner('node-a').round()).dialled, 0);
    assert.equal((await admin('POST', `/v1/admin/campaigns/${id}/resume`)).status, 200);
    assert.equal((await runner('node-a').round()).dialled, 1);
    await twilio.end(lastCallTo('+12125550130').sid, 'completed');
    await runner('node-a').round(); // nobody left: finished
    assert.equal((await admin('POST', `/v1/admin/campaigns/${id.slice(0, 8)}/resume`)).status, 409, 'a finished campaign cannot resume');
  });

  it('voicemail, leave: the message (with the contact\'s variables) is played after machine_end_beep, once', async () => {
    clock = T0;
    const hal = '+12125550140';
    await start('leaver', `phone,name\n${hal},Hal\n`);
    await runner('node-a').round();
    const call = lastCallTo(hal);
    await twilio.detect(call.sid, 'machine_end_beep');
    await twilio.detect(call.sid, 'machine_end_beep'); // Twilio retrying its callback
    assert.equal(call.updates.length, 1, 'the message is left once');
    assert.equal(call.updates[0]!.twiml, '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hi Hal, this is Ada from Acme. Please call us back on 415 555 0100.</Say><Hangup/></Response>');
    await twilio.end(call.sid, 'completed');
    const row = (await new OutboundCalls(store).get(call.sid))!;
    assert.deepEqual([row.outcome, row.answeredBy, row.voicemail, row.detectedBy], ['voicemail', 'machine_end_beep', 'left', 'amd']);
    const rec = await new Records(store.db).get(row.conversationId!);
    assert.equal(rec?.call?.outcome, 'voicemail');
    assert.equal(rec?.endReason, 'voicemail');
  });

  it('voicemail, leave, with machine_start (greeting still playing): silence until the greeting ends, then the message', async () => {
    clock = T0;
    const kim = '+12125550141';
    await start('leaver', `phone,name\n${kim},Kim\n`);
    await runner('node-a').round();
    const call = lastCallTo(kim);
    await twilio.detect(call.sid, 'machine_start');
    assert.equal(call.updates.length, 1);
    assert.match(call.updates[0]!.twiml!, /<Response><Pause length="20"\/><Say>Hi Kim,/, 'the agent stops talking over the greeting; the message waits');
    await twilio.detect(call.sid, 'machine_end_other');
    assert.equal(call.updates.length, 2);
    assert.match(call.updates[1]!.twiml!, /<Response><Say>Hi Kim,.*<\/Say><Hangup\/><\/Response>$/);
    await twilio.end(call.sid, 'completed');
  });

  it('voicemail, hangup: the call is hung up at the machine; a fax too, recorded as failed', async () => {
    for (const [to, answeredBy, outcome] of [['+12125550150', 'machine_end_silence', 'voicemail'], ['+12125550151', 'fax', 'failed']] as const) {
      const res = await admin('POST', '/v1/agents/hanger/calls', { to });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const call = lastCallTo(to);
      await twilio.detect(call.sid, answeredBy);
      assert.deepEqual(call.updates, [{ status: 'completed' }]);
      await twilio.end(call.sid, 'completed');
      assert.equal((await new OutboundCalls(store).get(call.sid))!.outcome, outcome);
    }
  });

  it('refuses a forged or malformed answering-machine or status callback', async () => {
    const forged = await fetch(`${base}/v1/twilio/amd?agent=hanger`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' }, body: 'CallSid=CA00000000000000000000000000000000&AnsweredBy=fax' });
    assert.equal(forged.status, 403);
    const unsigned = await fetch(`${base}/v1/twilio/call-status?agent=hanger`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'CallSid=CA00000000000000000000000000000000&CallStatus=busy' });
    assert.equal(unsigned.status, 403);
    await admin('POST', '/v1/agents/hanger/calls', { to: '+12125550152' });
    const call = lastCallTo('+12125550152');
    assert.equal(await twilio.detect(call.sid, 'robot'), 400, 'an AnsweredBy Twilio does not document');
    assert.deepEqual(call.updates, []);
    await twilio.end(call.sid, 'completed');
  });

  it('a single call to a do-not-call number is refused', async () => {
    await admin('POST', '/v1/admin/do-not-call', { phone: '+12125550160' });
    const before = twilio.calls.length;
    const res = await admin('POST', '/v1/agents/hanger/calls', { to: '+12125550160' });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'do-not-call');
    assert.equal(twilio.calls.length, before);
  });

  it('an answered campaign call greets the contact by name; a greeting heard by the recogniser means voicemail; the message follows the beep', async () => {
    clock = T0;
    const ida = '+12125550170';
    await start('leaver', `phone,name\n${ida},Ida\n`);
    await runner('node-a').round();
    const call = lastCallTo(ida);
    const sessions = made.length;
    const { twiml, peer } = await twilio.answer(call.sid);
    await peer.connect(twiml);
    await peer.until(() => made.length > sessions && made.at(-1)!.tts.spoken.length > 0, 'the greeting');
    const s = made.at(-1)!;
    assert.equal(s.tts.spoken.join(' '), 'Hi Ida, this is Ada from Acme.');
    llm.push({ text: 'Hello?' });
    s.vad.start();
    peer.say(FRAME);
    s.stt.hear("Hi, you've reached Ida. I can't take your call, please leave a message after the tone.");
    s.vad.stop();
    peer.say(FRAME);
    await twilio.until(() => call.updates.length === 1, 'the agent to fall silent');
    // The call runs the new TwiML: Twilio stops the Media Stream, and the session ends with it.
    assert.equal((await peer.closed)?.code, 1000);
    assert.match(call.updates[0]!.twiml!, /^<\?xml[^>]*><Response><Pause length="20"\/><Say>Hi Ida, this is Ada from Acme\. Please call us back on 415 555 0100\.<\/Say><Hangup\/><\/Response>$/);
    await twilio.detect(call.sid, 'machine_end_beep');
    assert.equal(call.updates.length, 2);
    assert.doesNotMatch(call.updates[1]!.twiml!, /Pause/, 'at the beep, the message at once');
    await Promise.all([...ctx.live].map((x) => x.done));
    assert.equal(llm.pending(), 0, 'the model was asked for its reply to the machine before the stream stopped');
    await twilio.end(call.sid, 'completed');
    const row = (await new OutboundCalls(store).get(call.sid))!;
    assert.deepEqual([row.outcome, row.detectedBy, row.voicemail], ['voicemail', 'speech', 'left']);
    const rec = await new Records(store.db).get(row.conversationId!);
    assert.equal(rec?.call?.outcome, 'voicemail');
    assert.equal(rec?.direction, 'outbound');
  });

  it('a callee who asks not to be called again goes on the do-not-call list, and no campaign calls them again', async () => {
    clock = T0;
    const jo = '+12125550180';
    const id = await start('hanger', `phone,name\n${jo},Jo\n`);
    await runner('node-a').round();
    const call = lastCallTo(jo);
    await twilio.detect(call.sid, 'human');
    const sessions = made.length;
    const { twiml, peer } = await twilio.answer(call.sid);
    await peer.connect(twiml);
    await peer.until(() => made.length > sessions && made.at(-1)!.tts.spoken.length > 0, 'the greeting');
    const s = made.at(-1)!;
    llm.push({ text: 'Of course. I am sorry to have bothered you. Goodbye.' });
    s.vad.start();
    peer.say(FRAME);
    s.stt.hear('Please take me off your calling list and never call me again.');
    s.vad.stop();
    peer.say(FRAME);
    await peer.until(() => s.tts.spoken.join(' ').includes('Goodbye'), 'the reply');
    await peer.hangUp();
    await Promise.all([...ctx.live].map((x) => x.done));
    await twilio.end(call.sid, 'completed');
    const listed = (await new OutboundCalls(store).doNotCallList()).find((e) => e.phone === jo);
    assert.equal(listed?.source, 'caller');
    assert.match(listed?.reason ?? '', /never call me again/);
    assert.equal((await contact(id, jo)).state, 'do-not-call');
    assert.equal((await contact(id, jo)).outcome, 'human');

    const again = await start('hanger', `phone\n${jo}\n`);
    clock = T0 + MIN;
    await runner('node-a').round();
    assert.equal(twilio.callsTo(jo).length, 1, 'never dialled again');
    assert.equal((await contact(again, jo)).state, 'do-not-call');
    assert.equal((await new Campaigns(store).get(again))!.state, 'finished');
  });
});
