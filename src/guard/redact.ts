import type { SecretMask } from '../agent/secret-mask.ts';

// Log redaction (`PARLEY_REDACT_LOGS`, on by default in `parley serve`): email addresses and phone
// numbers in log lines are masked, keeping just enough to tell two apart when debugging.
// Secrets are masked in every log line, always (maskingLogMethod).

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}/g;
// International or long national numbers, with the usual separators; not dates, times or ids.
const PHONE = /(?<![\w/:.-])\+?\(?\d(?:[\s().-]{0,2}\d){7,14}(?![\w/:-])/g;

/** The text with emails shown as `j…@…` and phone numbers as `…1234`. */
export function redactPersonalData(text: string): string {
  return text.replace(EMAIL, '$1…@…').replace(PHONE, (m) => `…${m.replace(/\D/g, '').slice(-4)}`);
}

/**
 * A pino `hooks.logMethod` that hides secrets (see SecretMask) in every log call: string
 * arguments, and the message and stack of any error passed directly or as a field.
 */
export function maskingLogMethod(mask: SecretMask) {
  return function logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void): void {
    method.apply(this, args.map((a) => maskLogArgument(a, mask)));
  };
}

function maskLogArgument(arg: unknown, mask: SecretMask): unknown {
  if (typeof arg === 'string') return mask.text(arg);
  if (arg instanceof Error) return maskedError(arg, mask);
  if (!arg || typeof arg !== 'object' || Array.isArray(arg)) return arg;
  // Fields of a log object ({ err, msg, url }): strings and errors masked, the rest left for pino's serializers.
  return Object.fromEntries(Object.entries(arg).map(([k, v]) => [k, typeof v === 'string' ? mask.text(v) : v instanceof Error ? maskedError(v, mask) : v]));
}

/** A copy of the error (same class, so serializers treat it alike) with its message and stack masked. */
function maskedError(e: Error, mask: SecretMask): Error {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(e) as object) as Error, e);
  Object.defineProperty(copy, 'message', { value: mask.text(e.message), enumerable: false, writable: true, configurable: true });
  Object.defineProperty(copy, 'stack', { value: e.stack && mask.text(e.stack), enumerable: false, writable: true, configurable: true });
  return copy;
}
