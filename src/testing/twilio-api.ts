// A protocol-faithful fake of Twilio's REST Calls resource (API 2010-04-01), for tests — one fake
// for every way Parley uses it:
// - POST /Accounts/{Sid}/Calls.json creates a call (To, From, Url or Twiml, Timeout, MachineDetection,
//   AsyncAmd and its callback, StatusCallback with StatusCallbackEvent sent once per value) — basic
//   auth, form-encoded, 201 with the call as JSON, Twilio's error bodies ({code, message, status}).
// - POST /Accounts/{Sid}/Calls/{CallSid}.json updates a live call: `Twiml` or `Url` replaces what
//   it runs (a Media Stream gets `stop` and closes), `Status=canceled|completed` ends it.
// - GET /Accounts/{Sid}/Calls/{CallSid}.json fetches it (status, answered_by).
// The fake runs the TwiML it is given on the calls it knows (`attach` a TwilioCallPeer for an
// inbound caller's call): <Say>, <Play digits>, <Dial><Number>, <Dial><Conference> (waitUrl, start
// on enter, statusCallback with participant-join/leave, conference-start/end), <Connect><Stream>
// <Pause> (where it stays: the fake keeps no clock) and <Hangup/>. A call created with TwiML rings a person whose answer the test decides
// (`answering`: a transfer); a call created with a Url is Parley's own outbound call, whose callee
// the test plays (`answer`, `detect`, `end`: a campaign). Callbacks are signed with
// X-Twilio-Signature like Twilio's.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signTwilio, TwilioCallPeer } from './twilio.ts';
import { Conditions } from './conditions.ts';

type CallStatus = 'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

/** One call the fake holds: created through the API, or an inbound caller's call it was given. */
export interface FakeCall {
  sid: string;
  /** The basic-auth header the create came with (undefined for an attached inbound call). */
  auth: string | undefined;
  /** The form fields it was created with. */
  params: Record<string, string>;
  /** StatusCallbackEvent values (a list parameter: one form field per value). */
  events: string[];
  status: CallStatus;
  answeredBy: string | null;
  /** Updates received, in order: new TwiML, a new Url, or a status (hang-up). */
  updates: { twiml?: string; url?: string; status?: string }[];
}

/** What a person does when the fake rings them: answer, or not; may wait (a promise) so a test can look at the hold first. */
export type PersonAnswers = (to: string) => 'answer' | 'no-answer' | 'busy' | 'failed' | Promise<'answer' | 'no-answer' | 'busy' | 'failed'>;

