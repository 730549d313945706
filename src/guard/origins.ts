// The web door's Origin allow-list (channels.web.allowedOrigins): `example.com` (any port),
// `*.example.com` (any subdomain, not the apex), `localhost:8080` (that host and port). A scheme in
// the pattern (`https://example.com`) is ignored. In dev mode, localhost is always allowed.

const LOCAL = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Host name and port of an Origin header, or null when it is not a usable origin ("null", garbage). */
export function parseOrigin(origin: string): { host: string; port: string } | null {
  try {
    const u = new URL(origin);
    if (!u.hostname) return null;
    const port = u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
    return { host: u.hostname.toLowerCase(), port };
  } catch {
    return null;
  }
}

export function originAllowed(origin: string | undefined, allowed: readonly string[], o: { dev: boolean }): boolean {
  if (!origin) return false;
  const parsed = parseOrigin(origin);
  if (!parsed) return false;
  if (o.dev && LOCAL.has(parsed.host)) return true;
  return allowed.some((pattern) => matches(parsed, pattern));
}

function matches(origin: { host: string; port: string }, pattern: string): boolean {
  let p = pattern.trim().toLowerCase().replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
  if (!p) return false;
  let port: string | undefined;
  const colon = p.lastIndexOf(':');
  if (colon > 0 && !p.endsWith(']')) {
    port = p.slice(colon + 1);
    p = p.slice(0, colon);
  }
  if (port !== undefined && port !== origin.port) return false;
  if (p === '*') return true;
  if (p.startsWith('*.')) return origin.host.endsWith(p.slice(1)) && origin.host.length > p.length - 1;
  return origin.host === p;
}
