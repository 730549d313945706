// How many concurrent voice sessions one Node process (one core, mostly) holds.
// N VoiceSessions run in this process, each with its own Conversation over one shared
// in-memory SQLite store (`file::memory:`), a real Silero VAD (sherpa-onnx) that processes
// every caller frame, a fake cloud STT (ScriptedStt, no network), a fake model
// (MockLanguageModelV4 streaming ~20 tokens, first after LLM_TTFT_MS, then every LLM_ITL_MS)
// and a fake streaming TTS (first 20 ms frame TTS_TTFB_MS after its first text, then the rest
// of each text piece's audio pushed at once, MS_PER_CHAR of audio per character). The door plays
// agent audio in real time (heardMs follows the wall clock), so a turn lasts as long as its audio.
// Caller audio: every session gets a 20 ms 16 kHz frame every 20 ms from PHASES shared
// setIntervals (sessions are split into PHASES groups whose ticks are offset by 20/PHASES ms, as
// frames from many sockets do not all land at once; PHASES=1 pushes to everyone in one tick):
// while the caller speaks, real speech (flite, looped); otherwise background noise at NOISE_DB
// dBFS (−66: echo-cancelled browser silence; try −45 for a noisy room, where the gate stays open).
// Turn-taking is driven by a ScriptedVad whose events are returned instead of Silero's, while the
// VAD under test still runs: VAD=gated (default: noise gate + pooled Silero, as the server runs it,
// `listen.noiseGateDb`), VAD=silero (one Silero per session on every frame) or VAD=off. Each caller speaks SPEECH_MS, then the STT emits the final words and speech ends (T0);
// the door timestamps the turn's first agent frame (T1): voice-to-voice = T1 − T0 (includes the
// fakes' LLM_TTFT_MS + TTS_TTFB_MS). After the agent's audio has played and the session is
// listening again, the caller waits GAP_MS and speaks again.
// Usage: node --expose-gc bench/voice-concurrency/run.ts [N=50] [seconds=30]
//   env: WARMUP_S=3 PHASES=4 SPEECH_MS=1000 GAP_MS=1000 LLM_TTFT_MS=300 LLM_ITL_MS=20 TTS_TTFB_MS=50 MS_PER_CHAR=30 VAD=gated NOISE_DB=-66
import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV4 } from 'ai/test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Agent } from '../../src/agent/load.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { createSileroVad, voiceActivityFromTurn, type VoiceActivity } from '../../src/audio/vad.ts';
import { GatedVoiceActivity, VoiceActivityPool } from '../../src/audio/gated-vad.ts';
import { clip16, splitFrames } from '../../src/audio/frame.ts';
import { spoken } from '../../test/speech/spoken.ts';
import { Conversation } from '../../src/session/conversation.ts';
import { VoiceSession, type SpeechDetector } from '../../src/session/voice/voice-session.ts';
import { openStore } from '../../src/store/store.ts';
import type { TextToSpeech } from '../../src/speech/types.ts';
import type { Channel, ClientEvent } from '../../src/channels/channel.ts';
import { ScriptedStt, ScriptedVad } from '../../src/testing/voice.ts';
import { AsyncQueue } from '../../src/util/async-queue.ts';

