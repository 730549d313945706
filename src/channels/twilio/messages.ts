// Twilio Media Streams over a bidirectional <Connect><Stream>: JSON text frames only. Twilio sends
// `connected`, `start` (call and stream ids, the <Parameter>s, the media format), `media` (base64
// μ-law 8 kHz mono, 20 ms a message), `mark` (a name we sent, echoed when the audio queued before
// it has played — or was cleared), `dtmf` and `stop`. We send `media`, `mark` and `clear`.

/** What Twilio says about the call when the stream starts. */
export interface StreamStart {
  streamSid: string;
  callSid: string;
  accountSid: string;
  customParameters: Record<string, string>;
}

/** A message from Twilio, checked. */
export type TwilioMessage =
  | { event: 'connected' }
  | { event: 'start'; start: StreamStart }
  | { event: 'media'; payload: Buffer }
  | { event: 'mark'; name: string }
  | { event: 'dtmf'; digit: string }
  | { event: 'stop' };

/** Largest text frame a stream may send: a 20 ms media message is ~250 bytes; `start` with parameters a few KB. */
export const MAX_TWILIO_FRAME = 16 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A Twilio message, or why the frame is not one. */
export function parseTwilioMessage(text: string): TwilioMessage | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'malformed JSON';
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'a message must be a JSON object';
  const m = v as Record<string, unknown>;
  const obj = (x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined);
  switch (m.event) {
    case 'connected':
      return { event: 'connected' };
    case 'start': {
      const s = obj(m.start);
      if (!s || typeof s.streamSid !== 'string' || typeof s.callSid !== 'string') return 'start needs start.streamSid and start.callSid';
      const format = obj(s.mediaFormat);
      if (format && (format.encoding !== 'audio/x-mulaw' || Number(format.sampleRate) !== 8000 || Number(format.channels ?? 1) !== 1)) return 'only audio/x-mulaw at 8000 Hz, mono, is supported';
      const params: Record<string, string> = {};
      for (const [k, val] of Object.entries(obj(s.customParameters) ?? {})) if (typeof val === 'string') params[k] = val;
      return { event: 'start', start: { streamSid: s.streamSid, callSid: s.callSid, accountSid: typeof s.accountSid === 'string' ? s.accountSid : '', customParameters: params } };
    }
    case 'media': {
      const media = obj(m.media);
      const payload = media?.payload;
      if (typeof payload !== 'string' || !BASE64.test(payload)) return 'media needs a base64 media.payload';
      if (media!.track !== undefined && media!.track !== 'inbound') return `unexpected media track ${JSON.stringify(String(media!.track)).slice(0, 20)}`;
      return { event: 'media', payload: Buffer.from(payload, 'base64') };
    }
    case 'mark': {
      const name = obj(m.mark)?.name;
      return typeof name === 'string' ? { event: 'mark', name } : 'mark needs mark.name';
    }
    case 'dtmf': {
      const digit = obj(m.dtmf)?.digit;
      return typeof digit === 'string' && /^[0-9*#A-D]$/.test(digit) ? { event: 'dtmf', digit } : 'dtmf needs one dtmf.digit';
    }
    case 'stop':
      return { event: 'stop' };
    default:
      return `unknown event ${JSON.stringify(String(m.event)).slice(0, 40)}`;
  }
}

/** Agent audio for Twilio to play: μ-law bytes as base64. */
export function mediaMessage(streamSid: string, mulaw: Uint8Array): string {
  return JSON.stringify({ event: 'media', streamSid, media: { payload: Buffer.from(mulaw.buffer, mulaw.byteOffset, mulaw.byteLength).toString('base64') } });
}

export function markMessage(streamSid: string, name: string): string {
  return JSON.stringify({ event: 'mark', streamSid, mark: { name } });
}

export function clearMessage(streamSid: string): string {
  return JSON.stringify({ event: 'clear', streamSid });
}
