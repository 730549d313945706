// Whether email is on, and what counts as an address Parley will put in a header.

/** Whether this environment sends email: both PARLEY_SMTP_URL and PARLEY_MAIL_FROM set. */
export function mailConfigured(env: NodeJS.ProcessEnv): boolean {
  return !!env.PARLEY_SMTP_URL && !!env.PARLEY_MAIL_FROM;
}

/** A plain address: one @, no spaces, quotes, brackets or control characters — nothing that could end a header. */
export function safeAddress(text: string | undefined): string | undefined {
  const t = text?.trim();
  return t && t.length <= 254 && /^[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]+@[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]+\.[^\s@<>()[\]\\,;:"\x00-\x1f\x7f]+$/.test(t) ? t : undefined;
}
