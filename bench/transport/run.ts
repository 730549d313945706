// The widget's audio over a bad network: WebRTC (Opus over UDP, through coturn) against the
// WebSocket — PCM over TCP (`socket`, a page without WebCodecs) or Opus over TCP (`socket-opus`,
// WebCodecs) — each through a userspace impairment relay (relay.ts) that delays,
// jitters and drops packets. A real Chromium with a fake microphone talks to the real server
// (Silero VAD, pocketsphinx, a fake model, and a tone in place of the agent's voice so every gap in
// the played audio is the network's, not a pause between words). Measured in the page: level of
// the microphone and of the agent audio actually played, per 128-sample block.
//
//   node bench/transport/run.ts [--loss 0,2,5] [--delay 30-80] [--transports webrtc,socket,socket-opus] [--json out.json]
//
// Per run it prints: kbit/s each way during the call (bytes through the relay, all headers above
// UDP/TCP included: IP and UDP/TCP headers are not), the longest gap inside the agent's speech and
// how many gaps were over 100 ms, and voice-to-voice (end of the caller's speech in the microphone
// to the first played sound of the answer), against the same transport with no impairment.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSocket } from 'node:dgram';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { concat, silence } from '../../src/audio/frame.ts';
import { encodeWav } from '../../src/audio/wav.ts';
import { buildServer } from '../../src/server/app.ts';
import { agentSpeech } from '../../src/server/voice-conversation.ts';
import type { TextToSpeech } from '../../src/speech/types.ts';
import { startFakeOpenAI } from '../../src/testing/index.ts';
import { openStore } from '../../src/store/store.ts';
import { FliteTts } from '../../src/speech/tts/flite.ts';
import { PAGE_TAPS } from './page-taps.ts';
import { tcpRelay, udpRelay, type Impairment } from './relay.ts';

const CHROMIUM = '/usr/lib/chromium/chromium';
const arg = (name: string, d: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : d;
};
const LOSSES = arg('loss', '0,2,5').split(',').map(Number);
const [MIN_DELAY, MAX_DELAY] = arg('delay', '30-80').split('-').map(Number) as [number, number];
type Transport = 'webrtc' | 'socket' | 'socket-opus';
const TRANSPORTS = arg('transports', 'webrtc,socket,socket-opus').split(',') as Transport[];
/** The `socket` runs stand for a browser without WebCodecs: the widget sends PCM. */
const NO_WEBCODECS = `(() => { delete window.AudioEncoder; delete window.AudioDecoder; })()`;
const QUESTIONS = ['How much does the automation audit cost?', 'Can I book a call for next Tuesday?'];
const ANSWERS = ['The automation audit costs two thousand four hundred euros in total.', 'Yes, Tuesday works, I can book you for ten in the morning.'];
const TURN_SECRET = 'bench-turn-secret';

/** Wall-clock ms, the same in this process and in the page (performance.timeOrigin + now). */
const epoch = () => performance.timeOrigin + performance.now();

/** When, on the server, the VAD heard the caller stop, and each piece of agent audio was made. */
interface ServerLog {
  speechEnds: number[];
  pieces: number[];
}

/** The agent's voice as a steady tone, 50 ms per character: any silence inside it is a transport gap. */
class ToneTts implements TextToSpeech {
  readonly id = 'tone:tts';
  readonly sampleRate = 16000;
  #log: ServerLog;
  constructor(log: ServerLog) {
    this.#log = log;
  }
  async *speak(text: AsyncIterable<string>): AsyncIterable<Int16Array> {
    for await (const piece of text) {
      this.#log.pieces.push(epoch());
      const n = piece.length * 800;
      for (let at = 0; at < n; at += 320) yield new Int16Array(Math.min(320, n - at)).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 330 * (at + i)) / 16000)));
    }
  }
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

async function startCoturn(dir: string): Promise<{ port: number; child: ChildProcess }> {
  const port = await freeUdpPort();
  // Relayed addresses on the machine's own address, where the server's host candidates are.
  const relayIp = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address ?? '127.0.0.1';
  const child = spawn('turnserver', ['-n', '--listening-ip=127.0.0.1', `--listening-port=${port}`, `--relay-ip=${relayIp}`, '--allow-loopback-peers', '--use-auth-secret', `--static-auth-secret=${TURN_SECRET}`, '--realm=parley.bench', '--no-tls', '--no-dtls', '--no-cli', `--pidfile=${join(dir, 'turn.pid')}`, `--userdb=${join(dir, 'turndb')}`, '--log-file=stdout', '--simple-log'], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (seen.includes('Total General servers')) resolve();
    });
    child.on('exit', (c) => reject(new Error(`turnserver exited ${c}`)));
  });
  child.stdout!.resume();
  return { port, child };
}

