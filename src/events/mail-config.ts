// Whether email is on, how the SMTP server is reached, and what counts as an address Parley will
// put in a header. The server is one URL (PARLEY_SMTP_URL) or separate variables
// (PARLEY_SMTP_HOST, _PORT, _USER, _PASSWORD, _SECURE), as many hosts hand them out.

/** How nodemailer reaches the SMTP server: one URL, or host/port/auth. */
export type SmtpSettings = { url: string } | { host: string; port: number; secure: boolean; auth?: { user: string; pass: string } };

/** The SMTP server this environment names, or undefined; the URL wins when both forms are set. */
export function smtpSettings(env: NodeJS.ProcessEnv): SmtpSettings | undefined {
  if (env.PARLEY_SMTP_URL) return { url: env.PARLEY_SMTP_URL };
  const host = env.PARLEY_SMTP_HOST?.trim();
  if (!host) return undefined;
  const port = Number(env.PARLEY_SMTP_PORT || 587);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`PARLEY_SMTP_PORT "${env.PARLEY_SMTP_PORT}" is not a port number`);
  // Port 465 speaks TLS from the start; others upgrade with STARTTLS when the server offers it.
  const secure = env.PARLEY_SMTP_SECURE ? /^(1|true|yes)$/i.test(env.PARLEY_SMTP_SECURE) : port === 465;
  const user = env.PARLEY_SMTP_USER;
  return { host, port, secure, ...(user ? { auth: { user, pass: env.PARLEY_SMTP_PASSWORD ?? '' } } : {}) };
}

/** The SMTP server for the start-up log, without its password. */
export function describeSmtp(settings: SmtpSettings, withoutPassword: (url: string) => string): string {
  if ('url' in settings) return withoutPassword(settings.url);
  return `${settings.secure ? 'smtps' : 'smtp'}://${settings.auth ? `${settings.auth.user}@` : ''}${settings.host}:${settings.port}`;
}

/** Whether this environment sends email: an SMTP server (PARLEY_SMTP_URL or PARLEY_SMTP_HOST) and PARLEY_MAIL_FROM. */
export function mailConfigured(env: NodeJS.ProcessEnv): boolean {
  return !!(env.PARLEY_SMTP_URL || env.PARLEY_SMTP_HOST) && !!env.PARLEY_MAIL_FROM;
}

/** A plain address: one @, no spaces, quotes, brackets or control characters — nothing that could end a header. */
export function safeAddress(text: string | undefined): string | undefined {
  const t = text?.trim();
  return t && t.length <= 254 && /^[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]+@[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]+\.[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]+$/.test(t) ? t : undefined;
}
