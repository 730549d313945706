// What a fake server's tests wait on: "until this is true", re-checked each time the fake changes
// something, instead of polling or sleeping.

/** Waiters for conditions on a fake's state; call `changed()` whenever that state changes. */
export class Conditions {
  #waiters: (() => void)[] = [];

  /** Re-checks every waiting condition. */
  changed(): void {
    for (const w of [...this.#waiters]) w();
  }

  /** Resolves once `test()` is true (checked now and after each change); rejects after `timeoutMs`. */
  until(test: () => boolean, what = 'condition', timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const check = () => {
        if (!test()) return;
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((w) => w !== check);
        resolve();
      };
      this.#waiters.push(check);
      check();
    });
  }
}
