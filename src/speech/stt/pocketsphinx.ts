import { existsSync } from 'node:fs';
import { bytesFromPcm } from '../../audio/frame.ts';
import { AsyncQueue } from '../../util/async-queue.ts';
import { findExecutable, startProcess, type LocalProcess } from '../local-process.ts';
import { SpeechUnavailableError, type SpeechToText, type SttEvent, type SttStream } from '../types.ts';

// `local:pocketsphinx` — CMU PocketSphinx 0.8 from Debian's `pocketsphinx` and
// `pocketsphinx-en-us` packages: offline, English only, fast, and far less accurate than cloud
// recognisers (fine for tests and for a demo that must work without keys).
//
// One `pocketsphinx_continuous -infile /dev/stdin` per stream, fed 16 kHz PCM16 raw. Node's
// stdio pipes are socket pairs, which /dev/stdin cannot be opened on, hence `sh -c 'cat | …'`.
// The program cuts utterances with its own silence detector and prints one line per utterance.
//
// Latency: no partial results. Starting the process (loading the language model) takes ~0.8 s,
// so open the stream when the conversation starts, not per turn. After the caller stops
// speaking, the final line comes once the recogniser has heard `postSpeechMs` of silence
// (default 500 ms) — plus up to 128 ms, since it reads audio in 2048-sample blocks — plus the
// end-of-utterance search (~0.1–0.3 s for a sentence here). end() flushes at once.

/** Where pocketsphinx and its model are, and how long a pause ends an utterance. */
export interface PocketsphinxOptions {
  /** Binary name or path (default `pocketsphinx_continuous`). */
  binary?: string;
  /** Acoustic model directory, language model and dictionary (default: pocketsphinx-en-us's). */
  hmm?: string;
  lm?: string;
  dict?: string;
  /** Silence that ends an utterance (pocketsphinx's -vad_postspeech; default 500 ms). */
  postSpeechMs?: number;
  /** More command-line flags, passed as they are. */
  args?: string[];
}

const SAMPLE_RATE = 16000;
const MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

/** Offline English speech-to-text through pocketsphinx_continuous. */
export class PocketsphinxStt implements SpeechToText {
  readonly id = 'local:pocketsphinx';
  readonly sampleRate = SAMPLE_RATE;
  #o: PocketsphinxOptions;

  constructor(o: PocketsphinxOptions = {}) {
    this.#o = o;
  }

  /** Opens a recognition stream; throws SpeechUnavailableError when the program, model or language is missing. */
  stream(o: { language: string; signal: AbortSignal }): SttStream {
    if (!/^en\b/i.test(o.language)) throw new SpeechUnavailableError(`local:pocketsphinx only knows English (pocketsphinx-en-us), not "${o.language}"; choose a cloud STT for that language.`);
    const binary = findExecutable(this.#o.binary ?? 'pocketsphinx_continuous');
    if (!binary) throw new SpeechUnavailableError('local:pocketsphinx needs the pocketsphinx_continuous program, which is not installed: apt-get install pocketsphinx pocketsphinx-en-us (Debian/Ubuntu), or choose a cloud STT.');
    const hmm = this.#o.hmm ?? `${MODEL_DIR}/en-us`;
    if (!existsSync(hmm)) throw new SpeechUnavailableError(`local:pocketsphinx needs its English model at ${hmm}: apt-get install pocketsphinx-en-us.`);
    const args = ['-infile', '/dev/stdin', '-samprate', String(SAMPLE_RATE), '-hmm', hmm, '-vad_postspeech', String(Math.round((this.#o.postSpeechMs ?? 500) / 10))];
    args.push('-lm', this.#o.lm ?? `${MODEL_DIR}/en-us.lm.bin`, '-dict', this.#o.dict ?? `${MODEL_DIR}/cmudict-en-us.dict`, ...(this.#o.args ?? []));
    return new PocketsphinxStream(binary, args, o.signal);
  }
}

/** Creates the `local:pocketsphinx` provider. */
export function createPocketsphinxStt(o: PocketsphinxOptions = {}): PocketsphinxStt {
  return new PocketsphinxStt(o);
}

class PocketsphinxStream implements SttStream {
  #queue: AsyncQueue<SttEvent>;
  #proc: LocalProcess | null = null;
  #signal: AbortSignal;
  #pushedSamples = 0;
  #ended = false;

  constructor(binary: string, args: string[], signal: AbortSignal) {
    this.#signal = signal;
    this.#queue = new AsyncQueue<SttEvent>(() => this.#stop());
    if (signal.aborted) {
      this.#queue.fail(signal.reason);
      return;
    }
    // "$0" is the binary, "$@" its flags: no quoting of paths into a shell string.
    const proc = startProcess('sh', ['-c', 'cat | exec "$0" "$@"', binary, ...args]);
    this.#proc = proc;
    const onAbort = () => proc.kill();
    signal.addEventListener('abort', onAbort, { once: true });
    this.#readLines(proc);
    void proc.exited.then(({ code, signal: killedBy }) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) this.#queue.fail(signal.reason);
      else if (code === 0 || this.#queue.closed) this.#queue.end();
      else this.#queue.fail(new Error(`pocketsphinx_continuous failed (${killedBy ?? `exit ${code}`}): ${lastLines(proc.stderr())}`));
    });
  }

  push(pcm: Int16Array): void {
    if (this.#ended || !this.#proc || this.#signal.aborted) return;
    this.#pushedSamples += pcm.length;
    // Copy: the caller may reuse its buffer before the pipe has taken the bytes.
    this.#proc.child.stdin.write(Buffer.from(bytesFromPcm(pcm)));
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#proc?.child.stdin.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<SttEvent> {
    return this.#queue[Symbol.asyncIterator]();
  }

  #readLines(proc: LocalProcess): void {
    let partial = '';
    proc.child.stdout.setEncoding('utf8');
    const emit = (line: string) => {
      const text = line.trim();
      if (text) this.#queue.push({ type: 'final', text, atMs: (this.#pushedSamples * 1000) / SAMPLE_RATE });
    };
    proc.child.stdout.on('data', (s: string) => {
      const lines = (partial + s).split('\n');
      partial = lines.pop() ?? '';
      lines.forEach(emit);
    });
    proc.child.stdout.on('end', () => emit(partial));
  }

  /** The reader went away: nobody will read results, so stop the process. */
  #stop(): void {
    this.#ended = true;
    this.#proc?.kill();
  }
}

function lastLines(s: string): string {
  const lines = s.split('\n').filter((l) => l.trim());
  return lines.slice(-3).join(' | ') || 'no message';
}
