import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// A real SMTP server for tests (smtp-server, the library nodemailer's authors wrote for this),
// and just enough MIME reading to check what it received: headers, multipart bodies,
// base64 and quoted-printable. No parser library is installed; this reads what nodemailer writes.

/** A message as the SMTP server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  message: MimePart;
}

/** One MIME part: its headers (lower-case names, unfolded), its decoded body, its sub-parts. */
export interface MimePart {
  headers: Map<string, string[]>;
  header(name: string): string | undefined;
  contentType: string;
  params: Record<string, string>;
  body: string;
  parts: MimePart[];
}

/** Parses one MIME entity. */
export function parseMime(raw: string): MimePart {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const rest = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string[]>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(i + 1).trim()]);
  }
  const [type = 'text/plain', ...paramText] = (headers.get('content-type')?.[0] ?? 'text/plain').split(';');
  const params = Object.fromEntries(paramText.map((p) => p.trim().split('=')).filter((kv) => kv.length >= 2).map(([k, ...v]) => [k.toLowerCase(), v.join('=').replace(/^"|"$/g, '')]));
  const contentType = type.trim().toLowerCase();
  const encoding = (headers.get('content-transfer-encoding')?.[0] ?? '7bit').toLowerCase();
  let parts: MimePart[] = [];
  let body = rest;
  if (contentType.startsWith('multipart/') && params.boundary) {
    const chunks = rest.split(`--${params.boundary}`);
    parts = chunks.slice(1, -1).map((c) => parseMime(c.replace(/^\r?\n/, '').replace(/\r?\n$/, '')));
    body = '';
  } else if (encoding === 'base64') body = Buffer.from(rest.replace(/\s+/g, ''), 'base64').toString('utf8');
  else if (encoding === 'quoted-printable') body = Buffer.from(rest.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  return { headers, header: (n) => headers.get(n.toLowerCase())?.[0], contentType, params, body, parts };
}

/** Every leaf part of a message, depth first. */
export function leaves(p: MimePart): MimePart[] {
  return p.parts.length ? p.parts.flatMap(leaves) : [p];
}

/** Starts an SMTP server on a free port that wants user `parley`, password `mail-secret-123`. */
export async function startSmtpServer(): Promise<{ url: string; port: number; received: ReceivedMail[]; next(n?: number): Promise<ReceivedMail[]>; close(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  let waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'parley' && auth.password === 'mail-secret-123') return cb(null, { user: 'parley' });
      cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({ from: (session.envelope.mailFrom || { address: '' }).address, to: session.envelope.rcptTo.map((r) => r.address), raw, message: parseMime(raw) });
        for (const w of waiters) w();
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  let seen = 0;
  return {
    url: `smtp://parley:mail-secret-123@127.0.0.1:${port}`,
    port,
    received,
    /** The next `n` messages after the ones already taken. */
    next(n = 1) {
      return new Promise((resolve) => {
        const check = () => {
          if (received.length < seen + n) return;
          waiters = waiters.filter((w) => w !== check);
          const out = received.slice(seen, seen + n);
          seen += n;
          resolve(out);
        };
        waiters.push(check);
        check();
      });
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