/** Runs of level above −40 dBFS, merged when closer than `joinMs`: [start, end] in ms. */
function loudRuns(blocks: [number, number][], joinMs: number): [number, number][] {
  const out: [number, number][] = [];
  for (const [t, rms] of blocks) {
    if (rms < 0.01) continue;
    const last = out.at(-1);
    if (last && t - last[1] <= joinMs) last[1] = t + 2.7;
    else out.push([t, t + 2.7]);
  }
  return out;
}

interface Result {
  transport: string;
  loss: number;
  delay: string;
  upKbps: number;
  downKbps: number;
  /** Down bytes over the time the agent's audio played: the rate while it speaks (nothing is sent between utterances). */
  downPerSpeechKbps: number;
  maxGapMs: number;
  gapsOver100: number;
  gapsOver20: number;
  v2vMs: number[];
  uplinkMs: number[];
  downlinkMs: number[];
  peakDownKbps: number;
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
  agentSpeechMs: number;
}

async function run(transport: Transport, imp: Impairment, coturnPort: number, wav: string, dir: string): Promise<Result> {
  const llm = await startFakeOpenAI();
  for (const a of ANSWERS) llm.push({ text: a });
  const store = await openStore(`file:${join(dir, `bench-${transport}-${imp.loss}-${imp.maxDelayMs}.db`)}`);
  // The relays: TCP in front of the server (page, widget.js, session request, socket); UDP in front of coturn.
  let serverPort = 0;
  const tcp = await tcpRelay({ host: '127.0.0.1', get port() { return serverPort; } } as { host: string; port: number }, imp);
  const udp = await udpRelay({ host: '127.0.0.1', port: coturnPort }, imp);
  let hostPort = 0;
  const host: Server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><body><script src="http://localhost:${tcp.port}/widget.js" data-agent="ada" async></script></body></html>`));
  await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
  hostPort = (host.address() as AddressInfo).port;
  const agentDir = join(dir, `agents-${transport}-${imp.loss}-${imp.maxDelayMs}`);
  mkdirSync(join(agentDir, 'ada'), { recursive: true });
  writeFileSync(join(agentDir, 'ada', 'agent.yaml'), ['name: ada', 'persona:', '  prompt: You are Ada.', '  firstMessage: Hi, this is Ada from the test shop. How can I help you today?', 'knowledge: { sources: [], strict: false }', 'voice: { tts: "local:flite" }', 'listen: { stt: "local:pocketsphinx", turn: { minEndpointingDelayMs: 400, maxEndpointingDelayMs: 1500 } }', 'channels:', '  web:', `    allowedOrigins: ["127.0.0.1:${hostPort}"]`, ''].join('\n'));
  const env = {
    PARLEY_LLM: 'openai-compatible:fake',
    PARLEY_LLM_BASE_URL: llm.url,
    PARLEY_SESSION_SECRET: 's',
    PARLEY_ADMIN_TOKEN: 'a',
    PARLEY_START_TIMEOUT_SEC: '30',
    PATH: process.env.PATH,
    ...(transport === 'webrtc' ? { PARLEY_ICE_SERVERS: `turn:127.0.0.1:${udp.port}?transport=udp`, PARLEY_TURN_SECRET: TURN_SECRET, PARLEY_ICE_TRANSPORT_POLICY: 'relay' } : { PARLEY_WEBRTC: 'off' }),
  };
  const log: ServerLog = { speechEnds: [], pieces: [] };
  const speech = (agent: Parameters<typeof agentSpeech>[0], setting: Parameters<typeof agentSpeech>[2]) => {
    const s = agentSpeech(agent, env, setting);
    const vad = s.vad;
    return {
      stt: s.stt,
      tts: new ToneTts(log),
      vad: {
        push: (pcm: Int16Array) => {
          const events = vad.push(pcm);
          for (const e of events) if (e.type === 'speech-end') log.speechEnds.push(epoch());
          return events;
        },
        close: () => vad.close?.(),
      },
    };
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const app = await buildServer({ agentsDir: agentDir, store, mode: 'serve', env, speech });
  await app.listen({ port: 0, host: '127.0.0.1' });
  serverPort = (app.server.address() as AddressInfo).port;

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${wav}%noloop`, '--autoplay-policy=no-user-gesture-required', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    await page.addInitScript(PAGE_TAPS);
    if (transport === 'socket') await page.addInitScript(NO_WEBCODECS);
    let start = '';
    page.on('websocket', (ws) => ws.on('framesent', (f) => typeof f.payload === 'string' && f.payload.includes('"start"') && (start = f.payload)));
    if (process.env.DEBUG) page.on('console', (m) => console.log('page:', m.text()));
    await page.goto(`http://127.0.0.1:${hostPort}/`);
    const t0 = performance.now();
    await page.locator('parley-widget .bubble').click();
    await page.locator('parley-widget[data-transport]').waitFor({ state: 'attached', timeout: 30_000 });
    const got = await page.locator('parley-widget').getAttribute('data-transport');
    if (process.env.DEBUG) console.log('transport', got, 'after', Math.round(performance.now() - t0), 'ms; udp', JSON.stringify(udp.counted));
    // The `start` frame goes out right after the widget shows its transport; its report may lag.
    for (let i = 0; got === 'socket' && !start && i < 100; i++) await new Promise((r) => setTimeout(r, 50));
    const used = got === 'socket' && start.includes('"opus"') ? 'socket-opus' : got;
    if (used !== transport) throw new Error(`the widget used ${used}, not ${transport}`);
    const at0 = { ...tcp.counted, u: { ...udp.counted }, t: performance.now() };
    loop.enable();
    // Bytes each second, to see the rate while the agent speaks (not only the call's average).
    const perSecond: number[] = [];
    let lastDown = tcp.counted.down + udp.counted.down;
    const sampler = setInterval(() => {
      const d = tcp.counted.down + udp.counted.down;
      perSecond.push(((d - lastDown) * 8) / 1000);
      lastDown = d;
    }, 1000);
    // The conversation: greeting, two questions answered.
    // Three final agent lines: the greeting and two answers (an answer the caller talked over ends where it was cut).
    await page.locator('parley-widget .line.agent:not(.partial)').nth(ANSWERS.length).waitFor({ timeout: 120_000 });
    await page.locator('parley-widget[data-state="listening"]').waitFor({ state: 'attached', timeout: 30_000 });
    const seconds = (performance.now() - at0.t) / 1000;
    const up = tcp.counted.up - at0.up + (udp.counted.up - at0.u.up);
    const down = tcp.counted.down - at0.down + (udp.counted.down - at0.u.down);
    clearInterval(sampler);
    loop.disable();
    const taps = (await page.evaluate('window.taps')) as { mic: [number, number][]; agent: [number, number][] };
    const origin = (await page.evaluate('performance.timeOrigin')) as number;
    for (const blocks of [taps.mic, taps.agent]) for (const b of blocks) b[0] += origin;
    await page.locator('parley-widget .controls .end').click();
    // Agent speech: loud runs joined across gaps under 1.5 s (the caller's turn between them is longer).
    const speech = loudRuns(taps.agent, 1500);
    const gaps: number[] = [];
    for (const [s, e] of speech) {
      const inside = loudRuns(taps.agent.filter(([t]) => t >= s && t <= e), 0);
      for (let i = 1; i < inside.length; i++) gaps.push(inside[i]![0] - inside[i - 1]![1]);
    }
    // The caller's questions: loud runs of the microphone joined across word gaps under 0.7 s.
    const questions = loudRuns(taps.mic, 700);
    const v2v = questions.map(([, end]) => (speech.find(([s]) => s > end)?.[0] ?? NaN) - end).filter(Number.isFinite);
    // The transport's own share: the caller's last sound to the server's VAD hearing the end (uplink,
    // plus the VAD's fixed hangover), and the server's first audio of each utterance to the page playing it (downlink).
    const uplink = questions.map(([, end]) => (log.speechEnds.find((t) => t > end) ?? NaN) - end).filter((x) => Number.isFinite(x) && x < 3000);
    const downlink = speech.map(([s]) => s - (log.pieces.filter((p) => p <= s).at(-1) ?? NaN)).filter((x) => Number.isFinite(x) && x < 3000);
    return {
      transport,
      loss: imp.loss * 100,
      delay: imp.maxDelayMs ? `${imp.minDelayMs}-${imp.maxDelayMs}` : 'none',
      upKbps: +((up * 8) / seconds / 1000).toFixed(1),
      downKbps: +((down * 8) / seconds / 1000).toFixed(1),
      downPerSpeechKbps: +((down * 8) / speech.reduce((n, [s, e]) => n + e - s, 0)).toFixed(1),
      maxGapMs: Math.round(Math.max(0, ...gaps)),
      gapsOver100: gaps.filter((g) => g > 100).length,
      gapsOver20: gaps.filter((g) => g > 20).length,
      v2vMs: v2v.map(Math.round),
      uplinkMs: uplink.map(Math.round),
      downlinkMs: downlink.map(Math.round),
      peakDownKbps: Math.round(Math.max(0, ...perSecond)),
      loopDelayMaxMs: Math.round(loop.max / 1e6),
      loopDelayP99Ms: Math.round(loop.percentile(99) / 1e6),
      agentSpeechMs: Math.round(speech.reduce((n, [s, e]) => n + e - s, 0)),
    };
  } finally {
    await browser.close();
    await Promise.race([Promise.all([...app.parley.live].map((s) => s.done)), new Promise((r) => setTimeout(r, 5000))]);
    await app.close();
    await store.close();
    await llm.close();
    tcp.close();
    udp.close();
    host.close();
  }
}

