// A protocol-faithful fake of Twilio's REST Calls resource (API 2010-04-01), for tests:
// - POST /Accounts/{Sid}/Calls.json creates a call (To, From, Url or Twiml, Timeout,
//   StatusCallback with StatusCallbackEvent sent once per value) — basic auth, form-encoded, 201
//   with the call as JSON, Twilio's error bodies ({code, message, more_info, status}).
// - POST /Accounts/{Sid}/Calls/{CallSid}.json updates a live call: `Twiml` replaces what it runs
//   (a Media Stream gets `stop` and closes), `Status=canceled|completed` ends it.
// The fake runs the TwiML it is given on the calls it knows (`attach` a TwilioCallPeer for the
// caller's call): <Say>, <Play digits>, <Dial><Number>, <Dial><Conference> (waitUrl, start on
// enter, statusCallback with participant-join/leave, conference-start/end) and <Connect><Stream>.
// A call it places rings a person whose answer the test decides (`answering`); their call's
// progress is posted to StatusCallback, signed with X-Twilio-Signature like Twilio's.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signTwilio, type TwilioCallPeer } from './twilio.ts';
import { Conditions } from './conditions.ts';

/** A request the fake Calls API received. */
export interface FakeCallRequest {
  accountSid: string;
  auth: string | undefined;
  params: Record<string, string>;
  /** StatusCallbackEvent values (a list parameter: one form field per value). */
  events: string[];
}

/** What a person does when the fake rings them: answer, or not; may wait (a promise) so a test can look at the hold first. */
export type PersonAnswers = (to: string) => 'answer' | 'no-answer' | 'busy' | 'failed' | Promise<'answer' | 'no-answer' | 'busy' | 'failed'>;

