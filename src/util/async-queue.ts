// A push-driven stream for one reader: producers (a child process, a socket) push items as they
// come; the reader pulls them with `for await`. Ending or failing the queue lets the reader drain
// what is left and then finish (or throw).

/** An AsyncIterable fed by push(); end() finishes it, fail() makes the reader throw. */
export class AsyncQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #waiting: ((r: IteratorResult<T>) => void) | null = null;
  #rejectWaiting: ((e: unknown) => void) | null = null;
  #done = false;
  #error: { reason: unknown } | null = null;
  #onReturn: () => void;

  /** `onReturn` runs when the reader stops early (break, throw in the loop body). */
  constructor(onReturn: () => void = () => {}) {
    this.#onReturn = onReturn;
  }

  /** Whether end() or fail() was called. */
  get closed(): boolean {
    return this.#done;
  }

  push(item: T): void {
    if (this.#done) return;
    if (this.#waiting) this.#settle({ value: item, done: false });
    else this.#items.push(item);
  }

  end(): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#waiting) this.#settle({ value: undefined, done: true });
  }

  fail(reason: unknown): void {
    if (this.#done) return;
    this.#done = true;
    this.#error = { reason };
    if (this.#rejectWaiting) {
      const reject = this.#rejectWaiting;
      this.#waiting = this.#rejectWaiting = null;
      reject(reason);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.#items.length) return Promise.resolve({ value: this.#items.shift() as T, done: false });
        if (this.#error) return Promise.reject(this.#error.reason);
        if (this.#done) return Promise.resolve({ value: undefined, done: true });
        return new Promise<IteratorResult<T>>((resolve, reject) => {
          this.#waiting = resolve;
          this.#rejectWaiting = reject;
        });
      },
      return: () => {
        this.#items = [];
        if (!this.#done) {
          this.#done = true;
          this.#onReturn();
        }
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  #settle(r: IteratorResult<T>): void {
    const resolve = this.#waiting as (r: IteratorResult<T>) => void;
    this.#waiting = this.#rejectWaiting = null;
    resolve(r);
  }
}
