import { fileURLToPath } from 'node:url';
import { DirectoryRecordings } from './directory.ts';
import { S3Recordings } from './s3.ts';
import type { RecordingStore } from './types.ts';

// PARLEY_RECORDINGS_URL names where recordings go:
//   s3://bucket/optional/prefix?region=eu-west-1&endpoint=http://minio:9000   an S3-compatible bucket
//   file:/var/lib/parley/recordings, or just /var/lib/parley/recordings       a folder
// PARLEY_RECORDINGS_DIR (a folder) is the older spelling and still works; the URL wins when both are set.

const S3_PARAMS = new Set(['region', 'endpoint']);

/** The recordings store PARLEY_RECORDINGS_URL (else PARLEY_RECORDINGS_DIR) names; undefined when neither is set. Throws on a malformed URL. */
export function openRecordings(env: NodeJS.ProcessEnv): RecordingStore | undefined {
  const url = env.PARLEY_RECORDINGS_URL?.trim();
  if (url) return fromUrl(url, env);
  const dir = env.PARLEY_RECORDINGS_DIR?.trim();
  return dir ? new DirectoryRecordings(dir) : undefined;
}

function fromUrl(url: string, env: NodeJS.ProcessEnv): RecordingStore {
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(url)?.[1]?.toLowerCase();
  if (!scheme) return new DirectoryRecordings(url);
  if (scheme === 'file') return new DirectoryRecordings(filePath(url));
  if (scheme !== 's3') throw invalid(`unsupported scheme "${scheme}:" (use s3://BUCKET/PREFIX, file:/PATH or a folder path)`);

  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalid('not a valid URL (expected s3://BUCKET/PREFIX)');
  }
  // Never echo the URL: keys someone put in it would land in the log.
  if (u.username || u.password) throw invalid('credentials do not belong in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead');
  const bucket = u.hostname;
  if (!bucket) throw invalid('no bucket named (expected s3://BUCKET/PREFIX)');
  if (u.port) throw invalid('a port after the bucket name; an S3-compatible server goes in ?endpoint=');
  if (!/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/.test(bucket)) throw invalid(`bucket "${bucket}" is not a valid bucket name (3 to 63 lowercase letters, digits, dots and hyphens)`);
  for (const key of u.searchParams.keys()) if (!S3_PARAMS.has(key)) throw invalid(`unknown parameter "${key}" (known: ${[...S3_PARAMS].join(', ')})`);

  const endpoint = u.searchParams.get('endpoint') || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  if (endpoint && !/^https?:\/\/[^/]/i.test(endpoint)) throw invalid('the endpoint must be an http:// or https:// URL');
  const region = u.searchParams.get('region') || env.AWS_REGION || 'us-east-1';
  let prefix: string;
  try {
    prefix = decodeURIComponent(u.pathname).replace(/^\/+|\/+$/g, '');
  } catch {
    throw invalid('a malformed %-escape in the prefix');
  }
  // Keys from the env handed in (the server's, or a test's); otherwise the SDK's own chain (process env, profiles, roles).
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN || undefined } : undefined;
  return new S3Recordings({ bucket, prefix, region, endpoint, credentials });
}

/** `file:///abs/path` as a URL; `file:/abs` and `file:relative` as PARLEY_DATABASE_URL takes them. */
function filePath(url: string): string {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch (e) {
      throw invalid(`not a usable file URL: ${(e as Error).message}`);
    }
  }
  const path = url.slice('file:'.length);
  if (!path) throw invalid('no folder named (expected file:/PATH)');
  return path;
}

function invalid(what: string): Error {
  return new Error(`PARLEY_RECORDINGS_URL: ${what}`);
}