export interface FakeTwilioApi {
  url: string;
  /** Calls created (POST Calls.json), in order. */
  calls: FakeCallRequest[];
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
  /** The caller hangs up while Twilio runs TwiML on the call (no stream open): they leave their conference. */
  hangUp(callSid: string): Promise<void>;
  /** Lets the API act on a live call it did not create (an inbound caller). */
  attach(peer: TwilioCallPeer, number: string): void;
  /** Resolves when `test` holds, checked after every request and callback. */
  until(test: () => boolean, what?: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface LiveCall {
  sid: string;
  to: string;
  from: string;
  status: 'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';
  peer?: TwilioCallPeer;
  statusCallback?: string;
  events: string[];
  room?: { name: string; statusCallback?: string };
  /** Settles a ringing person: their answer, or a cancel. */
  ring?: (what: 'answer' | 'no-answer' | 'busy' | 'failed' | 'canceled') => void;
}

const unxml = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unxml(m[1]!) : undefined;
};

/** Twilio's REST Calls resource: checks basic auth against the account; acts on the calls it knows. */
export async function startFakeTwilioApi(o: { accountSid: string; authToken: string }): Promise<FakeTwilioApi> {
  const live = new Map<string, LiveCall>();
  const conditions = new Conditions();
  const notify = () => conditions.changed();
  const api: FakeTwilioApi = {
    url: '',
    calls: [],
    updates: [],
    digits: [],
    said: [],
    dialled: [],
    connected: new Map(),
    rooms: new Map(),
    callbacks: [],
    answering: () => 'answer',
    attach(peer, number) {
      live.set(peer.callSid, { sid: peer.callSid, to: number, from: '', status: 'in-progress', peer, events: [] });
    },
    async hangUp(callSid) {
      const call = live.get(callSid);
      if (!call) throw new Error(`no call ${callSid}`);
      call.status = 'completed';
      await leaveRoom(call);
      notify();
    },
    until: (test, what, timeoutMs) => conditions.until(test, what, timeoutMs),
    close: () => new Promise((r) => server.close(() => r())),
  };

  const post = async (url: string | undefined, form: Record<string, string>) => {
    if (!url) return;
    const full = { AccountSid: o.accountSid, ApiVersion: '2010-04-01', ...form };
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilio(o.authToken, url, full), 'user-agent': 'TwilioProxy/1.1' }, body: new URLSearchParams(full) }).catch(() => null);
    api.callbacks.push({ url, form: full, status: res?.status ?? 0 });
    await res?.text();
    notify();
  };
  /** A call's progress, posted when its StatusCallbackEvent list asks for it (`completed` always). */
  const progress = async (call: LiveCall, event: 'initiated' | 'ringing' | 'answered' | 'completed') => {
    if (!call.statusCallback || (event !== 'completed' && !call.events.includes(event))) return;
    await post(call.statusCallback, { CallSid: call.sid, CallStatus: call.status, From: call.from, To: call.to, Direction: 'outbound-api', CallbackSource: 'call-progress-events', StatusCallbackEvent: event === 'answered' ? 'answered' : event });
  };
  const conferenceEvent = async (room: { name: string; statusCallback?: string }, event: string, callSid?: string) => {
    await post(room.statusCallback, { ConferenceSid: `CF${room.name.length.toString(16).padStart(32, '0')}`, FriendlyName: room.name, StatusCallbackEvent: event, ...(callSid ? { CallSid: callSid } : {}) });
  };

  /** The call leaves the conference it holds in (new TwiML, or it ended). */
  const leaveRoom = async (call: LiveCall) => {
    const r = call.room;
    if (!r) return;
    call.room = undefined;
    const room = api.rooms.get(r.name);
    if (room) room.holding = room.holding.filter((s) => s !== call.sid);
    await conferenceEvent(r, 'participant-leave', call.sid);
  };

  /** Runs TwiML on a call, verb by verb, as far as this fake knows them. */
  const run = async (call: LiveCall, twiml: string) => {
    for (const m of twiml.matchAll(/<Say[^>]*>([\s\S]*?)<\/Say>|<Play([^>]*)\/>|<Dial([^>]*)>\s*<Number>([^<]*)<\/Number>\s*<\/Dial>|<Dial[^>]*>\s*<Conference([^>]*)>([^<]*)<\/Conference>\s*<\/Dial>|<Connect>[\s\S]*?<\/Connect>|<Hangup\/>/g)) {
      if (m[1] !== undefined) api.said.push({ callSid: call.sid, to: call.to, text: unxml(m[1]) });
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
        call.room = { name, statusCallback: attr(m[5]!, 'statusCallback') };
        if (attr(m[5]!, 'startConferenceOnEnter') === 'false' && !room.started) {
          room.holding.push(call.sid);
          room.waitUrl = attr(m[5]!, 'waitUrl');
          await conferenceEvent(call.room, 'participant-join', call.sid);
        } else {
          room.started = true;
          // The conference starts: whoever held there is now talking to this call.
          for (const held of room.holding) {
            api.connected.set(held, call.to);
            const heldCall = live.get(held);
            if (heldCall?.room) await conferenceEvent(heldCall.room, 'conference-start');
          }
          room.holding = [];
        }
      } else if (m[0].startsWith('<Connect')) await call.peer?.connect(twiml);
      else if (m[0] === '<Hangup/>') await call.peer?.hangUp();
      notify();
    }
  };

  const ringPerson = async (call: LiveCall, twiml: string) => {
    call.status = 'queued';
    await progress(call, 'initiated');
    call.status = 'ringing';
    await progress(call, 'ringing');
    const cancelled = new Promise<'canceled'>((r) => (call.ring = () => r('canceled')));
    const answer = Promise.resolve(api.answering(call.to));
    notify(); // the phone rings now: a test may look at the hold
    const what = await Promise.race([answer, cancelled]);
    call.ring = undefined;
    if (what === 'answer') {
      call.status = 'in-progress';
      await progress(call, 'answered');
      await run(call, twiml);
      return;
    }
    call.status = what;
    await progress(call, 'completed');
  };

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        notify();
      };
      const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Calls(?:\/([^/]+))?\.json$/.exec(req.url ?? '');
      if (!m || req.method !== 'POST') return send(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      const expected = `Basic ${Buffer.from(`${o.accountSid}:${o.authToken}`).toString('base64')}`;
      if (req.headers.authorization !== expected || m[1] !== o.accountSid) return send(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
      const form = new URLSearchParams(body);
      const params = Object.fromEntries(form);
      if (m[2]) {
        api.updates.push({ callSid: m[2], params });
        const call = live.get(m[2]);
        if (!call) return send(404, { code: 20404, message: `The requested resource /2010-04-01/Accounts/${o.accountSid}/Calls/${m[2]}.json was not found`, status: 404 });
        if (params.Status === 'canceled' || params.Status === 'completed') {
          if (call.status === 'queued' || call.status === 'ringing') call.ring?.('canceled');
          else if (call.status === 'in-progress') call.status = 'completed';
          else return send(400, { code: 21220, message: 'Call is not in-progress. Cannot redirect.', status: 400 });
          return send(200, { sid: call.sid, status: call.status });
        }
        if (call.status !== 'in-progress') return send(400, { code: 21220, message: 'Call is not in-progress. Cannot redirect.', status: 400 });
        if (!params.Twiml && !params.Url) return send(400, { code: 21218, message: 'Invalid ApplicationSid / Url / Twiml', status: 400 });
        send(200, { sid: call.sid, status: call.status, to: call.to });
        // New TwiML replaces what the call runs: its stream stops, it leaves its conference.
        void (async () => {
          await call.peer?.stopStream();
          await leaveRoom(call);
          if (params.Twiml) await run(call, params.Twiml);
        })();
        return;
      }
      api.calls.push({ accountSid: m[1]!, auth: req.headers.authorization, params, events: form.getAll('StatusCallbackEvent') });
      if (!params.To || !params.From || !(params.Url || params.Twiml)) return send(400, { code: 21201, message: 'No called number is specified', status: 400 });
      const sid = `CA${randomBytes(16).toString('hex')}`;
      const call: LiveCall = { sid, to: params.To, from: params.From, status: 'queued', statusCallback: params.StatusCallback, events: form.getAll('StatusCallbackEvent').flatMap((e) => e.split(' ')) };
      live.set(sid, call);
      send(201, { sid, account_sid: o.accountSid, to: params.To, from: params.From, status: 'queued', direction: 'outbound-api', api_version: '2010-04-01', uri: `/2010-04-01/Accounts/${o.accountSid}/Calls/${sid}.json` });
      // A call with TwiML of its own rings a person (a transfer); one with a Url is Parley's own outbound call.
      if (params.Twiml) void ringPerson(call, params.Twiml);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}
