import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { DirectoryRecordings, ForeignRecordingError, openRecordings, S3Recordings, type RecordingStore } from '../../src/store/recordings/index.ts';
import { startFakeS3, type FakeS3 } from '../../src/testing/index.ts';
import { tempDir } from '../helpers/cli.ts';

const KEY = 'AKIAFAKEFAKEFAKE0002';
const SECRET = 'recordings/test/secret/0000000000000000000';
const WAV = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);

async function bytes(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts);
}

/** What every store must do, whatever it keeps bytes in. */
async function roundTrip(store: RecordingStore): Promise<string> {
  const ref = await store.save('conv-1.wav', WAV);
  assert.ok(store.owns(ref), `${store.describe} owns what it saved`);
  assert.equal(await store.stat(ref), WAV.length);
  assert.deepEqual(await bytes(await store.read(ref, undefined)), Buffer.from(WAV));
  assert.deepEqual(await bytes(await store.read(ref, { start: 0, end: 43 })), Buffer.from(WAV.subarray(0, 44)));
  assert.deepEqual(await bytes(await store.read(ref, { start: 990, end: 999 })), Buffer.from(WAV.subarray(990)));
  await store.remove(ref);
  assert.equal(await store.stat(ref), null, 'gone after remove');
  await store.remove(ref); // a missing recording is not an error
  return ref;
}

describe('DirectoryRecordings', () => {
  it('saves <dir>/<key>, reads whole and ranges, removes, and refuses paths outside its folder', async () => {
    const dir = join(tempDir('parley-rec-'), 'recordings');
    const store = new DirectoryRecordings(dir);
    assert.equal(store.describe, `folder ${resolve(dir)}`);
    assert.equal(await roundTrip(store), join(dir, 'conv-1.wav'));

    const elsewhere = join(tempDir('parley-elsewhere-'), 'secret.wav');
    writeFileSync(elsewhere, 'RIFF');
    for (const ref of [elsewhere, join(dir, '..', 'recordings-x', 'a.wav'), join(dir, '..', 'other.wav'), dir, 's3://recordings/conv-1.wav']) {
      assert.equal(store.owns(ref), false, ref);
    }
    await assert.rejects(store.stat(elsewhere), ForeignRecordingError);
    await assert.rejects(store.read(elsewhere, undefined), ForeignRecordingError);
    await assert.rejects(store.remove(elsewhere), ForeignRecordingError);
    assert.equal(readFileSync(elsewhere, 'utf8'), 'RIFF', 'nothing outside the folder was touched');
    await assert.rejects(store.save('../escape.wav', WAV), ForeignRecordingError);
  });
});

