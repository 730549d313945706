import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startFakeS3, type FakeS3 } from '../../src/testing/index.ts';

// The fake against the real AWS SDK: what the SDK sends is what the fake must understand.

const KEY = 'AKIAFAKEFAKEFAKE0001';
const SECRET = 'fake/secret+key/for/tests/0000000000000000';

describe('fake S3 with the AWS SDK', () => {
  let fake: FakeS3;
  const clients: S3Client[] = [];
  const client = (o: { secret?: string; key?: string; region?: string } = {}) => {
    const c = new S3Client({ region: o.region ?? 'us-east-1', endpoint: fake.url, forcePathStyle: true, credentials: { accessKeyId: o.key ?? KEY, secretAccessKey: o.secret ?? SECRET } });
    clients.push(c);
    return c;
  };
  const rejects = async (p: Promise<unknown>, name: string, status: number) => {
    await assert.rejects(p, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.name, name, e.message);
      assert.equal(e.$metadata?.httpStatusCode, status);
      return true;
    });
  };

  before(async () => {
    fake = await startFakeS3({ accessKeyId: KEY, secretAccessKey: SECRET, buckets: ['recordings'] });
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await fake.close();
  });

  it('stores a buffer body (CRC32 in a header) and an aws-chunked stream body (CRC32 in a trailer), keys with odd characters included', async () => {
    const s3 = client();
    await s3.send(new PutObjectCommand({ Bucket: 'recordings', Key: 'calls/a b+c=d.wav', Body: new Uint8Array([1, 2, 3]), ContentType: 'audio/wav' }));
    await s3.send(new PutObjectCommand({ Bucket: 'recordings', Key: 'calls/streamed.wav', Body: Readable.from([Buffer.from('RIFF'), Buffer.from('....WAVE')]), ContentLength: 12 }));
    const [plain, chunked] = fake.requests.slice(-2);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(String(plain.headers['x-amz-checksum-crc32']), /^[A-Za-z0-9+/]{6}==$/);
    assert.equal(chunked.headers['content-encoding'], 'aws-chunked', 'the SDK streams with aws-chunked encoding');
    assert.equal(chunked.headers['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    const objects = fake.objects('recordings');
    assert.deepEqual([...objects.get('calls/a b+c=d.wav')!.body], [1, 2, 3]);
    assert.equal(objects.get('calls/a b+c=d.wav')!.contentType, 'audio/wav');
    assert.equal(objects.get('calls/streamed.wav')!.body.toString(), 'RIFF....WAVE');
    assert.ok(objects.get('calls/streamed.wav')!.crc32, 'the trailer checksum was read');
  });

  it('reads whole objects (checksum checked by the SDK), byte ranges (206) and sizes (HEAD)', async () => {
    const s3 = client();
    await s3.send(new PutObjectCommand({ Bucket: 'recordings', Key: 'r.wav', Body: Buffer.from('0123456789') }));
    const whole = await s3.send(new GetObjectCommand({ Bucket: 'recordings', Key: 'r.wav' }));
    assert.equal(await whole.Body!.transformToString(), '0123456789');
    assert.equal(whole.ChecksumCRC32, fake.objects('recordings').get('r.wav')!.crc32);
    const part = await s3.send(new GetObjectCommand({ Bucket: 'recordings', Key: 'r.wav', Range: 'bytes=2-5' }));
    assert.equal(part.ContentRange, 'bytes 2-5/10');
    assert.equal(part.ContentLength, 4);
    assert.equal(await part.Body!.transformToString(), '2345');
    const tail = await s3.send(new GetObjectCommand({ Bucket: 'recordings', Key: 'r.wav', Range: 'bytes=-3' }));
    assert.equal(await tail.Body!.transformToString(), '789');
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'recordings', Key: 'r.wav' }))).ContentLength, 10);

    // The object changes under the checksum it was stored with: the SDK notices, as it would with S3.
    fake.objects('recordings').get('r.wav')!.body = Buffer.from('0123456780');
    const changed = await s3.send(new GetObjectCommand({ Bucket: 'recordings', Key: 'r.wav' }));
    await assert.rejects(changed.Body!.transformToString(), /checksum/i);
  });

  it('answers S3 errors: NoSuchKey, NoSuchBucket, InvalidRange (416), HEAD 404 without a body; DELETE is 204 either way', async () => {
    const s3 = client();
    await s3.send(new PutObjectCommand({ Bucket: 'recordings', Key: 'd.wav', Body: Buffer.from('abc') }));
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'recordings', Key: 'nope.wav' })), 'NoSuchKey', 404);
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'elsewhere', Key: 'd.wav' })), 'NoSuchBucket', 404);
    await rejects(s3.send(new GetObjectCommand({ Bucket: 'recordings', Key: 'd.wav', Range: 'bytes=3-' })), 'InvalidRange', 416);
    await rejects(s3.send(new HeadObjectCommand({ Bucket: 'recordings', Key: 'nope.wav' })), 'NotFound', 404);
    await s3.send(new DeleteObjectCommand({ Bucket: 'recordings', Key: 'd.wav' }));
    assert.equal(fake.requests.at(-1)!.error, null);
    await s3.send(new DeleteObjectCommand({ Bucket: 'recordings', Key: 'd.wav' }));
    assert.equal(fake.objects('recordings').has('d.wav'), false);
  });

  it('checks the SigV4 signature: unknown key, wrong secret, wrong region, and a body that does not match its hash are refused', async () => {
    await rejects(client({ key: 'AKIAUNKNOWN' }).send(new GetObjectCommand({ Bucket: 'recordings', Key: 'x' })), 'InvalidAccessKeyId', 403);
    await rejects(client({ secret: 'not-the-secret' }).send(new PutObjectCommand({ Bucket: 'recordings', Key: 'x', Body: Buffer.from('x') })), 'SignatureDoesNotMatch', 403);
    await rejects(client({ secret: 'not-the-secret' }).send(new PutObjectCommand({ Bucket: 'recordings', Key: 'y', Body: Readable.from([Buffer.from('y')]), ContentLength: 1 })), 'SignatureDoesNotMatch', 403);
    await rejects(client({ region: 'eu-west-1' }).send(new GetObjectCommand({ Bucket: 'recordings', Key: 'x' })), 'AuthorizationHeaderMalformed', 400);
    assert.equal(fake.objects('recordings').has('x'), false);

    const anonymous = await fetch(`${fake.url}/recordings/x`);
    assert.equal(anonymous.status, 403);
    assert.match(await anonymous.text(), /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message>.*<RequestId>/);

    // A signed request replayed with another body: the signature covers the body's hash.
    const s3 = client();
    let replay: { headers: Record<string, string> } | undefined;
    s3.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        replay = { headers: (args.request as { headers: Record<string, string> }).headers };
        return out;
      },
      { step: 'finalizeRequest', priority: 'low' },
    );
    await s3.send(new PutObjectCommand({ Bucket: 'recordings', Key: 'signed.wav', Body: Buffer.from('original') }));
    const { ['content-length']: _, ...headers } = replay!.headers;
    const tampered = await fetch(`${fake.url}/recordings/signed.wav?x-id=PutObject`, { method: 'PUT', headers, body: 'tampered!' });
    assert.equal(tampered.status, 403, 'content-length is signed: a different length breaks the signature');
    assert.match(await tampered.text(), /<Code>SignatureDoesNotMatch<\/Code>.*<CanonicalRequest>PUT\n\/recordings\/signed.wav\nx-id=PutObject\n/s);
    const sameLength = await fetch(`${fake.url}/recordings/signed.wav?x-id=PutObject`, { method: 'PUT', headers: replay!.headers, body: 'ORIGINAL' });
    assert.equal(sameLength.status, 400);
    assert.match(await sameLength.text(), /<Code>XAmzContentSHA256Mismatch<\/Code>/);
    assert.equal(fake.objects('recordings').get('signed.wav')!.body.toString(), 'original');
  });

  it('refuses a request signed 15 minutes or more away from its clock (the SDK corrects its clock and retries)', async () => {
    const skewed = await startFakeS3({ accessKeyId: KEY, secretAccessKey: SECRET, now: () => Date.now() + 3_600_000 });
    const s3 = new S3Client({ region: 'us-east-1', endpoint: skewed.url, forcePathStyle: true, credentials: { accessKeyId: KEY, secretAccessKey: SECRET } });
    try {
      await s3.send(new PutObjectCommand({ Bucket: 'recordings', Key: 'late.wav', Body: Buffer.from('x') }));
      assert.deepEqual(
        skewed.requests.map((r) => r.error),
        ['RequestTimeTooSkewed', null],
      );
    } finally {
      s3.destroy();
      await skewed.close();
    }
  });
});
