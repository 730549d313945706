// Answering machines on outbound calls, as Twilio documents them
// (https://www.twilio.com/docs/voice/answering-machine-detection): a call placed with
// MachineDetection=DetectMessageEnd and AsyncAmd=true connects at once (the agent greets whoever
// answers) while Twilio listens; when it knows, it POSTs AsyncAmdStatusCallback with CallSid,
// AccountSid, AnsweredBy and MachineDetectionDuration. With DetectMessageEnd a machine is reported
// once its greeting has ended (machine_end_beep / _silence / _other): the moment to speak.
// The call's final status (completed, busy, no-answer, failed, canceled) comes to StatusCallback.

/** Twilio's AnsweredBy values. */
export const ANSWERED_BY = ['human', 'machine_start', 'machine_end_beep', 'machine_end_silence', 'machine_end_other', 'fax', 'unknown'] as const;
export type AnsweredBy = (typeof ANSWERED_BY)[number];

/** What an AnsweredBy means for the call: a person, a machine (its greeting over or not), a fax, or not known. */
export function answeredByKind(v: string): 'human' | 'machine' | 'machine-greeting-over' | 'fax' | 'unknown' {
  if (v === 'human') return 'human';
  if (v === 'machine_start') return 'machine';
  if (v === 'machine_end_beep' || v === 'machine_end_silence' || v === 'machine_end_other') return 'machine-greeting-over';
  if (v === 'fax') return 'fax';
  return 'unknown';
}

/** Twilio's final call statuses. */
export const FINAL_CALL_STATUSES = ['completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;
export type FinalCallStatus = (typeof FINAL_CALL_STATUSES)[number];
export const isFinalCallStatus = (s: string): s is FinalCallStatus => (FINAL_CALL_STATUSES as readonly string[]).includes(s);

/** The Calls API form fields that turn on asynchronous detection, reported to `callbackUrl`. */
export function machineDetectionFields(callbackUrl: string): [string, string][] {
  return [
    ['MachineDetection', 'DetectMessageEnd'],
    ['AsyncAmd', 'true'],
    ['AsyncAmdStatusCallback', callbackUrl],
    ['AsyncAmdStatusCallbackMethod', 'POST'],
  ];
}

/** The Calls API form fields that have Twilio POST the call's final status to `callbackUrl`. */
export function statusCallbackFields(callbackUrl: string): [string, string][] {
  return [
    ['StatusCallback', callbackUrl],
    ['StatusCallbackMethod', 'POST'],
    ['StatusCallbackEvent', 'completed'],
  ];
}

// A recorded greeting, heard in the first seconds: "You've reached Ada, I can't take your call,
// please leave a message after the tone." Two signs are needed (one "message" could be a person).
const GREETING_SIGNS = [
  /\b(you(?:'ve| have)? reached|you are through to)\b/,
  /\bleave (?:me |us )?(?:a |your )?(?:message|name and number|voicemail)\b/,
  /\b(after|at) the (tone|beep)\b/,
  /\b(voice ?mail|mailbox|answering machine)\b/,
  /\b(not available|unavailable|can(?:'|no)t (?:come to|take|get to) (?:the|your) (?:phone|call))\b/,
  /\bthe (?:person|number|subscriber) you (?:are|have) (?:calling|called|trying)\b/,
  /\brecord your message\b/,
];

/** Whether words heard at the start of an outbound call sound like a voicemail greeting. */
export function soundsLikeVoicemail(text: string): boolean {
  const t = text.toLowerCase().replace(/[’`]/g, "'");
  return GREETING_SIGNS.filter((re) => re.test(t)).length >= 2;
}

/** TwiML that says the voicemail message (after `pauseSec` of silence) and hangs up. */
export function voicemailTwiml(message: string, o: { pauseSec?: number; language?: string } = {}): string {
  const lang = o.language && /^[a-z]{2}-[A-Z]{2}$/.test(o.language) ? ` language="${o.language}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${o.pauseSec ? `<Pause length="${o.pauseSec}"/>` : ''}<Say${lang}>${escapeXml(message)}</Say><Hangup/></Response>`;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
