// LLM tokens → speakable pieces. TTS starts on the first clause instead of waiting for the
// whole answer, which is most of the time-to-first-audio a voice agent can win back.

const SENTENCE_END = /[.!?…]["')\]]?\s/;
const CLAUSE_END = /[,;:—–]\s/;
// Don't end a piece on "Dr." or "e.g." or "3." in "3.5".
const ABBREVIATION = /\b(?:mr|mrs|ms|dr|prof|sr|jr|st|vs|etc|e\.g|i\.e|approx|no|inc|ltd|co)\.\s$/i;

/** Settings for cutting text into speakable pieces. */
export interface ChunkerOptions {
  /** The first piece may be a clause this short, to start speaking sooner. */
  firstMinChars: number;
  /** Later pieces wait for a sentence end unless they grow past this. */
  maxChars: number;
}

const DEFAULTS: ChunkerOptions = { firstMinChars: 20, maxChars: 240 };

/** Cuts a stream of text deltas into sentences (the first one may be a clause) as soon as each is complete. */
export async function* speakablePieces(deltas: AsyncIterable<string>, o: Partial<ChunkerOptions> = {}): AsyncGenerator<string> {
  const opts = { ...DEFAULTS, ...o };
  let buffer = '';
  let first = true;
  for await (const delta of deltas) {
    buffer += delta;
    for (let cut = findCut(buffer, first, opts); cut > 0; cut = findCut(buffer, first, opts)) {
      const piece = buffer.slice(0, cut).trim();
      buffer = buffer.slice(cut);
      if (piece) {
        first = false;
        yield piece;
      }
    }
  }
  const rest = buffer.trim();
  if (rest) yield rest;
}

/** Where the next complete piece ends in `text`, or 0 when none is complete yet. */
function findCut(text: string, first: boolean, o: ChunkerOptions): number {
  let from = 0;
  for (;;) {
    const m = SENTENCE_END.exec(text.slice(from));
    if (!m) break;
    const end = from + m.index + m[0].length;
    if (!ABBREVIATION.test(text.slice(0, end))) return end;
    from = end;
  }
  if (first && text.length >= o.firstMinChars) {
    const m = CLAUSE_END.exec(text.slice(o.firstMinChars - 1));
    if (m) return o.firstMinChars - 1 + m.index + m[0].length;
  }
  if (text.length > o.maxChars) {
    const space = text.lastIndexOf(' ', o.maxChars);
    return space > 0 ? space + 1 : o.maxChars;
  }
  return 0;
}
