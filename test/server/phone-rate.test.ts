import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.ts';
import type { Store } from '../../src/store/store.ts';
import { parseStreamTwiml, startFakeOpenAI, startFakeTwilioApi, TwilioCallPeer, type FakeOpenAI, type FakeTwilioApi } from '../../src/testing/index.ts';
import { tempDir } from '../helpers/cli.ts';
import { openTestStore } from '../helpers/store.ts';
import { listenOnLoopback } from './helpers.ts';

// limits.conversationsPerIpPerHour on the phone: every webhook comes from Twilio's addresses, so
// the key is the caller's number (the callee's on an outbound call), never the address.

const NUMBER = '+14155550100';
const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'twilio-auth-token-for-tests';
const ADMIN = 'admin-token-for-tests';

describe('the per-caller hourly limit on the phone', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  let api: FakeTwilioApi;

  before(async () => {
    llm = await startFakeOpenAI();
    api = await startFakeTwilioApi({ accountSid: ACCOUNT, authToken: TOKEN });
    store = await openTestStore();
    const dir = tempDir('parley-phone-rate-');
    mkdirSync(join(dir, 'ada'));
    writeFileSync(
      join(dir, 'ada', 'agent.yaml'),
      ['name: ada', 'persona: { prompt: You are Ada., firstMessage: Hi. }', 'knowledge: { sources: [], strict: false }', `channels: { phone: { number: "${NUMBER}", accountSid: ${ACCOUNT}, authToken: "\${TWILIO_TEST_AUTH_TOKEN}" } }`, 'limits: { conversationsPerIpPerHour: 2 }', ''].join('\n'),
    );
    app = await buildServer({ agentsDir: dir, store, mode: 'serve', env: { PARLEY_LLM: 'openai-compatible:fake', PARLEY_LLM_BASE_URL: llm.url, PARLEY_SESSION_SECRET: 's', TWILIO_TEST_AUTH_TOKEN: TOKEN, PARLEY_ADMIN_TOKEN: ADMIN, PARLEY_TWILIO_API_URL: api.url } });
    base = await listenOnLoopback(app);
  });
  after(async () => {
    await app.close();
    await store.close();
    await llm.close();
    await api.close();
  });

  const peer = new TwilioCallPeer({ accountSid: ACCOUNT, authToken: TOKEN });
  const admitted = async (url: string, params: Record<string, string>) => {
    const r = await peer.dial(url, params);
    assert.equal(r.status, 200);
    return Boolean(parseStreamTwiml(r.twiml));
  };

  it('inbound: keyed by the caller\'s number, so one caller is capped and the line (one Twilio address) is not', async () => {
    const voice = `${base}/v1/twilio/voice`;
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
    const place = () => fetch(`${base}/v1/agents/ada/calls`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ to }) });
    for (let i = 1; i <= 2; i++) {
      const res = await place();
      assert.equal(res.status, 201, await res.clone().text());
      const sent = api.calls.at(-1)!;
      assert.equal(await admitted(sent.params.Url!, { From: NUMBER, To: to, Direction: 'outbound-api' }), true, `answered call ${i}`);
    }
    const third = await place();
    assert.equal(third.status, 429);
    assert.equal(((await third.json()) as { code: string }).code, 'rate');
    // A call placed without the API's admission (a campaign's) is counted when answered.
    assert.equal(await admitted(`${base}/v1/twilio/voice?agent=ada&direction=outbound`, { From: NUMBER, To: to, Direction: 'outbound-api' }), false);
    // Another callee has places of its own.
    assert.equal(await admitted(`${base}/v1/twilio/voice?agent=ada&direction=outbound`, { From: NUMBER, To: '+442071838751', Direction: 'outbound-api' }), true);
  });
});
