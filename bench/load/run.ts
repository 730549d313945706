// Load on one Parley server from a second process on loopback: N simultaneous widget voice
// conversations, each a real web socket streaming real speech (flite) as 20 ms PCM16 frames at
// real-time pace, against `parley serve` running the full voice loop — gated Silero VAD, the real
// Deepgram and ElevenLabs adapters talking to their protocol-faithful fakes, a fake OpenAI model.
// A few extra callers beyond the agent's maxConcurrent show refusals; then a flood of session
// requests from one address (FLOOD_RPS for FLOOD_S) while another address keeps asking.
// Reports: concurrency held, refusals by limit, voice-to-voice p50/p99 as the browser sees it
// (last speech frame sent → first agent audio frame received), the server's event-loop lag, CPU
// and RSS, and records lost (conversations whose record lacks a turn the browser saw; goal 0).
// Usage: node bench/load/run.ts [N=40] [TURNS=3]   env: EXTRA=5 FLOOD_RPS=1000 FLOOD_S=2
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { concat, silence, splitFrames } from '../../src/audio/frame.ts';
import { startFakeDeepgram, startFakeElevenLabs, startFakeOpenAI, type ChatRequest } from '../../test/fakes/index.ts';
import { ROOT, tempDir } from '../../test/helpers/cli.ts';
import { spoken } from '../../test/speech/spoken.ts';

const N = Number(process.argv[2] ?? 40);
const TURNS = Number(process.argv[3] ?? 3);
const EXTRA = Number(process.env.EXTRA ?? 5);
const FLOOD_RPS = Number(process.env.FLOOD_RPS ?? 1000);
const FLOOD_S = Number(process.env.FLOOD_S ?? 2);
const ORIGIN = 'https://bench.example.com';
const ADMIN = 'bench-admin-token';
const GREETING_WAIT_MS = 3000; // quiet audio while the greeting plays
const GAP_MS = 4000; // quiet audio after each question, while the answer plays
const now = () => performance.now();
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pct = (v: number[], q: number) => (v.length ? [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]! : NaN);

// ---- the caller's audio: quiet, then a question, then quiet while the answer plays, TURNS times
const question = (await spoken('How much does the automation audit cost?', { beforeMs: 0, afterMs: 0 })).pcm;
const questionMs = (question.length / 16000) * 1000;
const quiet = (ms: number) => {
  const pcm = silence(ms, 16000);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round((Math.random() * 2 - 1) * 30); // ≈ −63 dBFS
  return pcm;
};
const parts: Int16Array[] = [quiet(GREETING_WAIT_MS)];
const utterances: { text: string; endMs: number }[] = [];
for (let t = 0; t < TURNS; t++) {
  parts.push(question);
  utterances.push({ text: `How much does the automation audit cost? (${t + 1})`, endMs: GREETING_WAIT_MS + t * (questionMs + GAP_MS) + questionMs });
  parts.push(quiet(GAP_MS));
}
const frames = splitFrames(concat(parts), 16000);
const speechEndFrame = utterances.map((u) => Math.round(u.endMs / 20));

// ---- fakes and the server
const llm = await startFakeOpenAI();
llm.push(...Array.from({ length: (N + EXTRA) * TURNS * 2 }, () => (req: ChatRequest) => ({ text: `The audit is 2,400 euros, answer ${req.messages.filter((m) => m.role === 'user').length}.` })));
const deepgram = await startFakeDeepgram({ apiKey: 'dg', utterances });
const eleven = await startFakeElevenLabs({ apiKey: 'el', samplesPerChar: 1040 });
const dir = tempDir('parley-load-');
mkdirSync(join(dir, 'shop'));
writeFileSync(
  join(dir, 'shop', 'agent.yaml'),
  [
    'name: shop',
    'persona: { prompt: You answer questions about the shop., firstMessage: "Hi, this is the shop. How can I help?" }',
    'voice: { tts: "elevenlabs:eleven_flash_v2_5", voiceId: JBFqnCBsd6RMkjVDRZzb }',
    'listen: { stt: "deepgram:nova-3", turn: { minEndpointingDelayMs: 300, maxEndpointingDelayMs: 1500 } }',
    'knowledge: { sources: [], strict: false }',
    'channels: { web: { allowedOrigins: [bench.example.com] } }',
    `limits: { maxConcurrent: ${N}, conversationsPerIpPerHour: 20, dailyBudgetUsd: 100000, dailyMinutes: 100000 }`,
    '',
  ].join('\n'),
);
const env = {
  PATH: process.env.PATH,
  PARLEY_ADMIN_TOKEN: ADMIN,
  PARLEY_SESSION_SECRET: 'bench',
  PARLEY_TRUST_PROXY: 'true',
  PARLEY_MAX_SESSIONS: String(N + EXTRA + 50),
  PARLEY_DATABASE_URL: `file:${join(dir, 'parley.db')}`,
  PARLEY_RECORDINGS_DIR: join(dir, 'recordings'),
  PARLEY_LLM: 'openai-compatible:fake',
  PARLEY_LLM_BASE_URL: llm.url,
  DEEPGRAM_API_KEY: 'dg',
  DEEPGRAM_BASE_URL: deepgram.url,
  ELEVENLABS_API_KEY: 'el',
  ELEVENLABS_BASE_URL: eleven.url,
};
const server = spawn(join(ROOT, 'node_modules/.bin/node'), [join(ROOT, 'bin/parley.js'), 'serve', dir, '--port', '0', '--host', '127.0.0.1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
let serverErr = '';
server.stderr!.on('data', (d) => (serverErr += d));
let base = '';
for await (const line of createInterface({ input: server.stdout! })) {
  const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
  if (m) {
    base = m[1]!;
    break;
  }
}
if (!base) throw new Error(`server did not start: ${serverErr}`);
const admin = { authorization: `Bearer ${ADMIN}` };

/** CPU seconds and RSS of the server process, from /proc. */
function serverUsage(): { cpuS: number; rssMb: number } {
  const stat = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0);
  return { cpuS: ticks / 100, rssMb: rss / 1024 };
}
async function lagP99(): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^parley_event_loop_lag_seconds\{quantile="0.99"\} (\S+)$/m.exec(text)?.[1] ?? NaN) * 1000;
}

