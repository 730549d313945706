// A recogniser can hang without an error: the socket stays open, audio goes in, no words come
// out. One wordless utterance is a cough; several in a row over a stretch of seconds, while the
// VAD hears speech, is an engine that stopped listening. Then the session treats it as a
// dropped stream (reopen once, then say it cannot hear).

/** Wordless utterances in a row before the recogniser counts as deaf. */
const UTTERANCES = 3;
/** …spread over at least this long (far longer than any engine's own latency). */
const SPAN_MS = 6000;

/** Notices a recogniser that stopped sending words while the caller keeps talking. */
export class DeafEars {
  #wordless: number[] = [];

  /** The recogniser sent something (partial or final): it is listening. */
  heard(): void {
    this.#wordless = [];
  }

  /** The VAD saw an utterance end at `atMs`; true when the recogniser now counts as deaf. */
  speechEnded(atMs: number): boolean {
    this.#wordless.push(atMs);
    const first = this.#wordless[0]!;
    return this.#wordless.length >= UTTERANCES && atMs - first >= SPAN_MS;
  }

  describe(): string {
    return `${this.#wordless.length} utterances over ${Math.round((this.#wordless.at(-1)! - this.#wordless[0]!) / 1000)} s`;
  }
}
