// A protocol-faithful fake of Deepgram's live transcription socket (wss://…/v1/listen) for tests:
// it checks the `Authorization: Token <key>` header (or the browser `token` subprotocol) and the
// query, counts the linear16 audio it receives, and when enough audio has arrived emits the
// scripted words the way Deepgram does — interim `Results`, then `is_final` + `speech_final`,
// then `UtteranceEnd`. `KeepAlive` is accepted silently; `CloseStream` flushes pending words,
// sends `Metadata` and closes with 1000. Refusals carry Deepgram's `dg-error` header.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** Words the fake "hears" once `endMs` of audio has arrived (counted from the stream start). */
export interface FakeDeepgramUtterance {
  text: string;
  /** Audio time (ms) at which the speaker stops; the final result is sent then. */
  endMs: number;
  /** Audio time (ms) at which an interim result with the first half of the words is sent; default endMs/2. */
  interimMs?: number;
  confidence?: number;
}

/** One connection the fake accepted or refused. */
export interface FakeDeepgramConnection {
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** How the client authenticated. */
  auth: 'header' | 'subprotocol' | 'none';
  audioBytes: number;
  /** JSON control messages received (KeepAlive, CloseStream, Finalize). */
  controls: string[];
  /** Messages sent to the client, parsed. */
  sent: Array<Record<string, unknown>>;
  closed: boolean;
}

/** Options for startFakeDeepgram. */
export interface FakeDeepgramOptions {
  apiKey: string;
  /** Words per stream, in order; each new connection gets the script again. */
  utterances?: FakeDeepgramUtterance[];
}

/** A running fake Deepgram. */
export interface FakeDeepgram {
  /** http://127.0.0.1:PORT — pass as baseURL (the client derives ws://). */
  url: string;
  connections: FakeDeepgramConnection[];
  /** Refuses the next handshake with this status (401, 429, …). */
  refuseNext(status: number): void;
  /** Closes open streams as Deepgram does on a server-side error, e.g. 1011 NET-0001. */
  dropAll(code: number, reason: string): void;
  close(): Promise<void>;
}

const REFUSALS: Record<number, { code: string; message: string }> = {
  400: { code: 'Bad Request', message: 'Bad Request: failed to process audio: corrupt or unsupported data' },
  401: { code: 'INVALID_AUTH', message: 'Invalid credentials.' },
  402: { code: 'ASR_PAYMENT_REQUIRED', message: 'Project does not have enough credits for an ASR request.' },
  429: { code: 'TOO_MANY_REQUESTS', message: 'Too many requests. Please try again later' },
};

