/** A push-in, iterate-out queue of text: the model's words flow through it into the chunker. */
export class TextQueue implements AsyncIterable<string> {
  #items: string[] = [];
  #closed = false;
  #wake: (() => void) | undefined;

  push(text: string): void {
    if (this.#closed) return;
    this.#items.push(text);
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (;;) {
      if (this.#items.length) {
        yield this.#items.splice(0).join('');
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((r) => (this.#wake = r));
      this.#wake = undefined;
    }
  }
}
