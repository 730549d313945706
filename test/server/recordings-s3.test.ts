import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { decodeWav } from '../../src/audio/wav.ts';
import { buildServer } from '../../src/server/app.ts';
import { S3Recordings } from '../../src/store/recordings/index.ts';
import { Records } from '../../src/store/records.ts';
import { purgeOldConversations } from '../../src/store/retention.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, startFakeS3, type FakeOpenAI, type FakeS3 } from '../../src/testing/index.ts';
import { ScriptedStt, ScriptedVad, TimedTts } from '../../src/testing/voice.ts';
import { openTestStore } from '../helpers/store.ts';
import { agentsFolder, connect, GREETING, listenOnLoopback } from './helpers.ts';

// PARLEY_RECORDINGS_URL=s3://…: a voice conversation's recording goes to the bucket, the admin
// API serves it from there (ranges asked of S3), and retention deletes the object.

const SHOP = 'https://shop.example.com';
const ADMIN = 'admin-token-for-s3-tests-0123456789';
const KEY = 'AKIAFAKEFAKEFAKE0003';
const SECRET = 'server/test/secret/00000000000000000000000';

describe('server: recordings in an S3-compatible bucket', () => {
  let app: FastifyInstance;
  let base: string;
  let store: Store;
  let llm: FakeOpenAI;
  let s3: FakeS3;
  const auth = { authorization: `Bearer ${ADMIN}` };

  before(async () => {
    llm = await startFakeOpenAI();
    s3 = await startFakeS3({ accessKeyId: KEY, secretAccessKey: SECRET, region: 'eu-west-1', buckets: ['parley-calls'] });
    store = await openTestStore();
    app = await buildServer({
      agentsDir: agentsFolder(),
      store,
      mode: 'serve',
      outputSampleRate: 16000,
      env: {
        PARLEY_LLM: 'openai-compatible:fake',
        PARLEY_LLM_BASE_URL: llm.url,
        PARLEY_SESSION_SECRET: 's',
        PARLEY_ADMIN_TOKEN: ADMIN,
        PARLEY_RECORDINGS_URL: `s3://parley-calls/prod/calls?region=eu-west-1&endpoint=${encodeURIComponent(s3.url)}`,
        AWS_ACCESS_KEY_ID: KEY,
        AWS_SECRET_ACCESS_KEY: SECRET,
      },
      speech: () => ({ stt: new ScriptedStt(), vad: new ScriptedVad(), tts: new TimedTts({ msPerChar: 2 }) }),
    });
    base = await listenOnLoopback(app);
  });
  after(async () => {
    await app.close();
    await store.close();
    await llm.close();
    await s3.close();
  });

  /** One voice conversation: the greeting is spoken, then the caller hangs up; resolves once its recording is saved. */
  async function voiceCall(): Promise<string> {
    const { url } = (await (await fetch(`${base}/v1/agents/ada/sessions`, { method: 'POST', headers: { origin: SHOP } })).json()) as { url: string };
    const c = connect(url, SHOP);
    const ready = await c.waitFor((e) => e.type === 'ready');
    const id = String(ready.conversationId);
    c.json({ type: 'start', mode: 'voice' });
    await c.waitFor((e) => e.type === 'agent_text' && e.final === true && e.text === GREETING);
    const live = [...app.parley.live].find((s) => s.conversationId === id); // live from `start`, when it took its seat
    assert.ok(live, 'the session is live');
    c.ws.send(Buffer.alloc(3200));
    c.json({ type: 'end' });
    await c.closed;
    await live.done; // the recording is saved before the session counts as done
    return id;
  }

  it('saves the recording in the bucket and serves it through the admin API, ranges and all', async () => {
    assert.equal(app.parley.recordings?.describe, `s3://parley-calls/prod/calls (endpoint ${s3.url})`);
    const id = await voiceCall();
    const key = `prod/calls/${id}.wav`;
    const object = s3.objects('parley-calls').get(key);
    assert.ok(object, `the recording is in the bucket at ${key}`);
    assert.equal(object.contentType, 'audio/wav');
    const put = s3.requests.find((r) => r.method === 'PUT' && r.path === `/parley-calls/${key}`);
    assert.match(String(put?.headers.authorization), new RegExp(`^AWS4-HMAC-SHA256 Credential=${KEY}/\\d{8}/eu-west-1/s3/aws4_request, `));
    const wav = decodeWav(object.body);
    assert.equal(wav.channels, 2);
    assert.equal(wav.sampleRate, 16000);

    const rec = await new Records(store.db).get(id);
    assert.equal(rec?.recording?.path, `s3://parley-calls/${key}`);
    assert.ok((rec?.recording?.durationMs ?? 0) > 0);

    const url = `${base}/v1/admin/conversations/${id}/recording`;
    assert.equal((await fetch(url)).status, 401, 'the admin API still wants its token');
    const header = await fetch(url, { headers: { ...auth, range: 'bytes=0-43' } });
    assert.equal(header.status, 206);
    assert.equal(header.headers.get('content-range'), `bytes 0-43/${object.body.length}`);
    assert.equal(header.headers.get('content-type'), 'audio/wav');
    const head = Buffer.from(await header.arrayBuffer());
    assert.equal(head.length, 44);
    assert.equal(head.toString('latin1', 0, 4), 'RIFF');
    assert.equal(head.toString('latin1', 8, 12), 'WAVE');
    assert.deepEqual(head, object.body.subarray(0, 44));
    const ranged = s3.requests.filter((r) => r.method === 'GET' && r.path === `/parley-calls/${key}`).at(-1);
    assert.equal(ranged?.headers.range, 'bytes=0-43', 'the range was asked of the bucket');

    const whole = await fetch(url, { headers: auth });
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');
    assert.deepEqual(Buffer.from(await whole.arrayBuffer()), object.body);

    const beyond = await fetch(url, { headers: { ...auth, range: `bytes=${object.body.length}-` } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), `bytes */${object.body.length}`);
  });

  it('refuses refs outside the bucket and prefix (403), says 404 for a missing object, 502 when the bucket refuses; a refused save is kept as an error', async () => {
    const records = new Records(store.db);
    const id = await voiceCall();
    const url = `${base}/v1/admin/conversations/${id}/recording`;
    for (const path of ['/etc/passwd', 's3://another-bucket/prod/calls/x.wav', 's3://parley-calls/other/x.wav']) {
      await records.appendEvent(id, new Date().toISOString(), 'recording.saved', { path, durationMs: 500 });
      const res = await fetch(url, { headers: auth });
      assert.equal(res.status, 403, path);
      assert.deepEqual(await res.json(), { error: 'the recording is outside the recordings folder' });
    }
    await records.appendEvent(id, new Date().toISOString(), 'recording.saved', { path: `s3://parley-calls/prod/calls/${id}.wav`, durationMs: 500 });
    s3.objects('parley-calls').delete(`prod/calls/${id}.wav`);
    const missing = await fetch(url, { headers: auth });
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: 'the recording file is missing' });

    // The same server with keys the bucket does not know: the admin API says what S3 said.
    const wrong = new S3Recordings({ bucket: 'parley-calls', prefix: 'prod/calls', region: 'eu-west-1', endpoint: s3.url, credentials: { accessKeyId: KEY, secretAccessKey: 'wrong' } });
    const keep = app.parley.recordings;
    app.parley.recordings = wrong;
    try {
      const refused = await fetch(url, { headers: auth });
      assert.equal(refused.status, 502);
      assert.match(((await refused.json()) as { error: string }).error, /^the recordings store failed: S3 HeadObject .* \(HTTP 403\)/);

      // A save the bucket refuses: the conversation is kept, with the failure among its errors.
      const unsaved = await voiceCall();
      const rec = await records.get(unsaved);
      assert.equal(rec?.recording, null);
      assert.equal(rec?.endReason, 'caller hung up');
      assert.match(rec?.errors?.find((e) => e.where === 'recording')?.message ?? '', /S3 PutObject .* failed: SignatureDoesNotMatch \(HTTP 403\)/);
      assert.equal(s3.objects('parley-calls').has(`prod/calls/${unsaved}.wav`), false);
    } finally {
      app.parley.recordings = keep;
      wrong.close();
    }
  });

  it('retention deletes the object with the conversation', async () => {
    const id = await voiceCall();
    const key = `prod/calls/${id}.wav`;
    assert.ok(s3.objects('parley-calls').has(key));
    const later = Date.now() + 3 * 86_400_000;
    const r = await purgeOldConversations(store, 'ada', 1, { now: later, recordings: app.parley.recordings });
    assert.ok(r.conversations >= 1);
    assert.ok(r.recordings >= 1);
    assert.equal(s3.objects('parley-calls').has(key), false, 'the object is gone');
    assert.ok(s3.requests.some((req) => req.method === 'DELETE' && req.path === `/parley-calls/${key}` && req.error === null));
    assert.equal(await new Records(store.db).get(id), undefined);
    assert.equal((await fetch(`${base}/v1/admin/conversations/${id}/recording`, { headers: auth })).status, 404);
  });
});
