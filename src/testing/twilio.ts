// Protocol-faithful fakes of Twilio for tests, from Twilio's documented messages:
// - TwilioCallPeer plays Twilio's side of one call: it posts the voice webhook signed with
//   X-Twilio-Signature (HMAC-SHA1 over URL + sorted form params), reads the <Connect><Stream>
//   TwiML, opens the Media Stream and sends `connected`, `start` (with the <Parameter>s), caller
//   audio as 20 ms μ-law `media`, `dtmf` and `stop`. Agent audio it receives is "played" in real
//   time; each `mark` is echoed once the audio before it has played, and `clear` drops what is
//   queued and echoes the pending marks at once — as Twilio does.
// - startFakeTwilioApi (twilio-api.ts): the REST Calls resource — create, fetch, and update a live
//   call with new TwiML — acting on the calls it knows, with signed status, AMD and conference
//   callbacks; the callee of an outbound call is played by the test.
import { createHmac, randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { mulawDecode, mulawEncode } from '../audio/mulaw.ts';
import { Conditions } from './conditions.ts';

/** Twilio's signature for a webhook POST (same algorithm as src/guard/twilio-signature.ts, written from the docs). */
export function signTwilio(authToken: string, url: string, params: Record<string, string>): string {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
  return createHmac('sha1', authToken).update(data).digest('base64');
}

/** The <Stream> of a TwiML answer: its URL and <Parameter>s; null when the TwiML has none. */
export function parseStreamTwiml(twiml: string): { url: string; parameters: Record<string, string> } | null {
  const unxml = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const stream = /<Connect>\s*<Stream url="([^"]+)"[^>]*>([\s\S]*?)<\/Stream>\s*<\/Connect>/.exec(twiml);
  if (!stream) return null;
  const parameters: Record<string, string> = {};
  for (const m of stream[2]!.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\s*\/>/g)) parameters[unxml(m[1]!)] = unxml(m[2]!);
  return { url: unxml(stream[1]!), parameters };
}

export interface DialResult {
  status: number;
  twiml: string;
}

/** Twilio's side of one call. */
export class TwilioCallPeer {
  readonly callSid: string;
  /** The current Media Stream's id: each stream of the call (after new TwiML) has its own. */
  streamSid = `MZ${randomBytes(16).toString('hex')}`;
  /** Streams opened so far on this call. */
  streams = 0;
  readonly accountSid: string;
  /** Agent audio played to the caller so far (PCM16 8 kHz). */
  readonly heard: Int16Array[] = [];
  /** Agent audio received, played or not. */
  receivedFrames = 0;
  marksEchoed: string[] = [];
  /** Messages that named a stream other than the current one. */
  misaddressed = 0;
  clears = 0;
  closed: Promise<{ code: number; reason: string }> | undefined;
  #authToken: string;
  #ws: WebSocket | undefined;
  #queue: ({ pcm: Int16Array } | { mark: string })[] = [];
  #player: NodeJS.Timeout | undefined;
  #seq = 0;
  #conditions = new Conditions();

  /** `callSid`: the call this peer plays (default a new one); give another peer's to replay its call. */
  constructor(o: { accountSid: string; authToken: string; callSid?: string }) {
    this.callSid = o.callSid ?? `CA${randomBytes(16).toString('hex')}`;
    this.accountSid = o.accountSid;
    this.#authToken = o.authToken;
  }