describe('S3Recordings against the fake S3, through the AWS SDK', () => {
  let fake: FakeS3;
  const opened: RecordingStore[] = [];
  const s3 = (o: { secret?: string; key?: string; prefix?: string } = {}) => {
    const store = new S3Recordings({ bucket: 'recordings', prefix: o.prefix ?? 'calls', region: 'us-east-1', endpoint: fake.url, credentials: { accessKeyId: o.key ?? KEY, secretAccessKey: o.secret ?? SECRET } });
    opened.push(store);
    return store;
  };

  before(async () => {
    fake = await startFakeS3({ accessKeyId: KEY, secretAccessKey: SECRET, buckets: ['recordings'] });
  });
  after(async () => {
    for (const s of opened) s.close?.();
    await fake.close();
  });

  it('saves s3://bucket/prefix/key as audio/wav, reads whole and ranges, removes', async () => {
    const store = s3();
    assert.equal(store.describe, `s3://recordings/calls (endpoint ${fake.url})`);
    const ref = await store.save('conv-1.wav', WAV);
    assert.equal(ref, 's3://recordings/calls/conv-1.wav');
    const obj = fake.objects('recordings').get('calls/conv-1.wav');
    assert.equal(obj?.contentType, 'audio/wav');
    assert.deepEqual(obj?.body, Buffer.from(WAV));
    const ranged = fake.requests.length;
    assert.equal(await roundTrip(store), ref);
    const range = fake.requests.slice(ranged).find((r) => r.method === 'GET' && r.headers.range);
    assert.equal(range?.headers.range, 'bytes=0-43', 'a range is asked of S3, not cut locally');
    assert.equal(fake.objects('recordings').has('calls/conv-1.wav'), false);
  });

  it('owns only refs in its bucket and under its prefix', async () => {
    const store = s3();
    assert.ok(store.owns('s3://recordings/calls/x.wav'));
    for (const ref of ['s3://recordings/x.wav', 's3://recordings/calls/', 's3://recordings/callsx/a.wav', 's3://other/calls/x.wav', '/var/lib/parley/recordings/x.wav']) {
      assert.equal(store.owns(ref), false, ref);
    }
    await assert.rejects(store.stat('s3://other/calls/x.wav'), ForeignRecordingError);
    const root = s3({ prefix: '' });
    assert.equal(await root.save('top.wav', WAV), 's3://recordings/top.wav');
    assert.ok(fake.objects('recordings').has('top.wav'));
  });

  it('a missing object: stat is null; reading it fails with NoSuchKey', async () => {
    const store = s3();
    assert.equal(await store.stat('s3://recordings/calls/never.wav'), null);
    await assert.rejects(store.read('s3://recordings/calls/never.wav', undefined), /S3 GetObject of s3:\/\/recordings\/calls\/never\.wav failed: NoSuchKey \(HTTP 404\)/);
  });

  it('wrong keys: a clear error naming the S3 code and where to look, never the secret', async () => {
    const wrongSecret = s3({ secret: 'not-the-secret-at-all' });
    await assert.rejects(wrongSecret.save('conv-2.wav', WAV), (e: Error) => {
      assert.match(e.message, /^S3 PutObject of s3:\/\/recordings\/calls\/conv-2\.wav failed: SignatureDoesNotMatch \(HTTP 403\): The request signature we calculated does not match/);
      assert.match(e.message, /check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
      assert.ok(!e.message.includes('not-the-secret-at-all') && !e.message.includes(SECRET));
      return true;
    });
    // HEAD errors have no body; the status still says what happened.
    await assert.rejects(wrongSecret.stat('s3://recordings/calls/conv-2.wav'), /HeadObject .* failed: .*\(HTTP 403\).*check AWS_ACCESS_KEY_ID/);
    await assert.rejects(s3({ key: 'AKIAWHOISTHIS' }).save('conv-3.wav', WAV), /failed: InvalidAccessKeyId \(HTTP 403\): The AWS Access Key Id you provided does not exist/);
    assert.equal(fake.objects('recordings').has('calls/conv-2.wav'), false);
  });

  it('an aborted save rejects and stores nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(s3().save('aborted.wav', WAV, ac.signal), { name: 'AbortError' });
    assert.equal(fake.objects('recordings').has('calls/aborted.wav'), false);
  });

  it('openRecordings builds a working S3 store from the URL and the env keys', async () => {
    const store = openRecordings({ PARLEY_RECORDINGS_URL: `s3://recordings/from-env/?endpoint=${encodeURIComponent(fake.url)}`, AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET });
    assert.ok(store instanceof S3Recordings);
    opened.push(store);
    assert.equal(await store.save('e.wav', WAV), 's3://recordings/from-env/e.wav');
    assert.ok(fake.objects('recordings').has('from-env/e.wav'));
    const signed = fake.requests.at(-1)!;
    assert.match(String(signed.headers.authorization), new RegExp(`^AWS4-HMAC-SHA256 Credential=${KEY}/\\d{8}/us-east-1/s3/aws4_request, `));
  });
});

