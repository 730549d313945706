// A protocol-faithful fake of Deepgram Flux (wss://…/v2/listen?model=flux-general-en) for tests.
// It checks `Authorization: Token <key>`, the path and the query (model, encoding/sample_rate,
// eot_threshold 0.5–1.0, eager_eot_threshold 0.3–0.9 and not above eot_threshold, eot_timeout_ms
// 500–10000), answers `Connected`, counts linear16 audio, and plays each scripted turn by Flux's
// state machine (docs/flux/state): StartOfTurn → Update every 250 ms of audio → [EagerEndOfTurn
// → TurnResumed → Update…] → EagerEndOfTurn → EndOfTurn, with `turn_index` rising after each
// EndOfTurn, `sequence_id` on every message, and the EndOfTurn transcript equal to the eager one
// before it. EagerEndOfTurn is sent only when the client asked for it (eager_eot_threshold).
// `CloseStream` ends a turn in progress and closes with 1000.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** One turn the fake "hears", on the stream's audio clock (ms of audio received). */
export interface FakeFluxTurn {
  text: string;
  startMs: number;
  /** When Flux is sure the turn is over: EndOfTurn (preceded by EagerEndOfTurn in eager mode). */
  endMs: number;
  /** Eager mode: an early EagerEndOfTurn here, then TurnResumed at `resumeMs` and `more` words. */
  falseEndMs?: number;
  resumeMs?: number;
  more?: string;
}

/** One connection the fake accepted or refused. */
export interface FakeFluxConnection {
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  audioBytes: number;
  controls: string[];
  sent: Array<Record<string, unknown>>;
  closed: boolean;
}

/** A running fake Flux. */
export interface FakeFlux {
  /** http://127.0.0.1:PORT — pass as baseURL. */
  url: string;
  connections: FakeFluxConnection[];
  /** Sends a fatal `Error` message on every open stream, then closes them (1011). */
  failAll(code: string, description: string): void;
  close(): Promise<void>;
}

const UPDATE_MS = 250;

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeDeepgramFlux(o: { apiKey: string; turns?: FakeFluxTurn[] }): Promise<FakeFlux> {
  const connections: FakeFluxConnection[] = [];
  const sockets = new Set<{ ws: WebSocket; send: (m: Record<string, unknown>) => void }>();
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams);
    const conn: FakeFluxConnection = { path: url.pathname, query, headers: req.headers, audioBytes: 0, controls: [], sent: [], closed: false };
    connections.push(conn);
    const key = /^Token (.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    const problem = url.pathname !== '/v2/listen' ? [404, 'Not Found'] as const : key !== o.apiKey ? [401, 'Invalid credentials.'] as const : queryProblem(query);
    if (problem) return refuse(socket, problem[0], problem[1]);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const entry = serve(ws, conn, o.turns ?? []);
      sockets.add(entry);
      ws.on('close', () => sockets.delete(entry));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    failAll: (code, description) => {
      for (const s of sockets) {
        s.send({ type: 'Error', code, description });
        s.ws.close(1011, code);
      }
    },
    close: async () => {
      for (const s of sockets) s.ws.terminate();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function queryProblem(q: Record<string, string>): readonly [number, string] | undefined {
  const bad = (m: string) => [400, m] as const;
  if (!q.model) return bad('model is required');
  if (!/^flux-general-(en|multi)$/.test(q.model)) return bad(`model ${q.model} is not a Flux model`);
  if (q.encoding && q.encoding !== 'linear16') return bad(`encoding ${q.encoding} is not supported by this fake`);
  if (q.encoding && !q.sample_rate) return bad('sample_rate is required when encoding is set');
  if (q.sample_rate && !['8000', '16000', '24000', '44100', '48000'].includes(q.sample_rate)) return bad(`sample_rate ${q.sample_rate} is not supported`);
  const eot = q.eot_threshold === undefined ? 0.7 : Number(q.eot_threshold);
  if (!(eot >= 0.5 && eot <= 1)) return bad('eot_threshold must be between 0.5 and 1.0');
  if (q.eager_eot_threshold !== undefined) {
    const eager = Number(q.eager_eot_threshold);
    if (!(eager >= 0.3 && eager <= 0.9)) return bad('eager_eot_threshold must be between 0.3 and 0.9');
    if (eager > eot) return bad('eager_eot_threshold must not exceed eot_threshold');
  }
  if (q.eot_timeout_ms !== undefined && !(Number(q.eot_timeout_ms) >= 500 && Number(q.eot_timeout_ms) <= 10_000)) return bad('eot_timeout_ms must be between 500 and 10000');
  return undefined;
}

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ err_code: status === 401 ? 'INVALID_AUTH' : 'Bad Request', err_msg: message, request_id: randomUUID() });
  socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Bad Request'}\r\ncontent-type: application/json\r\ndg-error: ${message}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

