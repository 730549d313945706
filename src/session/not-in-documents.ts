import { NOT_IN_DOCUMENTS } from '../llm/prompt.ts';

// Strict knowledge's second line: the reply model is told to answer only from the documents and
// to reply with a fixed marker when they do not answer. The marker never reaches the caller: the
// start of a reply is held while it could still be the marker (a token or two), then either let
// through or replaced with the agent's unknown-answer line.

/** What the filter decided so far: still holding the start, passing text through, or the model declined. */
export type ReplyStart = 'holding' | 'passing' | 'declined';

/** Holds the start of a strict reply until it is known not to be the not-in-documents marker. */
export class NotInDocumentsFilter {
  #held = '';
  #state: ReplyStart = 'holding';

  get state(): ReplyStart {
    return this.#state;
  }

  /** Text of the reply as it streams in; returns what may be passed on now. */
  push(text: string): string {
    if (this.#state === 'passing') return text;
    if (this.#state === 'declined') return '';
    this.#held += text;
    const start = this.#held.trimStart().replace(/^[`*"'“]+/, '');
    if (start.startsWith(NOT_IN_DOCUMENTS)) {
      this.#state = 'declined';
      return '';
    }
    if (start.length === 0 || NOT_IN_DOCUMENTS.startsWith(start)) return '';
    this.#state = 'passing';
    const out = this.#held;
    this.#held = '';
    return out;
  }

  /** At the end of the reply: whatever is still held (a reply shorter than the marker). */
  end(): string {
    if (this.#state !== 'holding') return '';
    const start = this.#held.trim();
    if (start === NOT_IN_DOCUMENTS.slice(0, start.length) && start.length >= 'NOT_IN'.length) {
      this.#state = 'declined'; // cut off inside the marker: still the marker
      return '';
    }
    this.#state = 'passing';
    const out = this.#held;
    this.#held = '';
    return out;
  }
}
