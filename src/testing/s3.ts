// A protocol-faithful fake of Amazon S3 for tests, path-style only (http://host/bucket/key, as
// the SDK sends with `forcePathStyle`, and as MinIO and R2 are addressed). It checks every
// request's SigV4 signature the way S3 does: the canonical request (method, path as sent,
// sorted query, the signed headers, x-amz-content-sha256), the string to sign and the derived
// key; a wrong access key gets InvalidAccessKeyId, a wrong secret SignatureDoesNotMatch, a
// clock 15 minutes off RequestTimeTooSkewed. Bodies come plain or `aws-chunked` (with
// trailers), as the SDK sends a buffer or a stream; a CRC32 checksum in a header or trailer is
// verified (BadDigest). Signed streaming chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) are
// decoded but their per-chunk signatures are not checked: the JS SDK never sends them.
// Objects: PUT, GET (with one `Range`, 206 / 416 InvalidRange), HEAD and DELETE (204); errors
// are S3's XML bodies (NoSuchKey, NoSuchBucket, …) with x-amz-request-id.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';

/** An object as the fake holds it. */
export interface FakeS3Object {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
  /** Base64 CRC32 the client sent, if any. */
  crc32?: string;
}

/** A request the fake received (after its body was read). */
export interface FakeS3Request {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The S3 error code answered, or null for success. */
  error: string | null;
}

/** Options for startFakeS3. */
export interface FakeS3Options {
  accessKeyId: string;
  secretAccessKey: string;
  /** The region signatures must be scoped to (default us-east-1). */
  region?: string;
  /** Buckets that exist (default: ["recordings"]). */
  buckets?: string[];
  /** The server's clock, for the 15-minute skew check (default Date.now). */
  now?: () => number;
}

/** A running fake S3. */
export interface FakeS3 {
  /** The endpoint, for `endpoint` / `?endpoint=`. */
  url: string;
  region: string;
  requests: FakeS3Request[];
  /** The objects of one bucket, by key. */
  objects(bucket: string): Map<string, FakeS3Object>;
  close(): Promise<void>;
}

