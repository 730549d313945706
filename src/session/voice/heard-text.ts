// What the caller actually heard. When the caller interrupts, the model must not believe it
// said what was never played: the agent's turn is cut back to the words played so far.

/** One spoken piece: its text and where its audio sits on the turn's playout timeline. */
interface SpokenPiece {
  text: string;
  startMs: number;
  durationMs: number;
}

/** Tracks the pieces of one agent turn as their audio is queued, and maps playout time back to words. */
export class SpokenTimeline {
  #pieces: SpokenPiece[] = [];
  #endMs = 0;

  /** Adds a piece whose audio of `durationMs` follows everything queued before it. */
  add(text: string, durationMs: number): void {
    this.#pieces.push({ text, startMs: this.#endMs, durationMs });
    this.#endMs += durationMs;
  }

  /** Adds text to the last piece (a streaming TTS takes words, not pieces). */
  appendText(text: string): void {
    const last = this.#pieces.at(-1);
    if (last) last.text += text;
    else this.add(text, 0);
  }

  /** Extends the last piece (audio for a piece often arrives in several chunks). */
  extendLast(durationMs: number): void {
    const last = this.#pieces.at(-1);
    if (!last) return;
    last.durationMs += durationMs;
    this.#endMs += durationMs;
  }

  /** Milliseconds of audio queued for this turn. */
  get totalMs(): number {
    return this.#endMs;
  }

  /** Everything queued so far. */
  fullText(): string {
    return this.#pieces.map((p) => p.text).join(' ');
  }

  /**
   * The words heard after `playedMs` of this turn's audio: whole pieces already played, and of
   * the piece playing, the words whose share of its duration has passed (speech is close enough
   * to uniform in time per character that this lands within a word or two).
   */
  heardText(playedMs: number): string {
    const heard: string[] = [];
    for (const p of this.#pieces) {
      if (playedMs >= p.startMs + p.durationMs) {
        heard.push(p.text);
        continue;
      }
      if (playedMs > p.startMs && p.durationMs > 0) {
        const chars = Math.floor((p.text.length * (playedMs - p.startMs)) / p.durationMs);
        const partial = p.text.slice(0, chars);
        // Keep only whole words: a half-heard word was not heard.
        const cut = p.text[chars] === ' ' || chars >= p.text.length ? partial : partial.slice(0, Math.max(0, partial.lastIndexOf(' ')));
        if (cut.trim()) heard.push(cut.trim());
      }
      break;
    }
    return heard.join(' ');
  }
}
