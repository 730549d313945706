// Playback of the agent's audio (PCM16 mono at the rate the server announced in `ready`, or the
// float samples Opus decodes to), frame
// after frame with no gaps, and the playout report the server needs: how many milliseconds of
// agent audio have really been played (`played`), so a barge-in keeps only what was heard.

/** Plays PCM16 chunks back to back; create it in a click handler so the browser lets it sound. */
export class PcmPlayer {
  readonly sampleRate: number;
  #ctx: AudioContext;
  #sources = new Set<AudioBufferSourceNode>();
  /** Context time at which the queued audio runs out. */
  #endsAt = 0;
  /** Milliseconds of audio handed to the device since the start, minus what `clear` dropped. */
  #queuedMs = 0;

  constructor(sampleRate: number) {
    this.sampleRate = sampleRate;
    this.#ctx = new AudioContext();
    void this.#ctx.resume();
  }

  /** Queues one PCM16 chunk (at the rate given at construction) right after the previous one. */
  play(pcm: Int16Array): void {
    const samples = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) samples[i] = pcm[i]! / 0x8000;
    this.playSamples(samples, this.sampleRate);
  }

  /** Queues float samples at `rate` (decoded Opus comes at 48 kHz) right after the previous chunk, or at once after a gap. */
  playSamples(samples: Float32Array<ArrayBuffer>, rate: number): void {
    if (!samples.length) return;
    const buffer = this.#ctx.createBuffer(1, samples.length, rate);
    buffer.copyToChannel(samples, 0);
    const source = this.#ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(this.#ctx.destination);
    // After an underrun, start a little ahead so the chunk is not clipped at its start.
    const at = Math.max(this.#endsAt, this.#ctx.currentTime + 0.02);
    source.start(at);
    this.#endsAt = at + buffer.duration;
    this.#queuedMs += buffer.duration * 1000;
    this.#sources.add(source);
    source.onended = () => this.#sources.delete(source);
  }

  /** Milliseconds queued but not played yet. */
  pendingMs(): number {
    return Math.max(0, (this.#endsAt - this.#ctx.currentTime) * 1000);
  }

  /** Cumulative milliseconds of agent audio actually played: the `played` report. */
  playedMs(): number {
    // What the speaker has put out lags the context clock by the output latency.
    const heardUntil = this.#ctx.currentTime - (this.#ctx.outputLatency || 0);
    const notHeardMs = Math.max(0, (this.#endsAt - heardUntil) * 1000);
    return Math.max(0, Math.round(this.#queuedMs - notHeardMs));
  }

  /** Barge-in: silence at once and forget everything not played yet. */
  clear(): void {
    this.#queuedMs -= this.pendingMs();
    for (const s of this.#sources) {
      s.onended = null;
      try {
        s.stop();
      } catch {
        // not started yet: nothing to stop
      }
    }
    this.#sources.clear();
    this.#endsAt = this.#ctx.currentTime;
  }

  close(): void {
    this.clear();
    void this.#ctx.close();
  }
}