/** Starts the fake on 127.0.0.1 with an ephemeral port. */
export async function startFakeDeepgram(o: FakeDeepgramOptions): Promise<FakeDeepgram> {
  const connections: FakeDeepgramConnection[] = [];
  const sockets = new Set<WebSocket>();
  let refuse: number | undefined;
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({
    noServer: true,
    // Deepgram selects the `token` subprotocol when the key came that way.
    handleProtocols: (protocols) => (protocols.has('token') ? 'token' : false),
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams);
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const auth: FakeDeepgramConnection['auth'] = req.headers.authorization ? 'header' : protocols[0] === 'token' ? 'subprotocol' : 'none';
    const key = auth === 'header' ? /^Token (.+)$/i.exec(String(req.headers.authorization))?.[1] : auth === 'subprotocol' ? protocols[1] : undefined;
    const conn: FakeDeepgramConnection = { path: url.pathname, query, headers: req.headers, auth, audioBytes: 0, controls: [], sent: [], closed: false };
    connections.push(conn);

    const status = refuse ?? (url.pathname !== '/v1/listen' ? 404 : key !== o.apiKey ? 401 : queryProblem(query) ? 400 : 0);
    refuse = undefined;
    if (status) return refuseHandshake(socket, status, status === 400 ? queryProblem(query) : undefined);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      serve(ws, conn, Number(query.sample_rate), o.utterances ?? [], query);
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
    refuseNext: (s) => void (refuse = s),
    dropAll: (code, reason) => {
      for (const ws of sockets) ws.close(code, reason);
    },
    close: async () => {
      for (const ws of sockets) ws.terminate();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function queryProblem(q: Record<string, string>): string | undefined {
  if (!q.model) return 'model is required';
  if (q.encoding && q.encoding !== 'linear16') return `encoding ${q.encoding} is not supported by this fake`;
  if (q.encoding && !q.sample_rate) return 'sample_rate is required when encoding is set';
  if (q.utterance_end_ms && q.interim_results !== 'true') return 'utterance_end_ms requires interim_results=true';
  return undefined;
}

function refuseHandshake(socket: Duplex, status: number, detail?: string): void {
  const r = REFUSALS[status] ?? { code: 'ERROR', message: 'Request refused' };
  const body = JSON.stringify({ err_code: r.code, err_msg: detail ?? r.message, request_id: randomUUID() });
  socket.end(
    `HTTP/1.1 ${status} ${r.code}\r\ncontent-type: application/json\r\ndg-request-id: ${randomUUID()}\r\n` +
      `dg-error: ${detail ?? r.message}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** Plays the script against the audio as it arrives. */
function serve(ws: WebSocket, conn: FakeDeepgramConnection, sampleRate: number, script: FakeDeepgramUtterance[], query: Record<string, string>): void {
  const requestId = randomUUID();
  const bytesPerMs = (sampleRate * 2) / 1000;
  const pending = script.map((u) => ({ ...u, interimSent: false, finalSent: false }));
  let lastEnd = 0; // seconds: where the previous final result ended
  const send = (msg: Record<string, unknown>) => {
    conn.sent.push(msg);
    ws.send(JSON.stringify(msg));
  };
  const results = (text: string, isFinal: boolean, speechFinal: boolean, atSec: number, confidence = 0.98, fromFinalize = false) => {
    send({
      type: 'Results',
      channel_index: [0, 1],
      duration: Number((atSec - lastEnd).toFixed(3)),
      start: Number(lastEnd.toFixed(3)),
      is_final: isFinal,
      speech_final: speechFinal,
      channel: { alternatives: [{ transcript: text, confidence, words: wordsOf(text, lastEnd, atSec, confidence) }] },
      metadata: { request_id: requestId, model_info: { name: query.model, version: 'fake', arch: 'fake' }, model_uuid: randomUUID() },
      ...(fromFinalize ? { from_finalize: true } : {}),
    });
    if (isFinal) lastEnd = atSec;
  };
  const finalize = (u: (typeof pending)[number], atSec: number, fromFinalize = false) => {
    u.finalSent = true;
    results(u.text, true, !fromFinalize, atSec, u.confidence, fromFinalize);
    if (query.utterance_end_ms) send({ type: 'UtteranceEnd', channel: [0, 1], last_word_end: Number(atSec.toFixed(3)) });
  };

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      conn.audioBytes += (data as Buffer).length;
      const heardMs = conn.audioBytes / bytesPerMs;
      for (const u of pending) {
        if (u.finalSent) continue;
        if (!u.interimSent && heardMs >= (u.interimMs ?? u.endMs / 2)) {
          u.interimSent = true;
          const words = u.text.split(/\s+/);
          results(words.slice(0, Math.max(1, Math.ceil(words.length / 2))).join(' '), false, false, heardMs / 1000, u.confidence);
        }
        if (heardMs >= u.endMs) finalize(u, u.endMs / 1000);
      }
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
    const heardSec = conn.audioBytes / bytesPerMs / 1000;
    // Deepgram finishes whatever it has partly heard: the words whose interim went out.
    const flush = () => {
      for (const u of pending) if (u.interimSent && !u.finalSent) finalize(u, heardSec, true);
    };
    if (type === 'KeepAlive') return;
    if (type === 'Finalize') return flush();
    if (type === 'CloseStream') {
      flush();
      send({ type: 'Metadata', transaction_key: 'deprecated', request_id: requestId, sha256: 'fake', created: new Date().toISOString(), duration: Number(heardSec.toFixed(3)), channels: 1 });
      conn.closed = true;
      return ws.close(1000);
    }
  });
  ws.on('close', () => void (conn.closed = true));
}

function wordsOf(text: string, start: number, end: number, confidence: number) {
  const words = text.split(/\s+/).filter(Boolean);
  const step = words.length ? (end - start) / words.length : 0;
  return words.map((w, i) => ({
    word: w.toLowerCase().replace(/[^\p{L}\p{N}']/gu, ''),
    start: Number((start + i * step).toFixed(3)),
    end: Number((start + (i + 1) * step).toFixed(3)),
    confidence,
    punctuated_word: w,
  }));
}
