// A protocol-faithful fake of Twilio's Calls resource for outbound calls, from Twilio's docs:
// - POST /2010-04-01/Accounts/{Sid}/Calls.json creates a call (201, status `queued`), keeping every
//   form field: To, From, Url, MachineDetection, AsyncAmd, AsyncAmdStatusCallback, StatusCallback…
// - POST …/Calls/{CallSid}.json updates a live call with `Twiml`, `Url` or `Status=completed|canceled`.
// - GET …/Calls/{CallSid}.json fetches it (status, answered_by).
// The test plays the callee: `answer` posts the voice webhook (signed X-Twilio-Signature, as
// Twilio does) and returns a TwilioCallPeer ready to open the Media Stream; `detect` posts the
// asynchronous answering-machine callback (CallSid, AccountSid, AnsweredBy,
// MachineDetectionDuration); `end` posts the status callback with the final CallStatus.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signTwilio, TwilioCallPeer } from './twilio.ts';
import { Conditions } from './conditions.ts';

/** One call the fake holds. */
export interface FakeCall {
  sid: string;
  /** The form fields it was created with. */
  params: Record<string, string>;
  /** Repeated fields (StatusCallbackEvent) in full. */
  statusCallbackEvents: string[];
  status: 'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';
  answeredBy: string | null;
  /** Updates received, in order: new TwiML, a new Url, or a status (hang-up). */
  updates: { twiml?: string; url?: string; status?: string }[];
}