const dir = join(tmpdir(), `parley-bench-transport-${process.pid}`);
mkdirSync(dir, { recursive: true });
// The caller: silence while the greeting plays, a question, silence for the answer, another.
const flite = new FliteTts();
const say = async (text: string) => {
  const chunks: Int16Array[] = [];
  for await (const c of flite.speak((async function* () { yield text; })(), { voice: { speed: 1 }, signal: AbortSignal.timeout(30_000) })) chunks.push(c);
  return concat(chunks);
};
const wav = join(dir, 'caller.wav');
writeFileSync(wav, encodeWav(concat([silence(14_000, 16000), await say(QUESTIONS[0]!), silence(20_000, 16000), await say(QUESTIONS[1]!), silence(20_000, 16000)]), { sampleRate: 16000 }));
const turn = await startCoturn(dir);
const uptime = execSync('uptime').toString().trim();
console.log(`machine: ${uptime}`);
const results: Result[] = [];
try {
  for (const transport of TRANSPORTS) {
    for (const imp of [{ loss: 0, minDelayMs: 0, maxDelayMs: 0 }, ...LOSSES.map((l) => ({ loss: l / 100, minDelayMs: MIN_DELAY, maxDelayMs: MAX_DELAY }))]) {
      const r = await run(transport, { ...imp, seed: 42 }, turn.port, wav, dir).catch((e: Error) => ({ transport, loss: imp.loss * 100, delay: `${imp.minDelayMs}-${imp.maxDelayMs}`, error: e.message.split('\n')[0] }) as unknown as Result);
      results.push(r);
      console.log(JSON.stringify(r));
    }
  }
} finally {
  turn.child.kill('SIGKILL');
}
console.log(`machine after: ${execSync('uptime').toString().trim()}`);
const baseline = (t: string) => results.find((r) => r.transport === t && r.delay === 'none');
console.log('\n| transport | loss | one-way delay | up kbit/s | down kbit/s (peak 1 s; per s of agent speech) | longest gap | gaps > 100 ms | uplink lag | downlink lag | transport added vs none | voice-to-voice | server loop delay p99 / max |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
for (const r of results) {
  if ('error' in r) {
    console.log(`| ${r.transport} | ${r.loss} % | ${r.delay} | failed: ${(r as unknown as { error: string }).error} |`);
    continue;
  }
  const base = baseline(r.transport);
  const lag = (x: Result) => mean(x.uplinkMs) + mean(x.downlinkMs);
  const added = base ? Math.round(lag(r) - lag(base)) : NaN;
  console.log(`| ${r.transport} | ${r.loss} % | ${r.delay} | ${r.upKbps} | ${r.downKbps} (${r.peakDownKbps}; ${r.downPerSpeechKbps}) | ${r.maxGapMs} ms | ${r.gapsOver100} | ${Math.round(mean(r.uplinkMs))} ms | ${Math.round(mean(r.downlinkMs))} ms | ${r.delay === 'none' ? '—' : `${added >= 0 ? '+' : ''}${added} ms`} | ${r.v2vMs.join(', ')} ms | ${r.loopDelayP99Ms} / ${r.loopDelayMaxMs} ms |`);
}
const out = arg('json', '');
if (out) writeFileSync(out, JSON.stringify({ machine: uptime, results }, null, 2));
process.exit(0);
