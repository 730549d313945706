// Parley's own added latency per voice turn, measured exactly like the LiveKit agents-js
// harness in ./livekit (same fakes, same workload, same settings): a fake recogniser emits the
// caller's final words and end of speech (T0); a fake model streams tokens after a fixed time
// to first token; a fake TTS returns its first 20 ms frame a fixed time after its first text;
// the door timestamps the first frame of each turn (T1).
//   overhead = (T1 − T0) − the fakes' own measured latencies
// Usage: node --expose-gc bench/voice-loop/run.ts [turns=200] [warmup=10]
//   env: LLM_TTFT_MS=100 LLM_ITL_MS=10 TTS_TTFB_MS=50 OUT_JSON=file
import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV4 } from 'ai/test';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import type { Agent } from '../../src/agent/load.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { Conversation } from '../../src/session/conversation.ts';
import { VoiceSession } from '../../src/session/voice/voice-session.ts';
import { openStore } from '../../src/store/store.ts';
import type { TextToSpeech } from '../../src/speech/types.ts';
import type { Channel, ClientEvent } from '../../src/channels/channel.ts';
import { ScriptedStt, ScriptedVad } from '../../src/testing/voice.ts';

const TURNS = Number(process.argv[2] ?? 200);
const WARMUP = Number(process.argv[3] ?? 10);
const LLM_TTFT_MS = Number(process.env.LLM_TTFT_MS ?? 100);
const LLM_ITL_MS = Number(process.env.LLM_ITL_MS ?? 10);
const TTS_TTFB_MS = Number(process.env.TTS_TTFB_MS ?? 50);
const SAMPLE_RATE = 24000;
const FRAME = SAMPLE_RATE / 50;
const USER_SPEECH_MS = 300;
const INTER_TURN_GAP_MS = 100;
const USER_TEXT = 'what is the weather like in paris today';
const REPLY = 'Sure, I can help with that. It is sunny in Paris today, around twenty degrees. Anything else?';
const REPLY_TOKENS = REPLY.match(/\S+\s*/g) ?? [];

const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let probe: Record<string, number> = {};
let firstFrame: ((t: number) => void) | undefined;