const N = Number(process.argv[2] ?? 50);
const SECONDS = Math.min(Number(process.argv[3] ?? 30), 120);
const env = (k: string, d: number) => Number(process.env[k] ?? d);
const WARMUP_S = env('WARMUP_S', 3);
const PHASES = Math.max(1, env('PHASES', 4));
const SPEECH_MS = env('SPEECH_MS', 1000);
const GAP_MS = env('GAP_MS', 1000);
const LLM_TTFT_MS = env('LLM_TTFT_MS', 300);
const LLM_ITL_MS = env('LLM_ITL_MS', 20);
const TTS_TTFB_MS = env('TTS_TTFB_MS', 50);
const MS_PER_CHAR = env('MS_PER_CHAR', 30);
const VAD = (process.env.VAD ?? (process.env.SILERO === '0' ? 'off' : 'gated')) as 'gated' | 'silero' | 'off';
const SILERO = VAD !== 'off';
const NOISE_DB = env('NOISE_DB', -66);
// GATE=ends (default, shipped: the gate follows each caller's background level and ends speech that
// falls under it), adaptive (follows the background, Silero alone ends speech) or fixed (listen.noiseGateDb alone)
const GATE = (process.env.GATE ?? 'ends') as 'ends' | 'adaptive' | 'fixed';
const RATE = 16000; // door in/out and TTS all at 16 kHz: no resampling in the loop
const FRAME = RATE / 50;
const USER_TEXTS = ['what is the weather like in paris today', 'can I book a call for tomorrow afternoon', 'how much does the basic plan cost', 'thanks, that is all'];
const REPLY = 'Sure, I can help with that. It is sunny in Paris today, around twenty degrees. Anything else?';
const REPLY_TOKENS = REPLY.match(/\S+\s*/g) ?? [];

const now = () => performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---- fake model, shared (stateless); its call log is emptied so it does not grow with the run
const model = new MockLanguageModelV4({
  doStream: async () => {
    model.doStreamCalls.length = 0;
    return {
      stream: new ReadableStream<LanguageModelV4StreamPart>({
        async start(c) {
          await sleep(LLM_TTFT_MS);
          c.enqueue({ type: 'text-start', id: 't' });
          for (const [i, tok] of REPLY_TOKENS.entries()) {
            c.enqueue({ type: 'text-delta', id: 't', delta: tok });
            if (LLM_ITL_MS > 0 && i < REPLY_TOKENS.length - 1) await sleep(LLM_ITL_MS);
          }
          c.enqueue({ type: 'text-end', id: 't' });
          const tokens = { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 };
          c.enqueue({ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: { inputTokens: tokens, outputTokens: { total: 20, text: 20, reasoning: 0 } } } as LanguageModelV4StreamPart);
          c.close();
        },
      }),
    };
  },
});

// ---- fake streaming TTS: first audio TTS_TTFB_MS after the first text, then pushed fast
const tts: TextToSpeech = {
  id: 'bench:tts',
  sampleRate: RATE,
  streamingInput: true,
  async *speak(text, o) {
    let first = true;
    for await (const piece of text) {
      if (first) {
        first = false;
        await sleep(TTS_TTFB_MS);
      }
      const frames = Math.max(1, Math.round((piece.length * MS_PER_CHAR) / 20));
      for (let i = 0; i < frames && !o.signal.aborted; i++) yield new Int16Array(FRAME);
    }
  },
};

// ---- the door: plays agent audio in real time, keeps nothing but counters
class BenchDoor implements Channel {
  readonly inputSampleRate = RATE;
  readonly outputSampleRate = RATE;
  #queuedMs = 0;
  #playedMs = 0;
  #last = now();
  #frames = new AsyncQueue<Int16Array>();
  onFirstFrame: ((t: number) => void) | undefined;
  onListening: (() => void) | undefined;
  pushCallerAudio(pcm: Int16Array): void {
    this.#frames.push(pcm);
  }
  hangUp(): void {
    this.#frames.end();
  }
  audio(): AsyncIterable<Int16Array> {
    return this.#frames;
  }
  play(pcm: Int16Array): void {
    if (this.onFirstFrame) {
      const cb = this.onFirstFrame;
      this.onFirstFrame = undefined;
      cb(now());
    }
    this.#advance();
    this.#queuedMs += (pcm.length * 1000) / RATE;
  }
  clear(): void {
    this.#advance();
    this.#queuedMs = 0;
  }
  heardMs(): number {
    this.#advance();
    return this.#playedMs;
  }
  send(e: ClientEvent): void {
    if (e.type === 'state' && e.state === 'listening') this.onListening?.();
  }
  close(): void {}
  #advance(): void {
    const t = now();
    const step = Math.min(t - this.#last, this.#queuedMs);
    this.#playedMs += step;
    this.#queuedMs -= step;
    this.#last = t;
  }
}