describe('openRecordings', () => {
  const describeOf = (env: NodeJS.ProcessEnv) => {
    const store = openRecordings(env);
    store?.close?.();
    return store?.describe;
  };

  it('picks a folder or a bucket from PARLEY_RECORDINGS_URL, falling back to PARLEY_RECORDINGS_DIR', () => {
    assert.equal(openRecordings({}), undefined);
    assert.equal(openRecordings({ PARLEY_RECORDINGS_URL: '  ', PARLEY_RECORDINGS_DIR: '' }), undefined);
    assert.equal(describeOf({ PARLEY_RECORDINGS_DIR: '/var/rec' }), 'folder /var/rec');
    assert.equal(describeOf({ PARLEY_RECORDINGS_URL: '/srv/rec' }), 'folder /srv/rec');
    assert.equal(describeOf({ PARLEY_RECORDINGS_URL: 'rec' }), `folder ${resolve('rec')}`);
    assert.equal(describeOf({ PARLEY_RECORDINGS_URL: 'file:/srv/rec' }), 'folder /srv/rec');
    assert.equal(describeOf({ PARLEY_RECORDINGS_URL: 'file:///srv/my%20rec' }), 'folder /srv/my rec');
    assert.equal(describeOf({ PARLEY_RECORDINGS_URL: 'file:.parley/rec' }), `folder ${resolve('.parley/rec')}`);
    assert.equal(describeOf({ PARLEY_RECORDINGS_URL: 's3://calls-bucket', PARLEY_RECORDINGS_DIR: '/var/rec' }), 's3://calls-bucket (region us-east-1)', 'the URL wins over the old variable');
    assert.equal(describeOf({ PARLEY_RECORDINGS_URL: 's3://calls-bucket/parley/prod/', AWS_REGION: 'eu-central-1' }), 's3://calls-bucket/parley/prod (region eu-central-1)');
    assert.equal(describeOf({ PARLEY_RECORDINGS_URL: 's3://calls-bucket/p?region=eu-west-1', AWS_REGION: 'eu-central-1' }), 's3://calls-bucket/p (region eu-west-1)');
    assert.equal(describeOf({ PARLEY_RECORDINGS_URL: 's3://calls/p?endpoint=http://minio:9000' }), 's3://calls/p (endpoint http://minio:9000)');
    assert.equal(describeOf({ PARLEY_RECORDINGS_URL: 's3://calls', AWS_ENDPOINT_URL: 'https://generic.example', AWS_ENDPOINT_URL_S3: 'https://acct.r2.cloudflarestorage.com' }), 's3://calls (endpoint https://acct.r2.cloudflarestorage.com)');
    assert.equal(describeOf({ PARLEY_RECORDINGS_URL: 's3://calls', AWS_ENDPOINT_URL: 'https://generic.example' }), 's3://calls (endpoint https://generic.example)');
    assert.equal(describeOf({ PARLEY_RECORDINGS_URL: 's3://calls?endpoint=https://user:pw@minio.example' }), 's3://calls (endpoint https://minio.example)', 'no credentials in the description');
  });

  it('a malformed URL throws naming PARLEY_RECORDINGS_URL and what is wrong, and never echoes a secret', () => {
    const cases: [string, RegExp][] = [
      ['s3://', /no bucket named/],
      ['s3:///prefix', /no bucket named/],
      ['gs://bucket/x', /unsupported scheme "gs:"/],
      ['https://bucket.s3.amazonaws.com/x', /unsupported scheme "https:"/],
      ['s3://Bad_Bucket', /bucket "Bad_Bucket" is not a valid bucket name/],
      ['s3://ab', /bucket "ab" is not a valid bucket name/],
      ['s3://bucket:9000/x', /port after the bucket name/],
      ['s3://bucket/x?regoin=eu-west-1', /unknown parameter "regoin"/],
      ['s3://bucket/x?endpoint=minio:9000', /endpoint must be an http:\/\/ or https:\/\/ URL/],
      ['s3://AKIAXX:TOPSECRET@bucket/x', /credentials do not belong in the URL; set AWS_ACCESS_KEY_ID/],
      ['file:', /no folder named/],
    ];
    for (const [url, why] of cases) {
      assert.throws(
        () => openRecordings({ PARLEY_RECORDINGS_URL: url }),
        (e: Error) => {
          assert.match(e.message, /^PARLEY_RECORDINGS_URL: /, url);
          assert.match(e.message, why, url);
          assert.ok(!e.message.includes('TOPSECRET'), 'the secret is not in the message');
          return true;
        },
      );
    }
  });
});
