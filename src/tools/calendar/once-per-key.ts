/**
 * Runs an operation at most once per key while it succeeds: a repeated key gets the first
 * result, even while it is still in flight; a failure is forgotten so it can be retried.
 * Vendors without an idempotency header (cal.com, Calendly) get idempotent booking this way.
 */
export class OncePerKey<T> {
  #results = new Map<string, Promise<T>>();

  run(key: string, operation: () => Promise<T>): Promise<T> {
    const known = this.#results.get(key);
    if (known) return known;
    const result = operation();
    this.#results.set(key, result);
    result.catch(() => this.#results.delete(key));
    return result;
  }
}