// ---- Silero runs on every frame (timed); the ScriptedVad decides the turns
let sileroNs = 0n;
let sileroFrames = 0;
class BenchVad implements SpeechDetector {
  readonly scripted = new ScriptedVad();
  readonly silero: VoiceActivity | null;
  constructor(silero: VoiceActivity | null) {
    this.silero = silero;
  }
  push(pcm: Int16Array) {
    if (this.silero) {
      const t = process.hrtime.bigint();
      this.silero.push(pcm);
      sileroNs += process.hrtime.bigint() - t;
    }
    sileroFrames++; // frames through the VAD stage (Silero on or off)
    return this.scripted.push();
  }
}

const config = AgentFile.parse({
  persona: { prompt: 'You are a helpful assistant.', firstMessage: 'Hello.' },
  knowledge: { sources: [], strict: false },
  listen: { turn: { minEndpointingDelayMs: 0, maxEndpointingDelayMs: 0 } },
});
const agent: Agent = { name: 'bench', dir: '.', file: 'agent.yaml', config, prompt: config.persona.prompt ?? '', collect: [], version: 'bench' };
const store = await openStore('file::memory:');
const vadSettings = voiceActivityFromTurn(config.listen.turn);
if (SILERO) createSileroVad(vadSettings).close(); // load the native addon + ONNX runtime before the baseline
const pool = new VoiceActivityPool(() => createSileroVad(vadSettings), { maxIdle: N, spare: 2, minSilenceMs: vadSettings.minSilenceMs });
const speech = splitFrames((await spoken('What is the weather like in Paris today? Can I book a call for tomorrow afternoon?', { beforeMs: 0, afterMs: 0 })).pcm, 16000);
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const rssBase = process.memoryUsage().rss;
// Callers talk about a third of the time here; detectors are made before the run, as a server warms up.
const WARM = env('VAD_WARM', Math.ceil(N * 0.4));
if (VAD === 'gated') pool.prewarm(WARM);

// background noise at NOISE_DB dBFS (uniform noise: RMS = amplitude/√3), 50 different frames cycled
const amplitude = 32768 * 10 ** (NOISE_DB / 20) * Math.sqrt(3);
const noise = Array.from({ length: 50 }, () => Int16Array.from({ length: FRAME }, () => Math.round((Math.random() * 2 - 1) * amplitude)));
// the caller's words reach the microphone over the same background
const speechInNoise = speech.map((f, i) => Int16Array.from(f, (x, j) => clip16(x + noise[i % noise.length]![j]!)));

type Sess = { door: BenchDoor; stt: ScriptedStt; vad: BenchVad; session: VoiceSession; running: Promise<void>; abort: AbortController; talking: boolean; word: number };
const sessions: Sess[] = [];
const greeted: Promise<void>[] = [];
for (let i = 0; i < N; i++) {
  const door = new BenchDoor();
  const stt = new ScriptedStt();
  const vad = new BenchVad(VAD === 'silero' ? createSileroVad(vadSettings) : VAD === 'gated' ? new GatedVoiceActivity(pool, { fixed: { floorMarginDb: null, endBelowGate: false }, adaptive: { endBelowGate: false }, ends: {} }[GATE]) : null);
  const conversation = new Conversation({ agent, store, models: [model], channel: 'web' });
  const session = new VoiceSession({
    conversation, channel: door, stt, tts, vad,
    resampler: () => (p) => p,
    voice: { speed: 1 }, language: 'en', turn: config.listen.turn,
    silenceReprompt: 3600, silenceEnd: 7200,
  });
  greeted.push(new Promise<void>((r) => (door.onListening = r)));
  const abort = new AbortController();
  sessions.push({ door, stt, vad, session, abort, running: session.run(abort.signal), talking: false, word: i * 7 });
}

