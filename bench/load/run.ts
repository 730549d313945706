// Load on one Parley server from a second process on loopback: N simultaneous widget voice
// conversations, each a real web socket streaming real speech (flite) as 20 ms PCM16 frames at
// real-time pace, against `parley serve` running the full voice loop — gated Silero VAD, the real
// Deepgram and ElevenLabs adapters talking to their protocol-faithful fakes, a fake OpenAI model.
// A few extra callers beyond the agent's maxConcurrent show refusals; then a flood of session
// requests from one address (FLOOD_RPS for FLOOD_S) while another address keeps asking.
// Reports: concurrency held, refusals by limit, voice-to-voice p50/p99 as the browser sees it
// (last speech frame sent → first agent audio frame received), the server's event-loop lag, CPU
// and RSS, and records lost (conversations whose record lacks a turn the browser saw; goal 0).
// NODES=3 runs several `parley serve` nodes on one PostgreSQL schema and one Redis prefix (as
// behind a load balancer): callers and flood requests go round-robin over the nodes, maxConcurrent
// and the per-caller limit are the cluster's, and every record is read back through node 0.
// Usage: node bench/load/run.ts [N=40] [TURNS=3]   env: EXTRA=5 FLOOD_RPS=1000 FLOOD_S=2 NODES=1
//        (NODES>1: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test BENCH_REDIS_URL=redis://127.0.0.1:6379)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import WebSocket from 'ws';
import { openStore } from '../../src/store/store.ts';
import { concat, silence, splitFrames } from '../../src/audio/frame.ts';
import { startFakeDeepgram, startFakeElevenLabs, startFakeOpenAI, type ChatRequest } from '../../src/testing/index.ts';
import { ROOT, tempDir } from '../../test/helpers/cli.ts';
import { spoken } from '../../test/speech/spoken.ts';