// ---- fake model: tokens after a fixed time to first token, then one every LLM_ITL_MS
const model = new MockLanguageModelV4({
  doStream: async () => {
    probe.llmStart ??= now();
    return {
      stream: new ReadableStream<LanguageModelV4StreamPart>({
        async start(c) {
          await sleep(LLM_TTFT_MS);
          c.enqueue({ type: 'text-start', id: 't' });
          for (const [i, tok] of REPLY_TOKENS.entries()) {
            if (i === 0) probe.llmFirstTok ??= now();
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

// ---- fake TTS: first frame TTS_TTFB_MS after its first text, then a frame per character
const tts: TextToSpeech = {
  id: 'bench:tts',
  sampleRate: SAMPLE_RATE,
  streamingInput: true, // like LiveKit's fake: one input stream, first audio a fixed time after the first text
  async *speak(text, o) {
    let readyAt: number | undefined;
    for await (const piece of text) {
      if (readyAt === undefined) {
        probe.ttsFirstText ??= now();
        readyAt = now() + TTS_TTFB_MS;
        await sleep(TTS_TTFB_MS);
      }
      for (let i = 0; i < piece.length && !o.signal.aborted; i++) {
        probe.ttsFirstAudio ??= now();
        yield new Int16Array(FRAME);
      }
    }
  },
};

// ---- the door: "plays" instantly and keeps nothing, timestamps each turn's first frame
class BenchChannel implements Channel {
  readonly inputSampleRate = 16000;
  readonly outputSampleRate = SAMPLE_RATE;
  #playedMs = 0;
  #frames: Int16Array[] = [];
  #wake: (() => void) | undefined;
  #hungUp = false;
  onState: ((state: string) => void) | undefined;
  pushCallerAudio(pcm: Int16Array): void {
    this.#frames.push(pcm);
    this.#wake?.();
  }
  hangUp(): void {
    this.#hungUp = true;
    this.#wake?.();
  }
  async *audio(): AsyncIterable<Int16Array> {
    for (;;) {
      const f = this.#frames.shift();
      if (f) yield f;
      else if (this.#hungUp) return;
      else await new Promise<void>((r) => (this.#wake = r));
    }
  }
  play(pcm: Int16Array): void {
    if (firstFrame) {
      const t = now();
      firstFrame(t);
      firstFrame = undefined;
    }
    this.#playedMs += (pcm.length * 1000) / SAMPLE_RATE;
  }
  clear(): void {}
  heardMs(): number {
    return this.#playedMs; // plays instantly, like the LiveKit harness's output
  }
  send(e: ClientEvent): void {
    if (e.type === 'state') this.onState?.(e.state);
  }
  close(): void {}
}

const config = AgentFile.parse({
  persona: { prompt: 'You are a helpful assistant.', firstMessage: 'Hello.' },
  knowledge: { sources: [], strict: false },
  listen: { turn: { minEndpointingDelayMs: 0, maxEndpointingDelayMs: 0 } },
});
const agent: Agent = { name: 'bench', dir: '.', file: 'agent.yaml', config, prompt: config.persona.prompt ?? '', collect: [], version: 'bench' };
const store = await openStore(process.env.PARLEY_DATABASE_URL ?? 'file::memory:');
const rss0 = process.memoryUsage().rss;
const channel = new BenchChannel();
const stt = new ScriptedStt();
const vad = new ScriptedVad();
const conversation = new Conversation({ agent, store, models: [model], channel: 'web' });
const session = new VoiceSession({
  conversation,
  channel,
  stt,
  tts,
  vad,
  resampler: () => (p) => p,
  voice: { speed: 1 },
  language: 'en',
  turn: config.listen.turn,
  silenceReprompt: 3600,
  silenceEnd: 7200,
});
const running = session.run(new AbortController().signal);
const mic = setInterval(() => channel.pushCallerAudio(new Int16Array(320)), 20);
const listening = () => new Promise<void>((r) => (channel.onState = (s) => s === 'listening' && r()));
await listening();

const gc = (globalThis as { gc?: () => void }).gc;
// Heap in use outside the code and trusted (bytecode) spaces: compiled code keeps growing while
// the program warms up and is not memory a conversation keeps.
const dataHeap = () => getHeapSpaceStatistics().filter((sp) => !/^(code|trusted|shared_trusted)/.test(sp.space_name)).reduce((a, sp) => a + sp.space_used_size, 0);
gc?.();
const heapStart = dataHeap();
const spaces0 = Object.fromEntries(getHeapSpaceStatistics().map((sp) => [sp.space_name, sp.space_used_size]));
const eld = monitorEventLoopDelay({ resolution: 1 });
// Garbage-collection pauses, to tell a turn slowed by the collector from one slowed by Parley's work.
const pauses: { start: number; end: number; kind: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) pauses.push({ start: e.startTime, end: e.startTime + e.duration, kind: ((e as unknown as { detail?: { kind: number } }).detail?.kind ?? 0) });
}).observe({ entryTypes: ['gc'] });
const gcWithin = (a: number, b: number) => pauses.filter((p) => p.end > a && p.start < b).reduce((sum, p) => sum + Math.min(p.end, b) - Math.max(p.start, a), 0);
const rows: Record<string, number>[] = [];
for (let i = 0; i < WARMUP + TURNS; i++) {
  if (i === WARMUP) eld.enable();
  await sleep(INTER_TURN_GAP_MS);
  vad.start();
  await sleep(USER_SPEECH_MS);
  probe = {};
  const frame = new Promise<number>((r) => (firstFrame = r));
  const turnDone = listening();
  const t0 = now();
  stt.hear(USER_TEXT);
  vad.stop();
  channel.pushCallerAudio(new Int16Array(320)); // end of speech is seen at T0, as the STT event is in LiveKit's run
  const t1 = await Promise.race([frame, sleep(5000).then(() => null)]);
  model.doStreamCalls.length = 0; // the mock keeps every call's prompt: not Parley's memory
  if (t1 === null) throw new Error(`turn ${i}: no audio within 5 s; probe=${JSON.stringify(probe)}`);
  await turnDone;
  if (process.env.SNAP && (i === WARMUP + 20 || i === WARMUP + TURNS - 1)) {
    gc?.();
    (await import('node:v8')).writeHeapSnapshot(`/tmp/snap-${i}.heapsnapshot`);
  }
  if (i >= WARMUP) {
    const total = t1 - t0;
    const llmTtft = probe.llmFirstTok - probe.llmStart;
    const ttsTtfb = probe.ttsFirstAudio - probe.ttsFirstText;
    rows.push({ total, exact: total - llmTtft - ttsTtfb, gc: gcWithin(t0, t1), toLlm: probe.llmStart - t0, tokToTts: probe.ttsFirstText - probe.llmFirstTok, ttsToOut: t1 - probe.ttsFirstAudio });
  }
}
eld.disable();
clearInterval(mic);
const pct = (v: number[], q: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))];
const stats = (k: string) => {
  const v = rows.map((r) => r[k]);
  return { p50: +pct(v, 0.5).toFixed(2), p90: +pct(v, 0.9).toFixed(2), p99: +pct(v, 0.99).toFixed(2), max: +Math.max(...v).toFixed(2) };
};
gc?.();
const heapEnd = dataHeap();
if (process.env.SPACES) for (const sp of getHeapSpaceStatistics()) console.log(sp.space_name, ((sp.space_used_size - spaces0[sp.space_name]) / 1e3).toFixed(1), 'KB');
const result = {
  engine: 'parley',
  node: process.version,
  config: { TURNS, WARMUP, LLM_TTFT_MS, LLM_ITL_MS, TTS_TTFB_MS },
  summary_ms: Object.fromEntries(['total', 'exact', 'gc', 'toLlm', 'tokToTts', 'ttsToOut'].map((k) => [k, stats(k)])),
  eventLoopDelay_ms: { p50: +(eld.percentile(50) / 1e6).toFixed(2), p99: +(eld.percentile(99) / 1e6).toFixed(2) },
  memory: {
    rss_mb_after_import: +(rss0 / 1e6).toFixed(1),
    heap_mb_start_after_gc: gc ? +(heapStart / 1e6).toFixed(2) : null,
    heap_mb_end_after_gc: gc ? +(heapEnd / 1e6).toFixed(2) : null,
    retained_kb_per_turn: gc ? +((heapEnd - heapStart) / 1e3 / (WARMUP + TURNS)).toFixed(2) : null,
    // what the conversation must keep: the caller's words and the agent's reply, per turn
    transcript_kb_per_turn: +((USER_TEXT.length + REPLY.length) * 2 / 1e3).toFixed(2),
  },
};
console.log(`parley overhead per turn (ms): p50 ${result.summary_ms.exact.p50}  p90 ${result.summary_ms.exact.p90}  p99 ${result.summary_ms.exact.p99}  max ${result.summary_ms.exact.max}`);
console.log(`retained per turn: ${result.memory.retained_kb_per_turn} KB (transcript itself ≈ ${result.memory.transcript_kb_per_turn} KB)`);
if (process.env.OUT_JSON) writeFileSync(process.env.OUT_JSON, JSON.stringify({ result, rows }, null, 2));
console.log(JSON.stringify(result));
channel.hangUp();
await running;
await store.close();
process.exit(0);