// caller audio: PHASES interval groups, offset by 20/PHASES ms
let frameNo = 0;
let framesPushed = 0;
const mics: NodeJS.Timeout[] = [];
for (let p = 0; p < PHASES; p++) {
  const group = sessions.filter((_, i) => i % PHASES === p);
  setTimeout(() => {
    // paced by the wall clock, not by the timer: a late tick delivers every frame that is due,
    // as a socket's buffered frames would arrive, so a busy loop cannot quietly shed caller audio
    const start = now();
    let sent = 0;
    mics.push(setInterval(() => {
      const due = Math.floor((now() - start) / 20) + 1;
      for (; sent < due; sent++) {
        const f = noise[frameNo++ % noise.length];
        for (const s of group) s.door.pushCallerAudio(s.talking ? speechInNoise[s.word++ % speech.length] : f);
        framesPushed += group.length;
      }
    }, 20));
  }, (p * 20) / PHASES);
}
const stage = (what: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${what}\n`);
stage(`${N} sessions started, waiting for their greetings`);
await Promise.all(greeted);
stage('greeted; callers start');
const rssStarted = process.memoryUsage().rss;

// ---- callers
let stopping = false;
let measuring = false;
let turns = 0;
let timeouts = 0;
const v2v: number[] = [];
async function caller(s: Sess, idx: number): Promise<void> {
  await sleep(Math.random() * (SPEECH_MS + GAP_MS + 2000)); // spread the turns
  for (let k = idx; !stopping; k++) {
    s.vad.scripted.start();
    s.talking = true;
    await sleep(SPEECH_MS);
    s.talking = false;
    if (stopping) break;
    const back = new Promise<boolean>((r) => (s.door.onListening = () => r(true)));
    const first = new Promise<number>((r) => (s.door.onFirstFrame = r));
    const t0 = now();
    const counted = measuring;
    s.stt.hear(USER_TEXTS[k % USER_TEXTS.length]);
    s.vad.scripted.stop();
    s.door.pushCallerAudio(noise[k % noise.length]); // end of speech seen at T0, as in bench/voice-loop
    const ok = await Promise.race([back, sleep(15_000).then(() => false)]);
    if (!ok) {
      timeouts++;
      continue;
    }
    if (counted && measuring) {
      turns++;
      v2v.push((await first) - t0);
    }
    await sleep(GAP_MS);
  }
}
const callers = sessions.map((s, i) => caller(s, i));

await sleep(WARMUP_S * 1000);
stage('warmed up; measuring');
gc?.();
const eld = monitorEventLoopDelay({ resolution: 1 });
eld.enable();
sileroNs = 0n;
sileroFrames = 0;
const pushed0 = framesPushed;
measuring = true;
const made0 = pool.created;
const cpu0 = process.cpuUsage();
const t0 = now();
let rssPeak = process.memoryUsage().rss;
const lentSamples: number[] = [];
const rssTimer = setInterval(() => {
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  lentSamples.push(pool.lent);
}, 500);
await sleep(SECONDS * 1000);
measuring = false;
const wallS = (now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const madeInWindow = pool.created - made0; // each ~100 ms of CPU, counted in the window: a pool still growing
eld.disable();
clearInterval(rssTimer);
const rssEnd = process.memoryUsage().rss;
rssPeak = Math.max(rssPeak, rssEnd);
const framesMeasured = sileroFrames;
const framesDue = N * 50 * wallS;
const framesIn = framesPushed - pushed0;
const sileroMs = Number(sileroNs) / 1e6;

// ---- stop, bounded
stage('measured; stopping');
stopping = true;
for (const m of mics) clearInterval(m);
for (const s of sessions) s.door.hangUp();
await Promise.race([Promise.all([...sessions.map((s) => s.running), ...callers]), sleep(5000)]);

const pct = (v: number[], q: number) => (v.length ? [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))] : NaN);
const r2 = (x: number) => +x.toFixed(2);
const cores = (cpu.user + cpu.system) / 1e6 / wallS;
const result = {
  engine: 'parley',
  node: process.version,
  config: { N, SECONDS, WARMUP_S, PHASES, VAD, GATE, NOISE_DB, SPEECH_MS, GAP_MS, LLM_TTFT_MS, LLM_ITL_MS, TTS_TTFB_MS, MS_PER_CHAR, store: 'shared file::memory:' },
  eventLoopLag_ms: { p50: r2(eld.percentile(50) / 1e6), p99: r2(eld.percentile(99) / 1e6), max: r2(eld.max / 1e6) },
  cpu: { cores_used: r2(cores), user_s: r2(cpu.user / 1e6), system_s: r2(cpu.system / 1e6), wall_s: r2(wallS) },
  sessions_per_core: r2(N / cores),
  caller_frames: { due: Math.round(framesDue), pushed: framesIn, processed: framesMeasured, processed_pct: r2((100 * framesMeasured) / framesDue) },
  silero_pool: { detectors: pool.created, made_in_window: madeInWindow, lent_avg: r2(lentSamples.reduce((a, b) => a + b, 0) / Math.max(1, lentSamples.length)), lent_max: Math.max(0, ...lentSamples) },
  silero: { frames: framesMeasured, us_per_frame: r2((sileroMs * 1000) / Math.max(1, framesMeasured)), share_of_cpu: r2(sileroMs / 1000 / ((cpu.user + cpu.system) / 1e6)), core_pct_per_stream: r2((sileroMs / 10) / wallS / N) },
  memory_mb: { rss_base: r2(rssBase / 1e6), rss_started: r2(rssStarted / 1e6), rss_end: r2(rssEnd / 1e6), rss_peak: r2(rssPeak / 1e6), per_session_started: r2((rssStarted - rssBase) / 1e6 / N), per_session_end: r2((rssEnd - rssBase) / 1e6 / N) },
  turns: { completed: turns, per_s: r2(turns / wallS), timeouts },
  voiceToVoice_ms: { p50: r2(pct(v2v, 0.5)), p99: r2(pct(v2v, 0.99)), fakes_ms: LLM_TTFT_MS + TTS_TTFB_MS },
};
const rows: [string, string][] = [
  ['sessions', `${N} (VAD ${VAD}${VAD === 'gated' ? ` ${GATE}` : ''}, background ${NOISE_DB} dBFS, ${PHASES} mic phases)`],
  ['Silero detectors alive (pool)', VAD === 'gated' ? `${pool.created} (${madeInWindow} made in the window), lent on average ${result.silero_pool.lent_avg}, at most ${result.silero_pool.lent_max}` : VAD === 'silero' ? `${N}` : '0'],
  ['window', `${r2(wallS)} s after ${WARMUP_S} s warm-up`],
  ['event-loop lag p50 / p99 / max', `${result.eventLoopLag_ms.p50} / ${result.eventLoopLag_ms.p99} / ${result.eventLoopLag_ms.max} ms`],
  ['CPU (cores used)', `${result.cpu.cores_used}`],
  ['sessions per core', `${result.sessions_per_core}`],
  ['caller frames due / pushed / through VAD', `${result.caller_frames.due} / ${framesIn} / ${framesMeasured} (${result.caller_frames.processed_pct}%)`],
  ['VAD per 20 ms frame (gate + Silero)', `${result.silero.us_per_frame} µs (${Math.round(result.silero.share_of_cpu * 100)}% of process CPU, ${result.silero.core_pct_per_stream}% of a core per stream)`],
  ['RSS base / started / end / peak', `${result.memory_mb.rss_base} / ${result.memory_mb.rss_started} / ${result.memory_mb.rss_end} / ${result.memory_mb.rss_peak} MB`],
  ['RSS per session (started / end)', `${result.memory_mb.per_session_started} / ${result.memory_mb.per_session_end} MB`],
  ['turns completed', `${turns} (${result.turns.per_s}/s), ${timeouts} timed out`],
  ['voice-to-voice p50 / p99', `${result.voiceToVoice_ms.p50} / ${result.voiceToVoice_ms.p99} ms (fakes account for ${LLM_TTFT_MS + TTS_TTFB_MS} ms)`],
];
const w = Math.max(...rows.map((r) => r[0].length));
for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
console.log(JSON.stringify(result));
await store.close().catch(() => {});
process.exit(0);