class S3Error extends Error {
  readonly status: number;
  readonly code: string;
  readonly extra: Record<string, string | number>;
  constructor(status: number, code: string, message: string, extra: Record<string, string | number> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
const MAX_SKEW_MS = 15 * 60_000;

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeS3(o: FakeS3Options): Promise<FakeS3> {
  const region = o.region ?? 'us-east-1';
  const now = o.now ?? Date.now;
  const buckets = new Map((o.buckets ?? ['recordings']).map((b) => [b, new Map<string, FakeS3Object>()]));
  const requests: FakeS3Request[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = (req.url ?? '/').split('?')[0];
      const resource = path;
      const requestId = randomBytes(8).toString('hex').toUpperCase();
      res.setHeader('x-amz-request-id', requestId);
      // The fake's clock, not the machine's: the SDK corrects its skew from this header.
      res.setHeader('date', new Date(now()).toUTCString());
      let error: string | null = null;
      try {
        handle(req, res, authenticate(req, raw));
      } catch (e) {
        if (!(e instanceof S3Error)) throw e;
        error = e.code;
        sendError(req, res, e, resource, requestId);
      }
      requests.push({ method: req.method ?? '', path, headers: req.headers, error });
    });
  });

  /** Checks the SigV4 Authorization header and returns the request's payload, decoded. */
  function authenticate(req: IncomingMessage, raw: Buffer): { body: Buffer; crc32?: string } {
    const header = req.headers.authorization ?? '';
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(header);
    if (!m) {
      if (!header) throw new S3Error(403, 'AccessDenied', 'Access Denied');
      throw new S3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed; it must be AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=….');
    }
    const [, accessKey, date, scopeRegion, service, signedList, signature] = m;
    if (accessKey !== o.accessKeyId) throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: accessKey });
    if (scopeRegion !== region) throw new S3Error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${scopeRegion}' is wrong; expecting '${region}'`, { Region: region });
    if (service !== 's3') throw new S3Error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; incorrect service "${service}". This endpoint belongs to "s3".`);
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== date) throw new S3Error(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
    const at = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
    if (Math.abs(at - now()) > MAX_SKEW_MS) {
      throw new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', { RequestTime: amzDate, ServerTime: new Date(now()).toISOString(), MaxAllowedSkewMilliseconds: MAX_SKEW_MS });
    }
    const signed = signedList.split(';');
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
    if (!payloadHash) throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    if (!signed.includes('host') || !signed.includes('x-amz-date') || !signed.includes('x-amz-content-sha256')) {
      throw new S3Error(403, 'AccessDenied', 'Host, x-amz-date and x-amz-content-sha256 must be signed');
    }

    const canonicalRequest = [req.method, (req.url ?? '/').split('?')[0], canonicalQuery(req.url ?? ''), ...signed.map((h) => `${h}:${headerValue(req.headers, h)}`), '', signedList, payloadHash].join('\n');
    const scope = `${date}/${region}/s3/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
    let key: Buffer = hmac(`AWS4${o.secretAccessKey}`, date);
    for (const part of [region, 's3', 'aws4_request']) key = hmac(key, part);
    const expected = hmac(key, stringToSign);
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
      throw new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
        AWSAccessKeyId: accessKey,
        StringToSign: stringToSign,
        SignatureProvided: signature,
        CanonicalRequest: canonicalRequest,
      });
    }

    let body = raw;
    let trailers: Record<string, string> = {};
    if (/^STREAMING-/.test(payloadHash) || /\baws-chunked\b/.test(String(req.headers['content-encoding'] ?? ''))) {
      ({ body, trailers } = decodeChunked(raw));
      const declared = Number(req.headers['x-amz-decoded-content-length']);
      if (Number.isFinite(declared) && declared !== body.length) throw new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header');
    } else if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(raw)) {
      throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", { ClientComputedContentSHA256: payloadHash, S3ComputedContentSHA256: sha256(raw) });
    }
    const crc = trailers['x-amz-checksum-crc32'] ?? headerValue(req.headers, 'x-amz-checksum-crc32');
    if (crc && crc !== crc32Base64(body)) throw new S3Error(400, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
    return { body, crc32: crc || undefined };
  }

  function handle(req: IncomingMessage, res: ServerResponse, { body, crc32 }: { body: Buffer; crc32?: string }): void {
    const url = new URL(req.url ?? '/', 'http://s3');
    // The path as sent, not URL-normalised: keys may hold `..` or `//`.
    const [bucketName, ...rest] = (req.url ?? '/').split('?')[0].slice(1).split('/');
    const bucket = buckets.get(safeDecode(bucketName));
    if (!bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: safeDecode(bucketName) });
    const key = rest.map(safeDecode).join('/');
    const ops = [...url.searchParams.keys()].filter((k) => k !== 'x-id');
    if (!key || ops.length) throw new S3Error(501, 'NotImplemented', 'A header or query you provided implies functionality that is not implemented (the fake does objects only).');

    if (req.method === 'PUT') {
      const obj: FakeS3Object = {
        body,
        contentType: headerValue(req.headers, 'content-type') || 'binary/octet-stream',
        etag: `"${createHash('md5').update(body).digest('hex')}"`,
        lastModified: new Date(Math.floor(now() / 1000) * 1000),
        ...(crc32 ? { crc32 } : {}),
      };
      bucket.set(key, obj);
      res.writeHead(200, { etag: obj.etag, ...(obj.crc32 ? { 'x-amz-checksum-crc32': obj.crc32, 'x-amz-checksum-type': 'FULL_OBJECT' } : {}) });
      return void res.end();
    }
    if (req.method === 'DELETE') {
      bucket.delete(key); // S3 answers 204 whether or not the key existed
      res.writeHead(204);
      return void res.end();
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: req.method ?? '', ResourceType: 'OBJECT' });

    const obj = bucket.get(key);
    if (!obj) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
    const size = obj.body.length;
    const headers: Record<string, string | number> = {
      'content-type': obj.contentType,
      etag: obj.etag,
      'last-modified': obj.lastModified.toUTCString(),
      'accept-ranges': 'bytes',
    };
    const range = byteRange(req.headers.range, size);
    if (range === 'unsatisfiable') throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', { RangeRequested: String(req.headers.range), ActualObjectSize: size });
    if (!range && obj.crc32 && headerValue(req.headers, 'x-amz-checksum-mode') === 'ENABLED') {
      // Like S3: the whole object's checksum comes back on request, and never with a part of it.
      headers['x-amz-checksum-crc32'] = obj.crc32;
      headers['x-amz-checksum-type'] = 'FULL_OBJECT';
    }
    const part = range ? obj.body.subarray(range.start, range.end + 1) : obj.body;
    if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
    headers['content-length'] = part.length;
    res.writeHead(range ? 206 : 200, headers);
    res.end(req.method === 'HEAD' ? undefined : part);
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region,
    requests,
    objects(bucket) {
      const b = buckets.get(bucket);
      if (!b) throw new Error(`the fake has no bucket ${bucket}`);
      return b;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

function sendError(req: IncomingMessage, res: ServerResponse, e: S3Error, resource: string, requestId: string): void {
  // HEAD answers have no body, so S3 gives only the status (the SDK names it NotFound, Forbidden…).
  if (req.method === 'HEAD') {
    res.writeHead(e.status);
    return void res.end();
  }
  const extra = Object.entries(e.extra)
    .map(([k, v]) => `<${k}>${xml(String(v))}</${k}>`)
    .join('');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${xml(e.message)}</Message>${extra}<Resource>${xml(resource)}</Resource><RequestId>${requestId}</RequestId><HostId>${randomBytes(24).toString('base64')}</HostId></Error>`;
  res.writeHead(e.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** SigV4's canonical query string: every name and value percent-encoded (RFC 3986), sorted. */
function canonicalQuery(url: string): string {
  const q = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  if (!q) return '';
  return q
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf('=');
      const [k, v] = i < 0 ? [pair, ''] : [pair.slice(0, i), pair.slice(i + 1)];
      return [rfc3986(decodeURIComponent(k)), rfc3986(decodeURIComponent(v))];
    })
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A header's canonical value: trimmed, inner runs of spaces collapsed. */
function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  return (Array.isArray(v) ? v.join(',') : (v ?? '')).trim().replace(/\s+/g, ' ');
}

/**
 * An `aws-chunked` body: `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0[;…]\r\n`, then
 * trailer lines `name:value\r\n` and a blank line.
 */
function decodeChunked(raw: Buffer): { body: Buffer; trailers: Record<string, string> } {
  const parts: Buffer[] = [];
  let at = 0;
  const line = (): string => {
    const end = raw.indexOf('\r\n', at);
    if (end < 0) throw new S3Error(400, 'IncompleteBody', 'The aws-chunked body ended early');
    const s = raw.subarray(at, end).toString('latin1');
    at = end + 2;
    return s;
  };
  for (;;) {
    const size = parseInt(line().split(';')[0], 16);
    if (!Number.isFinite(size)) throw new S3Error(400, 'InvalidChunkSizeError', 'Only the last chunk is allowed to have a size less than 8192 bytes');
    if (size === 0) break;
    if (at + size + 2 > raw.length || raw.subarray(at + size, at + size + 2).toString() !== '\r\n') throw new S3Error(400, 'IncompleteBody', 'A chunk is shorter than its declared size');
    parts.push(raw.subarray(at, at + size));
    at += size + 2;
  }
  const trailers: Record<string, string> = {};
  while (at < raw.length) {
    const t = line();
    if (!t) break;
    const i = t.indexOf(':');
    if (i > 0) trailers[t.slice(0, i).trim().toLowerCase()] = t.slice(i + 1).trim();
  }
  return { body: Buffer.concat(parts), trailers };
}

/** One `bytes=` range as S3 reads it; a malformed or multi-part header is ignored (the whole object). */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (!m[1] && !m[2])) return undefined;
  if (!m[1]) {
    const n = Number(m[2]);
    return n === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] && Number(m[2]) < start) return undefined;
  return start >= size ? 'unsatisfiable' : { start, end: m[2] ? Math.min(Number(m[2]), size - 1) : size - 1 };
}

function crc32Base64(b: Buffer): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(b) >>> 0);
  return out.toString('base64');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
  }
}

function sha256(s: string | Buffer): string {
  return createHash('sha256').update(s).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
