import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStreamTwiml } from '../../src/testing/index.ts';
import { phoneServerFixture, TWILIO_ACCOUNT } from './helpers.ts';

// limits.conversationsPerIpPerHour on the phone: every webhook comes from Twilio's addresses, so
// the key is the caller's number (the callee's on an outbound call), never the address.

const NUMBER = '+14155550100';
const ADMIN = 'admin-token-for-tests';

describe('the per-caller hourly limit on the phone', () => {
  const fx = phoneServerFixture({
    agents: { ada: ['name: ada', 'persona: { prompt: You are Ada., firstMessage: Hi. }', 'knowledge: { sources: [], strict: false }', `channels: { phone: { number: "${NUMBER}", accountSid: ${TWILIO_ACCOUNT.accountSid}, authToken: "\${TWILIO_TEST_AUTH_TOKEN}" } }`, 'limits: { conversationsPerIpPerHour: 2 }', ''].join('\n') },
    env: { PARLEY_ADMIN_TOKEN: ADMIN },
  });

  const peer = fx.peer();
  const admitted = async (url: string, params: Record<string, string>) => {
    const r = await peer.dial(url, params);
    assert.equal(r.status, 200);
    return Boolean(parseStreamTwiml(r.twiml));
  };

  it('inbound: keyed by the caller\'s number, so one caller is capped and the line (one Twilio address) is not', async () => {
    const voice = `${fx.base}/v1/twilio/voice`;
    const ann = { From: '+48601000001', To: NUMBER };
    assert.equal(await admitted(voice, ann), true);
    assert.equal(await admitted(voice, ann), true);
    const third = await peer.dial(voice, ann);
    assert.match(third.twiml, /take your call right now/, 'the third call within the hour from one number is refused');
    // Others calling through the same Twilio address still get through: the key is not the address.
    for (let i = 2; i <= 6; i++) assert.equal(await admitted(voice, { From: `+4860100000${i}`, To: NUMBER }), true, `caller ${i}`);
    // Withheld numbers share one place.
    assert.equal(await admitted(voice, { From: 'anonymous', To: NUMBER }), true);
    assert.equal(await admitted(voice, { From: 'anonymous', To: NUMBER }), true);
    assert.equal(await admitted(voice, { From: 'anonymous', To: NUMBER }), false);
  });

  it('outbound: keyed by the callee\'s number and counted once, when the call is placed (not again when it is answered)', async () => {
    const to = '+442071838750';
    const place = () => fetch(`${fx.base}/v1/agents/ada/calls`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ to }) });
    for (let i = 1; i <= 2; i++) {
      const res = await place();
      assert.equal(res.status, 201, await res.clone().text());
      const sent = fx.api.calls.at(-1)!;
      assert.equal(await admitted(sent.params.Url!, { From: NUMBER, To: to, Direction: 'outbound-api' }), true, `answered call ${i}`);
    }
    const third = await place();
    assert.equal(third.status, 429);
    assert.equal(((await third.json()) as { code: string }).code, 'rate');
    // A call placed without the API's admission (a campaign's) is counted when answered.
    assert.equal(await admitted(`${fx.base}/v1/twilio/voice?agent=ada&direction=outbound`, { From: NUMBER, To: to, Direction: 'outbound-api' }), false);
    // Another callee has places of its own.
    assert.equal(await admitted(`${fx.base}/v1/twilio/voice?agent=ada&direction=outbound`, { From: NUMBER, To: '+442071838751', Direction: 'outbound-api' }), true);
  });

  // An outbound call counts only once it is placed: what the route refuses, and what Twilio surely
  // did not create, leaves the callee's places alone (docs/phone.md#outbound-calls).
  const admin = (path: string, body: unknown) => fetch(`${fx.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify(body) });
  const placeTo = (to: unknown) => admin('/v1/agents/ada/calls', { to });
  const statuses = async (rs: Response[]) => Promise.all(rs.map(async (r) => [r.status, ((await r.json()) as { code?: string }).code ?? null] as const));

  it('outbound: numbers that are not numbers are refused before counting, even many at once, and nothing is dialled', async () => {
    const to = '+442071838760';
    const dialled = fx.api.calls.length;
    const bad = [to.slice(0, 5), `${to} `, ` ${to}`, '442071838760', '+44 20 7183 8760', '+0442071838760', `${to}0000000000`, '', 'anonymous', 12345, null, { to }];
    // Each bad request three times, over the limit of two: were they counted, the third would be a 429.
    const refused = await statuses(await Promise.all(Array.from({ length: 3 }, () => bad.map(placeTo)).flat()));
    assert.deepEqual(new Set(refused.map(String)), new Set(['400,invalid-number']));
    assert.equal(fx.api.calls.length, dialled, 'nothing reached Twilio');
    // The number itself still has both places.
    for (let i = 0; i < 2; i++) assert.equal((await placeTo(to)).status, 201, `call ${i + 1}`);
    assert.equal((await placeTo(to)).status, 429);
  });

  it('outbound: a number on the do-not-call list is refused before counting; once removed it has both its places', async () => {
    const to = '+442071838761';
    assert.equal((await admin('/v1/admin/do-not-call', { phone: to })).status, 201);
    const refused = await statuses(await Promise.all(Array.from({ length: 5 }, () => placeTo(to))));
    assert.deepEqual(refused, Array(5).fill([403, 'do-not-call']));
    assert.equal(fx.api.callsTo(to).length, 0);
    const removed = await fetch(`${fx.base}/v1/admin/do-not-call/${encodeURIComponent(to)}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(removed.status, 204);
    for (let i = 0; i < 2; i++) assert.equal((await placeTo(to)).status, 201, `call ${i + 1}`);
    assert.equal((await placeTo(to)).status, 429);
  });

  it('outbound: one number asked for many times at once is dialled only as often as the limit allows', async () => {
    const to = '+442071838762';
    const results = await statuses(await Promise.all(Array.from({ length: 8 }, () => placeTo(to))));
    assert.deepEqual(results.filter(([s]) => s === 201).length, 2, JSON.stringify(results));
    assert.deepEqual(results.filter(([s]) => s !== 201), Array(6).fill([429, 'rate']));
    assert.equal(fx.api.callsTo(to).length, 2);
  });

  it('outbound: a call Twilio refused (4xx) gives its place back; one that may exist (dropped, 5xx) keeps it', async () => {
    const refusedTo = '+442071838763';
    for (let i = 0; i < 3; i++) {
      fx.api.failNextCreate({ status: 400, code: 21215, message: `Account not authorized to call ${refusedTo}` });
      const r = await placeTo(refusedTo);
      assert.equal(r.status, 502);
      assert.match(((await r.json()) as { error: string }).error, /Twilio refused the call \(HTTP 400, error 21215\)/);
    }
    for (let i = 0; i < 2; i++) assert.equal((await placeTo(refusedTo)).status, 201, `after three refusals, call ${i + 1} is placed`);
    assert.equal((await placeTo(refusedTo)).status, 429);

    const unsureTo = '+442071838764';
    fx.api.failNextCreate('drop');
    assert.equal((await placeTo(unsureTo)).status, 502);
    fx.api.failNextCreate({ status: 503, code: 20503, message: 'Service Unavailable' });
    assert.equal((await placeTo(unsureTo)).status, 502);
    const third = await placeTo(unsureTo);
    assert.equal(third.status, 429, 'both calls Twilio may have created count');
    assert.equal(((await third.json()) as { code: string }).code, 'rate');
  });
});