export interface FakeTwilioCalls {
  url: string;
  calls: FakeCall[];
  /** Calls created for `to`, oldest first. */
  callsTo(to: string): FakeCall[];
  /** The next create is refused with this HTTP status (and Twilio error `code`), or the connection is dropped. */
  failNextCreate(f: { status: number; code?: number; message?: string } | 'drop'): void;
  /** The callee answers: the signed voice webhook is posted; returns the TwiML and a peer to open the stream with. */
  answer(sid: string): Promise<{ status: number; twiml: string; peer: TwilioCallPeer }>;
  /** Twilio's answering-machine callback. */
  detect(sid: string, answeredBy: string, durationMs?: number): Promise<number>;
  /** The call ends with a final status; Twilio's status callback is posted. */
  end(sid: string, status: 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled', o?: { durationSec?: number }): Promise<number>;
  /** Resolves when `test` holds, checked after every request the fake answers. */
  until(test: () => boolean, what?: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the fake on a loopback port; requests must carry basic auth for the account. */
export async function startFakeTwilioCalls(o: { accountSid: string; authToken: string }): Promise<FakeTwilioCalls> {
  const calls: FakeCall[] = [];
  const conditions = new Conditions();
  let failNext: Parameters<FakeTwilioCalls['failNextCreate']>[0] | undefined;
  const prefix = `/2010-04-01/Accounts/${o.accountSid}/Calls`;
  const view = (c: FakeCall) => ({ sid: c.sid, account_sid: o.accountSid, to: c.params.To, from: c.params.From, status: c.status, answered_by: c.answeredBy, direction: 'outbound-api', api_version: '2010-04-01', uri: `${prefix}/${c.sid}.json` });

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        conditions.changed();
      };
      const notFound = () => send(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      const path = (req.url ?? '').split('?')[0]!;
      if (!path.startsWith('/2010-04-01/Accounts/')) return notFound();
      if (req.headers.authorization !== `Basic ${Buffer.from(`${o.accountSid}:${o.authToken}`).toString('base64')}` || !path.startsWith(prefix)) {
        return send(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
      }
      const form = new URLSearchParams(body);
      const params = Object.fromEntries(form);
      if (path === `${prefix}.json` && req.method === 'POST') {
        const f = failNext;
        failNext = undefined;
        if (f === 'drop') return req.socket.destroy();
        if (f) return send(f.status, { code: f.code ?? 20500, message: f.message ?? 'Internal Server Error', status: f.status });
        if (!params.To) return send(400, { code: 21201, message: 'No \'To\' number is specified', status: 400 });
        if (!params.From) return send(400, { code: 21213, message: 'No \'From\' number is specified', status: 400 });
        if (!params.Url && !params.Twiml) return send(400, { code: 21205, message: 'Url parameter is required', status: 400 });
        if (params.MachineDetection && !['Enable', 'DetectMessageEnd'].includes(params.MachineDetection)) return send(400, { code: 21207, message: `MachineDetection must be Enable or DetectMessageEnd`, status: 400 });
        if (params.AsyncAmd && !['true', 'false'].includes(params.AsyncAmd)) return send(400, { code: 21207, message: 'AsyncAmd must be true or false', status: 400 });
        const call: FakeCall = { sid: `CA${randomBytes(16).toString('hex')}`, params, statusCallbackEvents: form.getAll('StatusCallbackEvent'), status: 'queued', answeredBy: null, updates: [] };
        calls.push(call);
        return send(201, view(call));
      }
      const m = new RegExp(`^${prefix}/(CA[0-9a-f]{32})\\.json$`).exec(path);
      const call = m && calls.find((c) => c.sid === m[1]);
      if (!call) return notFound();
      if (req.method === 'GET') return send(200, view(call));
      if (req.method !== 'POST') return notFound();
      const live = call.status === 'queued' || call.status === 'ringing' || call.status === 'in-progress';
      if (!live) return send(400, { code: 21220, message: 'Call is not in-progress. Cannot redirect.', status: 400 });
      if (params.Status) {
        if (!['completed', 'canceled'].includes(params.Status)) return send(400, { code: 21218, message: 'Invalid Status', status: 400 });
        call.updates.push({ status: params.Status });
        call.status = params.Status === 'canceled' && call.status !== 'in-progress' ? 'canceled' : 'completed';
      } else if (params.Twiml) call.updates.push({ twiml: params.Twiml });
      else if (params.Url) call.updates.push({ url: params.Url });
      else return send(400, { code: 21205, message: 'Url, Twiml or Status is required', status: 400 });
      return send(200, view(call));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));

  const byId = (sid: string) => {
    const c = calls.find((k) => k.sid === sid);
    if (!c) throw new Error(`the fake has no call ${sid}`);
    return c;
  };
  const post = async (url: string, form: Record<string, string>) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilio(o.authToken, url, form), 'user-agent': 'TwilioProxy/1.1' }, body: new URLSearchParams(form) });
    await res.arrayBuffer();
    return res.status;
  };
  const common = (c: FakeCall) => ({ AccountSid: o.accountSid, CallSid: c.sid, From: c.params.From!, To: c.params.To!, Direction: 'outbound-api', ApiVersion: '2010-04-01' });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    callsTo: (to) => calls.filter((c) => c.params.To === to),
    failNextCreate: (f) => void (failNext = f),
    async answer(sid) {
      const c = byId(sid);
      c.status = 'in-progress';
      const peer = new TwilioCallPeer({ accountSid: o.accountSid, authToken: o.authToken, callSid: sid });
      const r = await peer.dial(c.params.Url!, { ...common(c), CallStatus: 'in-progress' });
      return { ...r, peer };
    },
    async detect(sid, answeredBy, durationMs = 3000) {
      const c = byId(sid);
      c.answeredBy = answeredBy;
      if (!c.params.AsyncAmdStatusCallback) throw new Error(`call ${sid} was placed without AsyncAmdStatusCallback`);
      return post(c.params.AsyncAmdStatusCallback, { AccountSid: o.accountSid, CallSid: sid, AnsweredBy: answeredBy, MachineDetectionDuration: String(durationMs) });
    },
    async end(sid, status, e = {}) {
      const c = byId(sid);
      c.status = status;
      if (!c.params.StatusCallback) return 0;
      return post(c.params.StatusCallback, {
        ...common(c),
        CallStatus: status,
        CallbackSource: 'call-progress-events',
        SequenceNumber: '0',
        Timestamp: new Date().toUTCString(),
        ...(status === 'completed' ? { CallDuration: String(e.durationSec ?? 30), Duration: String(Math.ceil((e.durationSec ?? 30) / 60)) } : {}),
        ...(c.answeredBy ? { AnsweredBy: c.answeredBy } : {}),
      });
    },
    until: (test, what, timeoutMs) => conditions.until(test, what, timeoutMs),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
