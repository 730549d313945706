/** The known word closest to `word` (by edit distance, case-insensitive), when it is close enough to be a typo. */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(w, k.toLowerCase());
    if (!best || d < best.d) best = { k, d };
  }
  // A third of the word may be wrong: "opnai" → openai, "promt" → prompt, but not "xyz" → tts.
  return best && best.d > 0 && best.d <= Math.max(1, Math.floor(w.length / 3)) ? best.k : undefined;
}

/** `; did you mean "x"?` or nothing, for the end of a message. */
export function didYouMeanHint(word: string, known: readonly string[]): string {
  const m = didYouMean(word, known);
  return m ? `; did you mean "${m}"?` : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