// ---- one widget caller
interface CallResult {
  admitted: boolean;
  refusal?: string;
  conversationId?: string;
  v2v: number[];
  agentTurnsSeen: number;
  error?: string;
}
async function call(i: number): Promise<CallResult> {
  const res = await fetch(`${base}/v1/agents/shop/sessions`, { method: 'POST', headers: { origin: ORIGIN, 'x-forwarded-for': `10.1.${i >> 8}.${i & 255}` } });
  if (res.status !== 200) return { admitted: false, refusal: ((await res.json()) as { code?: string }).code ?? String(res.status), v2v: [], agentTurnsSeen: 0 };
  const { url } = (await res.json()) as { url: string };
  const ws = new WebSocket(url, { origin: ORIGIN });
  const out: CallResult = { admitted: true, v2v: [], agentTurnsSeen: 0 };
  let receivedMs = 0;
  let sentFrames = 0;
  let waitingSince: number | null = null;
  let playedTimer: NodeJS.Timeout | undefined;
  let sender: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        receivedMs += ((data as Buffer).length / 2 / 16000) * 1000;
        if (waitingSince !== null) {
          out.v2v.push(now() - waitingSince);
          waitingSince = null;
        }
        return;
      }
      const e = JSON.parse(String(data)) as { type: string; conversationId?: string; final?: boolean; reason?: string };
      if (e.type === 'ready') {
        out.conversationId = e.conversationId;
        ws.send(JSON.stringify({ type: 'start', mode: 'voice' }));
        // The browser plays in real time and says so every 100 ms.
        const t0 = now();
        playedTimer = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ type: 'played', ms: Math.min(receivedMs, now() - t0) })), 100);
        const start = now();
        sender = setInterval(() => {
          const due = Math.min(frames.length, Math.floor((now() - start) / 20) + 1);
          for (; sentFrames < due && ws.readyState === WebSocket.OPEN; sentFrames++) {
            const f = frames[sentFrames]!;
            ws.send(new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
            if (speechEndFrame.includes(sentFrames + 1)) waitingSince = now();
          }
          if (sentFrames >= frames.length) {
            clearInterval(sender);
            ws.send(JSON.stringify({ type: 'end' }));
          }
        }, 20);
      } else if (e.type === 'agent_text' && e.final) out.agentTurnsSeen++;
      else if (e.type === 'error') out.error = String((e as { message?: string }).message);
    });
    ws.on('close', () => {
      clearInterval(playedTimer);
      clearInterval(sender);
      resolve();
    });
    ws.on('error', (err) => (out.error = err.message));
  });
  await done;
  return out;
}

// ---- run: N callers plus EXTRA beyond the limit, all at once
const usage0 = serverUsage();
const t0 = now();
let peakLive = 0;
let lagWorst = 0;
const sampler = setInterval(async () => {
  try {
    const live = (await (await fetch(`${base}/v1/admin/sessions`, { headers: admin })).json()) as { sessions?: unknown[] } | unknown[];
    peakLive = Math.max(peakLive, Array.isArray(live) ? live.length : (live.sessions?.length ?? 0));
    lagWorst = Math.max(lagWorst, await lagP99());
  } catch {}
}, 1000);
const results = await Promise.all(Array.from({ length: N + EXTRA }, (_, i) => sleep((i * 1000) / (N + EXTRA)).then(() => call(i))));
clearInterval(sampler);
const wallS = (now() - t0) / 1000;
const usage1 = serverUsage();