export interface FakeTwilioApi {
  url: string;
  /** Calls created (POST Calls.json), in order. */
  calls: FakeCall[];
  /** Calls created for `to`, oldest first. */
  callsTo(to: string): FakeCall[];
  /** Updates of live calls (POST Calls/{Sid}.json), in order. */
  updates: { callSid: string; params: Record<string, string> }[];
  /** Keys played on a call with <Play digits>. */
  digits: { callSid: string; digits: string }[];
  /** Lines Twilio said on a call with <Say> (to the caller, or to a person it called). */
  said: { callSid: string; to: string; text: string }[];
  /** Numbers a call was connected to with <Dial><Number> (a cold transfer). */
  dialled: { callSid: string; number: string; callerId: string }[];
  /** Who the caller is talking to once a conference started: the person's number, by the caller's CallSid. */
  connected: Map<string, string>;
  /** Conference rooms: who holds there (with the waitUrl they hear) and whether it has started. */
  rooms: Map<string, { holding: string[]; waitUrl?: string; started: boolean }>;
  /** Callbacks posted, with the status the fake's own server answered. */
  callbacks: { url: string; form: Record<string, string>; status: number }[];
  answering: PersonAnswers;
  /** The next create is refused with this HTTP status (and Twilio error `code`), or the connection is dropped. */
  failNextCreate(f: { status: number; code?: number; message?: string } | 'drop'): void;
  /** The callee of an outbound call answers: the signed voice webhook is posted; returns the TwiML and a peer to open the stream with. */
  answer(sid: string): Promise<{ status: number; twiml: string; peer: TwilioCallPeer }>;
  /** Twilio's asynchronous answering-machine callback for an outbound call. */
  detect(sid: string, answeredBy: string, durationMs?: number): Promise<number>;
  /** An outbound call ends with a final status; Twilio's status callback is posted. */
  end(sid: string, status: 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled', o?: { durationSec?: number }): Promise<number>;
  /** The caller hangs up while Twilio runs TwiML on the call (no stream open): they leave their conference. */
  hangUp(callSid: string): Promise<void>;
  /** Lets the API act on a live call it did not create (an inbound caller). */
  attach(peer: TwilioCallPeer, number: string): void;
  /** Resolves when `test` holds, checked after every request and callback. */
  until(test: () => boolean, what?: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A call and what the fake keeps beside it while it runs. */
interface Line {
  call: FakeCall;
  peer?: TwilioCallPeer;
  room?: { name: string; statusCallback?: string };
  /** Settles a ringing person: their answer, or a cancel. */
  ring?: (what: 'answer' | 'no-answer' | 'busy' | 'failed' | 'canceled') => void;
}

const unxml = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unxml(m[1]!) : undefined;
};
const isLive = (c: FakeCall) => c.status === 'queued' || c.status === 'ringing' || c.status === 'in-progress';

/** Twilio's REST Calls resource on a loopback port: checks basic auth against the account; acts on the calls it knows. */
export async function startFakeTwilioApi(o: { accountSid: string; authToken: string }): Promise<FakeTwilioApi> {
  const live = new Map<string, Line>();
  const conditions = new Conditions();
  const notify = () => conditions.changed();
  let failNext: Parameters<FakeTwilioApi['failNextCreate']>[0] | undefined;
  const prefix = `/2010-04-01/Accounts/${o.accountSid}/Calls`;
  const line = (sid: string) => {
    const l = live.get(sid);
    if (!l) throw new Error(`the fake has no call ${sid}`);
    return l;
  };
  const view = (c: FakeCall) => ({ sid: c.sid, account_sid: o.accountSid, to: c.params.To, from: c.params.From, status: c.status, answered_by: c.answeredBy, direction: 'outbound-api', api_version: '2010-04-01', uri: `${prefix}/${c.sid}.json` });

  const api: FakeTwilioApi = {
    url: '',
    calls: [],
    callsTo: (to) => api.calls.filter((c) => c.params.To === to),
    updates: [],
    digits: [],
    said: [],
    dialled: [],
    connected: new Map(),
    rooms: new Map(),
    callbacks: [],
    answering: () => 'answer',
    failNextCreate: (f) => void (failNext = f),
    async answer(sid) {
      const l = line(sid);
      l.call.status = 'in-progress';
      l.peer = new TwilioCallPeer({ accountSid: o.accountSid, authToken: o.authToken, callSid: sid });
      const r = await l.peer.dial(l.call.params.Url!, { ...common(l.call), CallStatus: 'in-progress' });
      return { ...r, peer: l.peer };
    },
    async detect(sid, answeredBy, durationMs = 3000) {
      const c = line(sid).call;
      c.answeredBy = answeredBy;
      if (!c.params.AsyncAmdStatusCallback) throw new Error(`call ${sid} was placed without AsyncAmdStatusCallback`);
      return signedPost(c.params.AsyncAmdStatusCallback, { AccountSid: o.accountSid, CallSid: sid, AnsweredBy: answeredBy, MachineDetectionDuration: String(durationMs) });
    },
    async end(sid, status, e = {}) {
      const c = line(sid).call;
      c.status = status;
      if (!c.params.StatusCallback) return 0;
      return signedPost(c.params.StatusCallback, {
        ...common(c),
        CallStatus: status,
        CallbackSource: 'call-progress-events',
        SequenceNumber: '0',
        Timestamp: new Date().toUTCString(),
        ...(status === 'completed' ? { CallDuration: String(e.durationSec ?? 30), Duration: String(Math.ceil((e.durationSec ?? 30) / 60)) } : {}),
        ...(c.answeredBy ? { AnsweredBy: c.answeredBy } : {}),
      });
    },
    attach(peer, number) {
      const call: FakeCall = { sid: peer.callSid, auth: undefined, params: { To: number, From: '' }, events: [], status: 'in-progress', answeredBy: null, updates: [] };
      live.set(peer.callSid, { call, peer });
    },
    async hangUp(callSid) {
      const l = line(callSid);
      l.call.status = 'completed';
      await leaveRoom(l);
      notify();
    },
    until: (test, what, timeoutMs) => conditions.until(test, what, timeoutMs),
    close: () => new Promise((r) => server.close(() => r())),
  };

  const common = (c: FakeCall) => ({ AccountSid: o.accountSid, CallSid: c.sid, From: c.params.From!, To: c.params.To!, Direction: 'outbound-api', ApiVersion: '2010-04-01' });
  /** Posts a signed callback as Twilio does; answers the receiver's status (0 when it could not be reached). */
  const signedPost = async (url: string, form: Record<string, string>): Promise<number> => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilio(o.authToken, url, form), 'user-agent': 'TwilioProxy/1.1' }, body: new URLSearchParams(form) }).catch(() => null);
    api.callbacks.push({ url, form, status: res?.status ?? 0 });
    await res?.arrayBuffer();
    notify();
    return res?.status ?? 0;
  };
  const post = async (url: string | undefined, form: Record<string, string>) => {
    if (url) await signedPost(url, { AccountSid: o.accountSid, ApiVersion: '2010-04-01', ...form });
  };
  /** A call's progress, posted when its StatusCallbackEvent list asks for it (`completed` always). */
  const progress = async ({ call }: Line, event: 'initiated' | 'ringing' | 'answered' | 'completed') => {
    if (!call.params.StatusCallback || (event !== 'completed' && !call.events.includes(event))) return;
    await post(call.params.StatusCallback, { CallSid: call.sid, CallStatus: call.status, From: call.params.From!, To: call.params.To!, Direction: 'outbound-api', CallbackSource: 'call-progress-events', StatusCallbackEvent: event });
  };
  const conferenceEvent = async (room: { name: string; statusCallback?: string }, event: string, callSid?: string) => {
    await post(room.statusCallback, { ConferenceSid: `CF${room.name.length.toString(16).padStart(32, '0')}`, FriendlyName: room.name, StatusCallbackEvent: event, ...(callSid ? { CallSid: callSid } : {}) });
  };

  /** The call leaves the conference it holds in (new TwiML, or it ended). */
  const leaveRoom = async (l: Line) => {
    const r = l.room;
    if (!r) return;
    l.room = undefined;
    const room = api.rooms.get(r.name);
    if (room) room.holding = room.holding.filter((s) => s !== l.call.sid);
    await conferenceEvent(r, 'participant-leave', l.call.sid);
  };

  /** Runs TwiML on a call, verb by verb, as far as this fake knows them. */
  const run = async (l: Line, twiml: string) => {
    const { call } = l;
    for (const m of twiml.matchAll(/<Pause[^>]*\/>|<Say[^>]*>([\s\S]*?)<\/Say>|<Play([^>]*)\/>|<Dial([^>]*)>\s*<Number>([^<]*)<\/Number>\s*<\/Dial>|<Dial[^>]*>\s*<Conference([^>]*)>([^<]*)<\/Conference>\s*<\/Dial>|<Connect>[\s\S]*?<\/Connect>|<Hangup\/>/g)) {
      // The fake keeps no clock: a call pausing stays there until new TwiML replaces what it runs.
      if (m[0].startsWith('<Pause')) return;
      if (m[1] !== undefined) api.said.push({ callSid: call.sid, to: call.params.To!, text: unxml(m[1]) });
      else if (m[2] !== undefined) {
        const digits = attr(m[2], 'digits');
        if (digits) api.digits.push({ callSid: call.sid, digits });
      } else if (m[4] !== undefined) {
        api.dialled.push({ callSid: call.sid, number: unxml(m[4]), callerId: attr(m[3]!, 'callerId') ?? '' });
        api.connected.set(call.sid, unxml(m[4]));
      } else if (m[6] !== undefined) {
        const name = unxml(m[6]);
        const room = api.rooms.get(name) ?? { holding: [], started: false };
        api.rooms.set(name, room);
        l.room = { name, statusCallback: attr(m[5]!, 'statusCallback') };
        if (attr(m[5]!, 'startConferenceOnEnter') === 'false' && !room.started) {
          room.holding.push(call.sid);
          room.waitUrl = attr(m[5]!, 'waitUrl');
          await conferenceEvent(l.room, 'participant-join', call.sid);
        } else {
          room.started = true;
          // The conference starts: whoever held there is now talking to this call.
          for (const held of room.holding) {
            api.connected.set(held, call.params.To!);
            const heldLine = live.get(held);
            if (heldLine?.room) await conferenceEvent(heldLine.room, 'conference-start');
          }
          room.holding = [];
        }
      } else if (m[0].startsWith('<Connect')) await l.peer?.connect(twiml);
      else if (m[0] === '<Hangup/>') {
        call.status = 'completed';
        await l.peer?.hangUp();
      }
      notify();
    }
  };

  const ringPerson = async (l: Line, twiml: string) => {
    const { call } = l;
    await progress(l, 'initiated');
    call.status = 'ringing';
    await progress(l, 'ringing');
    const cancelled = new Promise<'canceled'>((r) => (l.ring = () => r('canceled')));
    const answer = Promise.resolve(api.answering(call.params.To!));
    notify(); // the phone rings now: a test may look at the hold
    const what = await Promise.race([answer, cancelled]);
    l.ring = undefined;
    if (what === 'answer') {
      call.status = 'in-progress';
      await progress(l, 'answered');
      await run(l, twiml);
      return;
    }
    call.status = what;
    await progress(l, 'completed');
  };

  const create = (form: URLSearchParams, auth: string | undefined, send: (status: number, json: unknown) => void, drop: () => void) => {
    const params = Object.fromEntries(form);
    const f = failNext;
    failNext = undefined;
    if (f === 'drop') return drop();
    if (f) return send(f.status, { code: f.code ?? 20500, message: f.message ?? 'Internal Server Error', status: f.status });
    if (!params.To) return send(400, { code: 21201, message: "No 'To' number is specified", status: 400 });
    if (!params.From) return send(400, { code: 21213, message: "No 'From' number is specified", status: 400 });
    if (!params.Url && !params.Twiml) return send(400, { code: 21205, message: 'Url parameter is required', status: 400 });
    if (params.MachineDetection && !['Enable', 'DetectMessageEnd'].includes(params.MachineDetection)) return send(400, { code: 21207, message: 'MachineDetection must be Enable or DetectMessageEnd', status: 400 });
    if (params.AsyncAmd && !['true', 'false'].includes(params.AsyncAmd)) return send(400, { code: 21207, message: 'AsyncAmd must be true or false', status: 400 });
    const call: FakeCall = { sid: `CA${randomBytes(16).toString('hex')}`, auth, params, events: form.getAll('StatusCallbackEvent').flatMap((e) => e.split(' ')), status: 'queued', answeredBy: null, updates: [] };
    const l: Line = { call };
    api.calls.push(call);
    live.set(call.sid, l);
    send(201, view(call));
    // A call with TwiML of its own rings a person (a transfer); one with a Url is Parley's own outbound call.
    if (params.Twiml) void ringPerson(l, params.Twiml);
  };

  const update = (l: Line, params: Record<string, string>, send: (status: number, json: unknown) => void) => {
    const { call } = l;
    if (!isLive(call)) return send(400, { code: 21220, message: 'Call is not in-progress. Cannot redirect.', status: 400 });
    if (params.Status) {
      if (!['completed', 'canceled'].includes(params.Status)) return send(400, { code: 21218, message: 'Invalid Status', status: 400 });
      call.updates.push({ status: params.Status });
      if (l.ring) l.ring('canceled');
      else call.status = params.Status === 'canceled' && call.status !== 'in-progress' ? 'canceled' : 'completed';
      return send(200, view(call));
    }
    if (!params.Twiml && !params.Url) return send(400, { code: 21218, message: 'Url, Twiml or Status is required', status: 400 });
    call.updates.push(params.Twiml ? { twiml: params.Twiml } : { url: params.Url });
    send(200, view(call));
    // New TwiML replaces what the call runs: its stream stops, it leaves its conference.
    void (async () => {
      await l.peer?.stopStream();
      await leaveRoom(l);
      if (params.Twiml) await run(l, params.Twiml);
    })();
  };

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        notify();
      };
      const notFound = () => send(404, { code: 20404, message: `The requested resource ${req.url} was not found`, status: 404 });
      const path = (req.url ?? '').split('?')[0]!;
      const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls(?:\/([^/]+))?\.json$/.exec(path);
      if (!m) return notFound();
      if (req.headers.authorization !== `Basic ${Buffer.from(`${o.accountSid}:${o.authToken}`).toString('base64')}` || m[1] !== o.accountSid) {
        return send(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
      }
      const form = new URLSearchParams(body);
      if (!m[2]) return req.method === 'POST' ? create(form, req.headers.authorization, send, () => req.socket.destroy()) : notFound();
      const l = live.get(m[2]);
      if (req.method === 'POST') api.updates.push({ callSid: m[2], params: Object.fromEntries(form) });
      if (!l) return notFound();
      if (req.method === 'GET') return send(200, view(l.call));
      if (req.method !== 'POST') return notFound();
      update(l, Object.fromEntries(form), send);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}
