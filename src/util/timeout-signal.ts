/**
 * An AbortSignal that aborts with a TimeoutError after `ms`, on the global timers (unlike
 * AbortSignal.timeout), so a virtual clock drives it too; the timer is unref'd like Node's own.
 */
export function timeoutSignal(ms: number): AbortSignal {
  const ac = new AbortController();
  const t = setTimeout(() => ac.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
  (t as { unref?: () => void }).unref?.();
  return ac.signal;
}
