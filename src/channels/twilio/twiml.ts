// TwiML documents Parley answers or sends through the REST API (Twilio's TwiML reference:
// <Connect><Stream>, <Dial>/<Number>, <Dial><Conference waitUrl startConferenceOnEnter
// endConferenceOnExit statusCallback statusCallbackEvent>, <Say>, <Play digits>). Every value is
// XML-escaped; nothing from a caller or a model reaches a document unescaped.

/** `s` safe inside an XML attribute or text node. */
export function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const doc = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;
const attrs = (a: Record<string, string | number | undefined>) =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${xml(String(v))}"`)
    .join('');

/** The bidirectional Media Stream, its <Parameter>s echoed back in `start`; `before` runs first (e.g. <Play digits>). */
export function streamTwiml(url: string, parameters: Record<string, string>, before = ''): string {
  const params = Object.entries(parameters).map(([name, value]) => `<Parameter name="${xml(name)}" value="${xml(value)}"/>`);
  return doc(`${before}<Connect><Stream url="${xml(url)}">${params.join('')}</Stream></Connect>`);
}

/** Something said, then the call hangs up. */
export function sayAndHangUp(text: string, language?: string): string {
  return doc(`<Say${attrs({ language })}>${xml(text)}</Say><Hangup/>`);
}

/** Cold transfer: a line, then the call is connected to `number`; `action` learns how the dial ended. */
export function dialTwiml(o: { say: string; number: string; callerId: string; timeoutSec: number; action?: string }): string {
  return doc(`<Say>${xml(o.say)}</Say><Dial${attrs({ callerId: o.callerId, timeout: o.timeoutSec, action: o.action })}><Number>${xml(o.number)}</Number></Dial>`);
}

/** Warm transfer, the caller's side: a line, then hold in a conference that starts when the person joins. */
export function holdInConferenceTwiml(o: { say: string; room: string; waitUrl?: string; statusCallback: string }): string {
  const conference = attrs({
    startConferenceOnEnter: 'false',
    endConferenceOnExit: 'true',
    beep: 'false',
    waitUrl: o.waitUrl,
    waitMethod: o.waitUrl ? 'GET' : undefined,
    statusCallback: o.statusCallback,
    statusCallbackEvent: 'start end join leave',
  });
  return doc(`<Say>${xml(o.say)}</Say><Dial><Conference${conference}>${xml(o.room)}</Conference></Dial>`);
}

/** Warm transfer, the person's side: they hear the summary, then join the conference, which connects the caller. */
export function briefAndJoinTwiml(o: { summary: string; room: string }): string {
  return doc(`<Say>${xml(o.summary)}</Say><Dial><Conference${attrs({ startConferenceOnEnter: 'true', endConferenceOnExit: 'true', beep: 'false' })}>${xml(o.room)}</Conference></Dial>`);
}

/** DTMF tones played on the call (`w` waits half a second), as <Play digits>. */
export function playDigits(digits: string): string {
  return `<Play digits="${xml(digits)}"/>`;
}