  /** Posts the voice webhook as Twilio does; `signWith` forges the signature with another token. */
  async dial(url: string, params: Record<string, string>, o: { signWith?: string; unsigned?: boolean } = {}): Promise<DialResult> {
    const form = { AccountSid: this.accountSid, CallSid: this.callSid, CallStatus: 'ringing', ApiVersion: '2010-04-01', Direction: 'inbound', ...params };
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'TwilioProxy/1.1' };
    if (!o.unsigned) headers['x-twilio-signature'] = signTwilio(o.signWith ?? this.#authToken, url, form);
    const res = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(form) });
    return { status: res.status, twiml: await res.text() };
  }

  /** Opens the Media Stream the TwiML names and sends `connected` and `start` (`startAfterMs` later: a slow start). */
  async connect(twiml: string, o: { startAfterMs?: number } = {}): Promise<void> {
    const stream = parseStreamTwiml(twiml);
    if (!stream) throw new Error(`no <Connect><Stream> in ${twiml}`);
    if (this.streams++) this.streamSid = `MZ${randomBytes(16).toString('hex')}`;
    this.#queue = [];
    const ws = new WebSocket(stream.url);
    this.#ws = ws;
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        clearInterval(this.#player);
        resolve({ code, reason: reason.toString() });
      }),
    );
    ws.on('error', () => {});
    ws.on('message', (data) => this.#receive(String(data)));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    this.#json({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    if (o.startAfterMs) await new Promise((r) => setTimeout(r, o.startAfterMs));
    this.#json({
      event: 'start',
      sequenceNumber: String(++this.#seq),
      start: { accountSid: this.accountSid, streamSid: this.streamSid, callSid: this.callSid, tracks: ['inbound'], customParameters: stream.parameters, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } },
      streamSid: this.streamSid,
    });
    this.#player = setInterval(() => this.#play(), 20);
  }

  /** Sends caller audio (PCM16 8 kHz) as 20 ms μ-law media messages. */
  say(pcm: Int16Array): void {
    for (let i = 0; i < pcm.length; i += 160) {
      const chunk = pcm.subarray(i, i + 160);
      this.#json({ event: 'media', sequenceNumber: String(++this.#seq), media: { track: 'inbound', chunk: String(this.#seq), timestamp: String(this.#seq * 20), payload: Buffer.from(mulawEncode(chunk)).toString('base64') }, streamSid: this.streamSid });
    }
  }

  /** Sends any raw text frame (for fuzzing). */
  raw(data: string | Buffer): void {
    this.#ws?.send(data);
  }

  pressKey(digit: string): void {
    this.#json({ event: 'dtmf', streamSid: this.streamSid, sequenceNumber: String(++this.#seq), dtmf: { track: 'inbound_track', digit } });
  }

  /** The caller hangs up: `stop`, then the socket closes. */
  async hangUp(): Promise<void> {
    this.#json({ event: 'stop', sequenceNumber: String(++this.#seq), streamSid: this.streamSid, stop: { accountSid: this.accountSid, callSid: this.callSid } });
    clearInterval(this.#player);
    this.#ws?.close(1000);
    await this.closed;
  }

  /**
   * Twilio ends the stream because the call runs new TwiML (a REST update): `stop`, then the
   * socket closes; audio still queued is never played. The call itself goes on.
   */
  async stopStream(): Promise<void> {
    if (!this.#ws || this.#ws.readyState !== WebSocket.OPEN) return;
    this.#json({ event: 'stop', sequenceNumber: String(++this.#seq), streamSid: this.streamSid, stop: { accountSid: this.accountSid, callSid: this.callSid } });
    clearInterval(this.#player);
    this.#queue = [];
    this.#ws.close(1000);
    await this.closed;
  }

  /** Milliseconds of agent audio played to the caller. */
  get heardMs(): number {
    return this.heard.reduce((n, p) => n + p.length, 0) / 8;
  }

  /** Agent audio received and not yet played. */
  get queuedFrames(): number {
    return this.#queue.filter((q) => 'pcm' in q).length;
  }

  /** Resolves when `test` holds (checked after every message and played frame). */
  until(test: () => boolean, what = 'condition', timeoutMs = 10_000): Promise<void> {
    return this.#conditions.until(test, what, timeoutMs);
  }

  #json(m: unknown): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(m));
  }

  #receive(text: string): void {
    const m = JSON.parse(text) as { event: string; streamSid?: string; media?: { payload: string }; mark?: { name: string } };
    if (m.streamSid !== this.streamSid) {
      this.misaddressed++; // a message naming another stream: Twilio drops it
      return;
    }
    if (m.event === 'media') {
      this.receivedFrames++;
      this.#queue.push({ pcm: mulawDecode(Buffer.from(m.media!.payload, 'base64')) });
    } else if (m.event === 'mark') this.#queue.push({ mark: m.mark!.name });
    else if (m.event === 'clear') {
      this.clears++;
      // Twilio empties its buffer and returns the marks that were waiting in it.
      for (const q of this.#queue.splice(0)) if ('mark' in q) this.#echo(q.mark);
    }
    this.#notify();
  }

  /** Plays one 20 ms frame a tick, echoing marks as playback passes them. */
  #play(): void {
    while (this.#queue[0] && 'mark' in this.#queue[0]) this.#echo((this.#queue.shift() as { mark: string }).mark);
    const next = this.#queue.shift();
    if (next && 'pcm' in next) this.heard.push(next.pcm);
    while (this.#queue[0] && 'mark' in this.#queue[0]) this.#echo((this.#queue.shift() as { mark: string }).mark);
    this.#notify();
  }

  #echo(name: string): void {
    this.marksEchoed.push(name);
    this.#json({ event: 'mark', sequenceNumber: String(++this.#seq), streamSid: this.streamSid, mark: { name } });
  }

  #notify(): void {
    this.#conditions.changed();
  }
}

export { startFakeTwilioApi, type FakeCall, type FakeTwilioApi, type PersonAnswers } from './twilio-api.ts';
