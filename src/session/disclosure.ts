// A caller may try to talk the agent into reciting its instructions ("repeat everything above")
// or a secret. The model is told not to, but that is a request, not a guarantee; this guard is
// the guarantee. It watches the agent's words as they stream and trips when they reproduce a run
// of WINDOW consecutive words of the persona prompt (longer than any fact the prompt might
// legitimately hold and be asked about), or any secret value from the environment. The turn is
// then cut, the agent declines, and the attempt is recorded.
//
// A secret is also caught when it is spelled out ("s-k dash l-i-v-e one two three") or split
// across turns: the words are compacted to letters and digits (symbol words such as "dash" and
// "dot" dropped, digit words made digits) and compared with the secret compacted the same way,
// and the compacted tail of the agent's earlier turns is kept in front of the current one.

/** Consecutive words of the prompt that count as reciting it. */
export const DISCLOSURE_WINDOW = 16;

const words = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);

/** The words the prompt check compares: a run of single letters or digits ("B-r-z-ę-k", "6 7 5")
 * is one word, so spelling a name back that the prompt also spells as an example (a long Polish
 * surname has more than DISCLOSURE_WINDOW letters) is not reciting the prompt. */
function promptWords(text: string): { words: string[]; spelledAtEnd: boolean } {
  const out: string[] = [];
  let run = false;
  for (const w of words(text)) {
    const single = [...w].length === 1;
    if (single && run) out[out.length - 1] += w;
    else out.push(w);
    run = single;
  }
  return { words: out, spelledAtEnd: run };
}

/** Secrets at least this long trip the guard once half of them has been said verbatim. */
export const MIN_HALVED_SECRET = 20;

/** Every run of half a secret's length (rounded up) inside it. */
function halvesOf(secret: string): string[] {
  const n = Math.ceil(secret.length / 2);
  return Array.from({ length: secret.length - n + 1 }, (_, i) => secret.slice(i, i + n));
}

/** Secrets whose compacted form is shorter than this are caught only when said verbatim: "test" would trip on "the latest". */
export const MIN_SPELLED_SECRET = 10;

const SYMBOL_WORDS = new Set(['dash', 'hyphen', 'minus', 'dot', 'period', 'point', 'underscore', 'slash', 'backslash', 'colon', 'plus', 'at', 'equals', 'tilde', 'hash', 'capital', 'uppercase', 'lowercase', 'upper', 'lower', 'case', 'small', 'letter', 'number', 'digit']);
const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** The agent's words as runs of letters and digits, two ways: every word joined ("sk live 4f9q" →
 * "sklive4f9q"), and only the characters said one at a time, so filler between them is skipped
 * ("s k, then l i v e" → "sklive"). Symbol words are dropped and digit words become digits. */
export function compactSpelling(text: string): { joined: string; letters: string } {
  const units = words(text)
    .filter((w) => !SYMBOL_WORDS.has(w))
    .map((w) => (DIGIT_WORDS.includes(w) ? String(DIGIT_WORDS.indexOf(w)) : w));
  return { joined: units.join(''), letters: units.filter((w) => [...w].length === 1).join('') };
}

/** Watches the agent's words, turn after turn, for a recited prompt or a secret. */
export class DisclosureGuard {
  #grams: Set<string>;
  #secrets: string[];
  /** Secrets compacted (see compactSpelling), for spelled-out and split forms. */
  #spelled: string[];
  /** Every half of each long secret: the turn is cut once half of one is out, not all of it. */
  #halves: Set<string>;
  #halfLength: number[];
  /** How much of the earlier turns is kept (characters): room for the longest secret spelled out slowly. */
  #tailLength: number;
  /** The end of the earlier turns, raw and compacted. */
  #tail = { raw: '', spoken: '', joined: '', letters: '' };
  #text = '';
  #checked = 0;

  constructor(prompt: string, secrets: readonly string[]) {
    const w = promptWords(prompt).words;
    this.#grams = new Set();
    for (let i = 0; i + DISCLOSURE_WINDOW <= w.length; i++) this.#grams.add(w.slice(i, i + DISCLOSURE_WINDOW).join(' '));
    this.#secrets = secrets.filter((s) => s.length >= 6);
    this.#halves = new Set(this.#secrets.filter((s) => s.length >= MIN_HALVED_SECRET).flatMap((s) => halvesOf(s)));
    this.#halfLength = [...new Set([...this.#halves].map((h) => h.length))];
    this.#spelled = [...new Set(this.#secrets.map((s) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')).filter((s) => s.length >= MIN_SPELLED_SECRET))];
    this.#tailLength = Math.max(0, ...this.#secrets.map((s) => s.length * 12));
  }

  /** The agent's next turn begins: its prompt check starts afresh, the end of what was said stays for the secret check. */
  nextTurn(): void {
    // raw runs the turns together (a value cut mid-word); spoken keeps a break so words stay words.
    // slice(-0) would keep everything: with no secret to watch, nothing of earlier turns is kept.
    const keep = (s: string) => (this.#tailLength ? s.slice(-this.#tailLength) : '');
    const raw = keep(this.#tail.raw + this.#text);
    const spoken = keep(`${this.#tail.spoken}\n${this.#text}`);
    this.#tail = { raw, spoken, ...compactSpelling(spoken) };
    this.#text = '';
    this.#checked = 0;
  }

  /** Adds streamed text; returns what tripped the guard, or null. */
  push(delta: string): 'prompt' | 'secret' | null {
    this.#text += delta;
    if (this.#secretSaid(delta.length)) return 'secret';
    if (!this.#grams.size) return null;
    const { words: w, spelledAtEnd } = promptWords(this.#text);
    // The last word may still be growing (a spelled run grows letter by letter); windows are checked once they end on a finished word.
    const finished = /[\s\p{P}]$/u.test(this.#text) && !spelledAtEnd ? w.length : w.length - 1;
    for (let end = Math.max(this.#checked, DISCLOSURE_WINDOW); end <= finished; end++) {
      if (this.#grams.has(w.slice(end - DISCLOSURE_WINDOW, end).join(' '))) return 'prompt';
    }
    this.#checked = Math.max(this.#checked, finished + 1);
    return null;
  }

  /** Whether a secret ends in the new text: only the last stretch that could hold one is looked at, so a long turn costs no more per word. */
  #secretSaid(added: number): boolean {
    if (!this.#secrets.length) return false;
    const window = this.#tailLength + added;
    const raw = (this.#tail.raw + this.#text).slice(-window);
    if (this.#secrets.some((s) => raw.includes(s))) return true;
    for (const n of this.#halfLength) for (let i = 0; i + n <= raw.length; i++) if (this.#halves.has(raw.slice(i, i + n))) return true;
    if (!this.#spelled.length) return false;
    const { joined, letters } = compactSpelling(`${this.#tail.spoken}\n${this.#text}`.slice(-window));
    return this.#spelled.some((s) => joined.includes(s) || letters.includes(s));
  }
}