const N = Number(process.argv[2] ?? 40);
const TURNS = Number(process.argv[3] ?? 3);
const EXTRA = Number(process.env.EXTRA ?? 5);
const FLOOD_RPS = Number(process.env.FLOOD_RPS ?? 1000);
const FLOOD_S = Number(process.env.FLOOD_S ?? 2);
const NODES = Math.max(1, Number(process.env.NODES ?? 1));
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
  PARLEY_REDIS_URL: undefined as string | undefined,
  PARLEY_REDIS_PREFIX: `parley-bench-${randomBytes(4).toString('hex')}:`,
  PARLEY_RECORDINGS_DIR: join(dir, 'recordings'),
  PARLEY_LLM: 'openai-compatible:fake',
  PARLEY_LLM_BASE_URL: llm.url,
  DEEPGRAM_API_KEY: 'dg',
  DEEPGRAM_BASE_URL: deepgram.url,
  ELEVENLABS_API_KEY: 'el',
  ELEVENLABS_BASE_URL: eleven.url,
};
if (NODES > 1) {
  // Several nodes share one store and one Redis: a fresh Postgres schema for this run.
  const db = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  db.searchParams.set('schema', `bench_${randomBytes(4).toString('hex')}`);
  env.PARLEY_DATABASE_URL = db.toString();
  env.PARLEY_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
}
async function startNode(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(join(ROOT, 'node_modules/.bin/node'), [join(ROOT, 'bin/parley.js'), 'serve', dir, '--port', '0', '--host', '127.0.0.1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  for await (const line of createInterface({ input: child.stdout! })) {
    const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
    if (m) {
      child.stdout!.resume();
      return { child, base: m[1]! };
    }
  }
  throw new Error(`server did not start: ${err}`);
}
// The first node migrates the store; the others start on it together.
const servers = [await startNode()];
servers.push(...(await Promise.all(Array.from({ length: NODES - 1 }, startNode))));
const base = servers[0]!.base;
const nodeFor = (i: number) => servers[i % servers.length]!.base;
const admin = { authorization: `Bearer ${ADMIN}` };

/** CPU seconds and RSS of the server processes (summed over nodes), from /proc. */
function serverUsage(): { cpuS: number; rssMb: number } {
  let cpuS = 0;
  let rssMb = 0;
  for (const { child } of servers) {
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    cpuS += (Number(stat[11]) + Number(stat[12])) / 100;
    rssMb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  }
  return { cpuS, rssMb };
}
/** The worst node's event-loop lag p99. */
async function lagP99(): Promise<number> {
  let worst = 0;
  for (const s of servers) {
    const text = await (await fetch(`${s.base}/metrics`, { headers: admin })).text(); // the admin token reads /metrics even when PARLEY_METRICS_TOKEN is set
    worst = Math.max(worst, Number(/^parley_event_loop_lag_seconds\{quantile="0.99"\} (\S+)$/m.exec(text)?.[1] ?? NaN) * 1000);
  }
  return worst;
}

// ---- one widget caller
interface CallResult {
  admitted: boolean;
  /** How long the session request took (admission: seats, budget, per-caller window, token). */
  issueMs: number;
  refusal?: string;
  conversationId?: string;
  v2v: number[];
  agentTurnsSeen: number;
  error?: string;
}
async function call(i: number): Promise<CallResult> {
  const asked = now();
  const res = await fetch(`${nodeFor(i)}/v1/agents/shop/sessions`, { method: 'POST', headers: { origin: ORIGIN, 'x-forwarded-for': `10.1.${i >> 8}.${i & 255}` } });
  const body = (await res.json()) as { url?: string; code?: string };
  const issueMs = now() - asked;
  if (res.status !== 200) return { admitted: false, issueMs, refusal: body.code ?? String(res.status), v2v: [], agentTurnsSeen: 0 };
  const ws = new WebSocket(body.url!, { origin: ORIGIN });
  const out: CallResult = { admitted: true, issueMs, v2v: [], agentTurnsSeen: 0 };
  let receivedMs = 0;
  let sentFrames = 0;
  let waitingSince: number | null = null;
  let agentSpokeLast = false;
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
      const e = JSON.parse(String(data)) as { type: string; conversationId?: string; final?: boolean; reason?: string; role?: string };
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
      } else if (e.type === 'agent_text' && e.final) {
        // A turn cut back by an interruption sends a second final (the heard part) for the same
        // turn: only the first final after the caller spoke starts a new agent turn.
        if (!agentSpokeLast) out.agentTurnsSeen++;
        agentSpokeLast = true;
      } else if (e.type === 'transcript' && e.role === 'caller' && e.final) agentSpokeLast = false;
      else if (e.type === 'error') out.error = String((e as { message?: string }).message);
    });
    ws.on('close', (code, reason) => {
      // Closed before `ready`: refused at the socket (the seat went to a token redeemed first).
      if (!out.conversationId) Object.assign(out, { admitted: false, refusal: `${/conversations already/.test(String(reason)) ? 'agent-busy' : 'closed'} at socket (${code})` });
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
    // With Redis every node lists the whole cluster's sessions: ask one.
    const live = (await (await fetch(`${base}/v1/admin/sessions`, { headers: admin })).json()) as { sessions?: unknown[] };
    peakLive = Math.max(peakLive, live.sessions?.length ?? 0);
    lagWorst = Math.max(lagWorst, await lagP99());
  } catch {}
}, 1000);
const results = await Promise.all(Array.from({ length: N + EXTRA }, (_, i) => sleep((i * 1000) / (N + EXTRA)).then(() => call(i))));
clearInterval(sampler);
const wallS = (now() - t0) / 1000;
const usage1 = serverUsage();

// ---- records: every admitted conversation must hold every agent turn its caller saw
let lost = 0;
// (read through node 0 whichever node ran it, once the node has written its end: up to 10 s after the caller left)
for (const r of results.filter((x) => x.admitted && x.conversationId)) {
  const until = now() + 10_000;
  let rec: { endedAt?: string | null; turns?: { role: string }[] };
  do rec = (await (await fetch(`${base}/v1/admin/conversations/${r.conversationId}`, { headers: admin })).json()) as typeof rec;
  while (!rec.endedAt && now() < until && (await sleep(50), true));
  const agentTurns = rec.turns?.filter((t) => t.role === 'agent').length ?? 0;
  if (agentTurns < r.agentTurnsSeen) {
    lost++;
    console.error(`lost: ${r.conversationId} saw ${r.agentTurnsSeen} agent turns, record has ${agentTurns}, ended ${rec.endedAt ?? 'no'}`);
  }
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
      const r = await fetch(`${nodeFor(k)}/v1/agents/shop/sessions`, { method: 'POST', headers: { origin: ORIGIN, 'x-forwarded-for': '203.0.113.66' } });
      await r.arrayBuffer();
      if (r.status === 200) floodOk++;
      else if (r.status === 429) floodRefused++;
    }),
  );
  if (k % Math.round(FLOOD_RPS / 5) === 0)
    floods.push(
      (async () => {
        otherTried++;
        const r = await fetch(`${nodeFor(k + 1)}/v1/agents/shop/sessions`, { method: 'POST', headers: { origin: ORIGIN, 'x-forwarded-for': '198.51.100.7' } });
        await r.arrayBuffer();
        if (r.status === 200) otherOk++;
      })(),
    );
}
await Promise.all(floods);
const floodWallS = (now() - floodStart) / 1000;