// ---- records: every admitted conversation must hold every agent turn its caller saw
let lost = 0;
for (const r of results.filter((x) => x.admitted && x.conversationId)) {
  const rec = (await (await fetch(`${base}/v1/admin/conversations/${r.conversationId}`, { headers: admin })).json()) as { turns?: { role: string }[] };
  const agentTurns = rec.turns?.filter((t) => t.role === 'agent').length ?? 0;
  if (agentTurns < r.agentTurnsSeen) lost++;
}

// ---- flood: FLOOD_RPS session requests a second from one address; another address keeps asking
let floodOk = 0;
let floodRefused = 0;
let otherOk = 0;
let otherTried = 0;
const floodStart = now();
const floods: Promise<void>[] = [];
for (let k = 0; k < FLOOD_RPS * FLOOD_S; k++) {
  const at = floodStart + (k * 1000) / FLOOD_RPS;
  floods.push(
    sleep(Math.max(0, at - now())).then(async () => {
      const r = await fetch(`${base}/v1/agents/shop/sessions`, { method: 'POST', headers: { origin: ORIGIN, 'x-forwarded-for': '203.0.113.66' } });
      await r.arrayBuffer();
      if (r.status === 200) floodOk++;
      else if (r.status === 429) floodRefused++;
    }),
  );
  if (k % Math.round(FLOOD_RPS / 5) === 0)
    floods.push(
      (async () => {
        otherTried++;
        const r = await fetch(`${base}/v1/agents/shop/sessions`, { method: 'POST', headers: { origin: ORIGIN, 'x-forwarded-for': '198.51.100.7' } });
        await r.arrayBuffer();
        if (r.status === 200) otherOk++;
      })(),
    );
}
await Promise.all(floods);
const floodWallS = (now() - floodStart) / 1000;

server.kill('SIGTERM');
await new Promise((r) => server.once('close', r));
await Promise.all([llm.close(), deepgram.close(), eleven.close()]);

const admitted = results.filter((r) => r.admitted);
const refusals: Record<string, number> = {};
for (const r of results.filter((x) => !x.admitted)) refusals[r.refusal!] = (refusals[r.refusal!] ?? 0) + 1;
const v2v = admitted.flatMap((r) => r.v2v);
const r1 = (x: number) => +x.toFixed(1);
const result = {
  sessions: { tried: N + EXTRA, admitted: admitted.length, peak_live: peakLive, refused: refusals, with_errors: admitted.filter((r) => r.error).length },
  // A turn is answered when the agent's audio came back after the question (its caption may still be streaming when the caller leaves).
  turns: { answered: v2v.length, expected: admitted.length * TURNS },
  voiceToVoice_ms: { p50: r1(pct(v2v, 0.5)), p99: r1(pct(v2v, 0.99)), samples: v2v.length, note: 'includes endpointing (300 ms), fake LLM, fake TTS first audio' },
  server: { cpu_cores: +((usage1.cpuS - usage0.cpuS) / wallS).toFixed(2), rss_mb_start: r1(usage0.rssMb), rss_mb_end: r1(usage1.rssMb), event_loop_lag_p99_worst_ms: r1(lagWorst) },
  records_lost: lost,
  flood: { requests: FLOOD_RPS * FLOOD_S, seconds: r1(floodWallS), admitted: floodOk, refused_429: floodRefused, other_address_admitted: `${otherOk}/${otherTried}` },
};
console.log(`sessions            ${admitted.length}/${N + EXTRA} admitted, peak ${peakLive} live, refused ${JSON.stringify(refusals)}`);
console.log(`turns answered      ${result.turns.answered}/${result.turns.expected}`);
console.log(`voice-to-voice      p50 ${result.voiceToVoice_ms.p50} ms, p99 ${result.voiceToVoice_ms.p99} ms (${v2v.length} turns; endpointing + fakes included)`);
console.log(`server              ${result.server.cpu_cores} cores, RSS ${result.server.rss_mb_start} → ${result.server.rss_mb_end} MB, event-loop lag p99 (worst second) ${result.server.event_loop_lag_p99_worst_ms} ms`);
console.log(`records lost        ${lost}`);
console.log(`flood               ${result.flood.requests} requests in ${result.flood.seconds} s from one address: ${floodOk} admitted, ${floodRefused} refused (429); another address: ${otherOk}/${otherTried} admitted`);
console.log(JSON.stringify(result));
