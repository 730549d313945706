import { Temporal } from 'temporal-polyfill';
import type { Agent } from '../agent/load.ts';
import { meetingName } from '../agent/meeting.ts';

/** A knowledge chunk as the model sees it. */
export interface GroundingChunk {
  source: string;
  heading: string;
  text: string;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "Tuesday, 24 November 2026, 14:05 (Europe/Warsaw, UTC+01:00)" — the business's own clock. */
export function describeNow(now: Temporal.Instant, timeZone: string): string {
  // The words change once a minute: every turn of that minute reuses them (the zone's rules are read once).
  const minute = Math.floor(now.epochMilliseconds / 60_000);
  const cached = lastDescribed.get(timeZone);
  if (cached?.minute === minute) return cached.text;
  const zoned = now.toZonedDateTimeISO(timeZone);
  // Formatted by hand: the polyfill's toLocaleString costs about a millisecond per turn.
  const date = `${WEEKDAYS[zoned.dayOfWeek - 1]}, ${zoned.day} ${MONTHS[zoned.month - 1]} ${zoned.year}`;
  const time = `${String(zoned.hour).padStart(2, '0')}:${String(zoned.minute).padStart(2, '0')}`;
  const text = `${date}, ${time} (${timeZone}, UTC${zoned.offset})`;
  if (lastDescribed.size > 64) lastDescribed.clear(); // one entry per zone in use
  lastDescribed.set(timeZone, { minute, text });
  return text;
}

const lastDescribed = new Map<string, { minute: number; text: string }>();

const SPOKEN_STYLE = [
  'Everything you write is spoken aloud to the caller. Use short, natural sentences.',
  'No markdown, lists, headings, emojis or URLs; say numbers, prices and times the way a person would say them.',
  'Ask one question at a time and keep each answer to two or three sentences unless the caller asks for more.',
].join(' ');

/** The system prompt: persona, tone and language, the business's current time, what to collect, and grounding rules. */
export function buildSystemPrompt(agent: Agent, now: Temporal.Instant): string {
  const { config } = agent;
  const parts: string[] = [agent.prompt];
  const style = [`Speak in the language "${config.persona.language}" unless the caller clearly uses another.`];
  if (config.persona.tone) style.push(`Tone: ${config.persona.tone}.`);
  parts.push(`${SPOKEN_STYLE} ${style.join(' ')}`);

  parts.push(
    `It is now ${describeNow(now, config.timeZone)}. The business works in the time zone ${config.timeZone}; ` +
      'state times in that zone unless the caller names their own zone, and then say both.',
  );

  if (agent.collect.length) {
    const kind = (c: (typeof agent.collect)[number]): string => (c.type === 'choice' ? ` (one of: ${c.options?.join(', ')})` : c.type === 'phone' || c.type === 'date' ? ` (a ${c.type})` : '');
    const fields = agent.collect.map((c) => `- ${c.field}${c.description ? `: ${c.description}` : ''}${kind(c)}${c.required ? '' : ' (optional)'}`);
    parts.push(
      [
        'Collect these details from the caller naturally during the conversation, one at a time, without interrogating:',
        ...fields,
        'As soon as you learn any of them, call save_lead with everything known so far.',
        'Before relying on a name or an email, read its spelling back letter by letter and ask the caller to confirm it (save_lead returns a readBack wording to use).',
        ...(agent.collect.some((c) => c.confirm === 'digits' || c.confirm === 'repeat') ? ['Read a phone number back digit by digit in groups, and a date back in words, the way save_lead’s readBack says, and wait for a yes before booking.'] : []),
      ].join('\n'),
    );
  }

  if (config.knowledge.strict) {
    parts.push(
      'Answer questions about the business only from the DOCUMENTS given with the caller’s message or returned by search_knowledge. ' +
        `If a question asks for facts about the business and the DOCUMENTS do not contain the answer, reply with exactly ${NOT_IN_DOCUMENTS} and nothing else: ` +
        'the caller then hears the agent’s own line for questions the documents do not answer. ' +
        'Never invent prices, dates, names, policies or facts. Small talk, booking and collecting details need no documents.',
    );
  } else {
    parts.push('Prefer the DOCUMENTS given with the caller’s message when they answer the question; say when you are unsure.');
  }
  if (config.calendar) {
    parts.push(
      `To book ${meetingName(config)}: call check_availability with the caller’s own words for when (and callerTimeZone once they said where they are), ` +
        'and offer only the times it returns, two or three at a time, in its "say" wording. Never suggest a time it did not return. Before book_call, spell the name and the email ' +
        'back letter by letter and wait for the caller to say yes; when "say" names two clocks, read the time back on both. After booking, confirm the day and time aloud.',
    );
  }
  parts.push('When the caller is done or says goodbye, say a short goodbye and call end_call.');
  return parts.filter(Boolean).join('\n\n');
}

/** What the model replies, alone, when the documents do not answer a factual question (strict knowledge). */
export const NOT_IN_DOCUMENTS = 'NOT_IN_DOCUMENTS';

/** The caller's words with the documents found for them, as the model receives them for this turn only. */
export function groundedCallerMessage(heardText: string, chunks: GroundingChunk[], strict: boolean, absent: readonly string[] = []): string {
  // Words of the caller's that no document holds in any form: a strong hint the answer is not there.
  const missing = strict && absent.length ? `\nNo document mentions: ${absent.slice(0, 8).join(', ')}.` : '';
  if (!chunks.length) {
    const note = strict ? 'No document matches this message. If it asks about the business, do not answer from memory.' : 'No document matches this message.';
    return `${heardText}\n\n[DOCUMENTS]\n${note}${missing}\n[/DOCUMENTS]`;
  }
  const docs = chunks.map((c, i) => `(${i + 1}) ${c.source}${c.heading ? ` › ${c.heading}` : ''}\n${c.text}`).join('\n\n');
  return `${heardText}\n\n[DOCUMENTS]\n${docs}${missing}\n[/DOCUMENTS]`;
}