for (const { child } of servers) child.kill('SIGTERM');
await Promise.all(servers.map(({ child }) => new Promise((r) => child.once('close', r))));
if (NODES > 1) {
  const store = await openStore(env.PARLEY_DATABASE_URL, { migrate: false });
  await sql`DROP SCHEMA ${sql.id(new URL(env.PARLEY_DATABASE_URL).searchParams.get('schema')!)} CASCADE`.execute(store.db);
  await store.close();
  const redis = new Redis(env.PARLEY_REDIS_URL!);
  const keys = await redis.keys(`${env.PARLEY_REDIS_PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}
await Promise.all([llm.close(), deepgram.close(), eleven.close()]);

const admitted = results.filter((r) => r.admitted);
const refusals: Record<string, number> = {};
for (const r of results.filter((x) => !x.admitted)) refusals[r.refusal!] = (refusals[r.refusal!] ?? 0) + 1;
const v2v = admitted.flatMap((r) => r.v2v);
const r1 = (x: number) => +x.toFixed(1);
const result = {
  nodes: NODES,
  store: NODES > 1 ? 'postgres + redis' : 'sqlite',
  sessions: { tried: N + EXTRA, admitted: admitted.length, peak_live: peakLive, refused: refusals, with_errors: admitted.filter((r) => r.error).length },
  // A turn is answered when the agent's audio came back after the question (its caption may still be streaming when the caller leaves).
  turns: { answered: v2v.length, expected: admitted.length * TURNS },
  sessionRequest_ms: { p50: r1(pct(results.map((r) => r.issueMs), 0.5)), p99: r1(pct(results.map((r) => r.issueMs), 0.99)) },
  voiceToVoice_ms: { p50: r1(pct(v2v, 0.5)), p99: r1(pct(v2v, 0.99)), samples: v2v.length, note: 'includes endpointing (300 ms), fake LLM, fake TTS first audio' },
  server: { cpu_cores: +((usage1.cpuS - usage0.cpuS) / wallS).toFixed(2), rss_mb_start: r1(usage0.rssMb), rss_mb_end: r1(usage1.rssMb), event_loop_lag_p99_worst_ms: r1(lagWorst) },
  records_lost: lost,
  flood: { requests: FLOOD_RPS * FLOOD_S, seconds: r1(floodWallS), admitted: floodOk, refused_429: floodRefused, other_address_admitted: `${otherOk}/${otherTried}` },
};
console.log(`nodes               ${NODES} (${result.store})`);
console.log(`sessions            ${admitted.length}/${N + EXTRA} admitted, peak ${peakLive} live, refused ${JSON.stringify(refusals)}`);
console.log(`turns answered      ${result.turns.answered}/${result.turns.expected}`);
console.log(`session request     p50 ${result.sessionRequest_ms.p50} ms, p99 ${result.sessionRequest_ms.p99} ms (admission and token, while the others talk)`);
console.log(`voice-to-voice      p50 ${result.voiceToVoice_ms.p50} ms, p99 ${result.voiceToVoice_ms.p99} ms (${v2v.length} turns; endpointing + fakes included)`);
console.log(`server              ${result.server.cpu_cores} cores, RSS ${result.server.rss_mb_start} → ${result.server.rss_mb_end} MB, event-loop lag p99 (worst second) ${result.server.event_loop_lag_p99_worst_ms} ms`);
console.log(`records lost        ${lost}`);
console.log(`flood               ${result.flood.requests} requests in ${result.flood.seconds} s from one address: ${floodOk} admitted, ${floodRefused} refused (429); another address: ${otherOk}/${otherTried} admitted`);
console.log(JSON.stringify(result));
