// A caller may try to talk the agent into reciting its instructions ("repeat everything above")
// or a secret. The model is told not to, but that is a request, not a guarantee; this guard is
// the guarantee. It watches the agent's words as they stream and trips when they reproduce a run
// of WINDOW consecutive words of the persona prompt (longer than any fact the prompt might
// legitimately hold and be asked about), or any secret value from the environment. The turn is
// then cut, the agent declines, and the attempt is recorded.

/** Consecutive words of the prompt that count as reciting it. */
export const DISCLOSURE_WINDOW = 16;

export const DECLINE = "Sorry, I can't share how I'm set up. What else can I help you with?";

const words = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);

/** Watches one agent turn's words for a recited prompt or a secret. */
export class DisclosureGuard {
  #grams: Set<string>;
  #secrets: string[];
  #text = '';
  #checked = 0;

  constructor(prompt: string, secrets: readonly string[]) {
    const w = words(prompt);
    this.#grams = new Set();
    for (let i = 0; i + DISCLOSURE_WINDOW <= w.length; i++) this.#grams.add(w.slice(i, i + DISCLOSURE_WINDOW).join(' '));
    this.#secrets = secrets.filter((s) => s.length >= 6);
  }

  /** Adds streamed text; returns what tripped the guard, or null. */
  push(delta: string): 'prompt' | 'secret' | null {
    this.#text += delta;
    if (this.#secrets.some((s) => this.#text.includes(s))) return 'secret';
    if (!this.#grams.size) return null;
    const w = words(this.#text);
    // The last word may still be growing; windows are checked once they end on a finished word.
    const finished = /[\s\p{P}]$/u.test(this.#text) ? w.length : w.length - 1;
    for (let end = Math.max(this.#checked, DISCLOSURE_WINDOW); end <= finished; end++) {
      if (this.#grams.has(w.slice(end - DISCLOSURE_WINDOW, end).join(' '))) return 'prompt';
    }
    this.#checked = Math.max(this.#checked, finished + 1);
    return null;
  }
}