type Step = { atMs: number; event: 'StartOfTurn' | 'Update' | 'EagerEndOfTurn' | 'TurnResumed' | 'EndOfTurn'; transcript: string };

/** A turn as Flux would report it, event by event, on the audio clock. */
function steps(t: FakeFluxTurn, eager: boolean): Step[] {
  const first = t.text.split(/\s+/).filter(Boolean);
  const all = t.more ? [...first, ...t.more.split(/\s+/).filter(Boolean)] : first;
  const resumes = eager && t.falseEndMs !== undefined && t.resumeMs !== undefined;
  const firstEnd = resumes ? t.falseEndMs! : t.endMs;
  const upTo = (ms: number) => {
    // Words come in proportion to the audio heard, the first part before the false end, the rest after the resume.
    if (ms >= t.endMs) return all;
    if (!resumes || ms < t.resumeMs!) return first.slice(0, Math.max(1, Math.ceil((first.length * (ms - t.startMs)) / Math.max(1, firstEnd - t.startMs))));
    return all.slice(0, first.length + Math.max(1, Math.ceil(((all.length - first.length) * (ms - t.resumeMs!)) / Math.max(1, t.endMs - t.resumeMs!))));
  };
  const out: Step[] = [{ atMs: t.startMs, event: 'StartOfTurn', transcript: upTo(t.startMs).join(' ') }];
  for (let at = t.startMs + UPDATE_MS; at < t.endMs; at += UPDATE_MS) {
    if (resumes && at >= t.falseEndMs! && at < t.resumeMs!) continue; // nothing new while paused
    out.push({ atMs: at, event: 'Update', transcript: upTo(at).join(' ') });
  }
  if (resumes) {
    out.push({ atMs: t.falseEndMs!, event: 'EagerEndOfTurn', transcript: first.join(' ') });
    out.push({ atMs: t.resumeMs!, event: 'TurnResumed', transcript: first.join(' ') });
  }
  if (eager) out.push({ atMs: t.endMs, event: 'EagerEndOfTurn', transcript: all.join(' ') });
  out.push({ atMs: t.endMs, event: 'EndOfTurn', transcript: all.join(' ') });
  return out.sort((a, b) => a.atMs - b.atMs);
}

function serve(ws: WebSocket, conn: FakeFluxConnection, script: FakeFluxTurn[]) {
  const requestId = randomUUID();
  const rate = Number(conn.query.sample_rate ?? 16000);
  const bytesPerMs = (rate * 2) / 1000;
  const eager = conn.query.eager_eot_threshold !== undefined;
  let seq = 0;
  let turnIndex = 0;
  /** The turn under way (StartOfTurn sent, EndOfTurn not yet) and the last transcript sent for it. */
  let open: { turn: number; transcript: string } | null = null;
  const queue = script.flatMap((t, i) => steps(t, eager).map((s) => ({ ...s, turn: i, words: s.transcript.split(/\s+/).filter(Boolean) })));
  const send = (msg: Record<string, unknown>) => {
    const m = { ...msg, sequence_id: seq++ };
    conn.sent.push(m);
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const turnInfo = (s: (typeof queue)[number], heardMs: number) => {
    send({
      type: 'TurnInfo',
      request_id: requestId,
      event: s.event,
      turn_index: turnIndex,
      audio_window_start: Number((script[s.turn]!.startMs / 1000).toFixed(3)),
      audio_window_end: Number((heardMs / 1000).toFixed(3)),
      transcript: s.transcript,
      words: s.words.map((word) => ({ word, confidence: 0.97 })),
      end_of_turn_confidence: s.event === 'EndOfTurn' ? 0.92 : s.event === 'EagerEndOfTurn' ? 0.6 : 0.05,
    });
    open = s.event === 'EndOfTurn' ? null : { turn: s.turn, transcript: s.transcript };
    if (s.event === 'EndOfTurn') turnIndex++;
  };
  send({ type: 'Connected', request_id: requestId });
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      conn.audioBytes += (data as Buffer).length;
      const heardMs = conn.audioBytes / bytesPerMs;
      while (queue.length && queue[0]!.atMs <= heardMs) turnInfo(queue.shift()!, heardMs);
      return;
    }
    const text = data.toString();
    conn.controls.push(text);
    let type: string | undefined;
    try {
      type = (JSON.parse(text) as { type?: string }).type;
    } catch {
      return ws.close(1008, 'DATA-0000');
    }
    if (type === 'CloseStream') {
      // The turn under way ends on what was heard.
      if (open) {
        const { turn, transcript } = open;
        turnInfo({ atMs: conn.audioBytes / bytesPerMs, event: 'EndOfTurn', transcript, turn, words: transcript.split(/\s+/).filter(Boolean) }, conn.audioBytes / bytesPerMs);
      }
      conn.closed = true;
      ws.close(1000);
    }
  });
  ws.on('close', () => void (conn.closed = true));
  return { ws, send };
}
