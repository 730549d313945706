import type { CollectSpec } from '../../agent/collect.ts';
import { confirmedAloud, isAffirmative } from '../confirmation.ts';
import { numbersSaid } from './amount.ts';
import { spokenDigits, phoneDigitForms } from './phone.ts';
import { sayDate } from './values.ts';
import { Temporal } from 'temporal-polyfill';

// "Read it back before you book" for every confirm kind, checked in the transcript like the
// spelling of a name: an agent turn that said the value the required way, and the caller's next
// turn saying yes. spell: letter by letter (confirmation.ts); digits: every digit in order, in any
// grouping, "oh" and "double" included; repeat: the value's words (a date: its day and month; a
// number or sum: its amount, in digits or words).

type Turn = { role: 'agent' | 'caller'; text: string };

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Whether the caller confirmed `value` of this field after hearing it read back the way `spec.confirm` says. */
export function readBackConfirmed(spec: CollectSpec, value: string, transcript: Turn[]): boolean {
  switch (spec.confirm) {
    case 'none':
      return true;
    case 'spell':
      return confirmedAloud(value, transcript);
    case 'digits': {
      const forms = spec.type === 'phone' ? phoneDigitForms(value) : [value.replace(/\D/g, '')].filter(Boolean);
      return forms.length > 0 && confirmedAfter(transcript, (said) => forms.some((f) => spokenDigits(said).replace(/\D/g, '').includes(f)));
    }
    case 'repeat':
      return confirmedAfter(transcript, (said) => repeated(spec, value, said));
  }
}

/** How the agent must read the value back, for the tool's answer to the model. */
export function readBackHow(spec: CollectSpec, say: string): string | undefined {
  switch (spec.confirm) {
    case 'spell':
      return `spell it back letter by letter ("${say}") and wait for a yes`;
    case 'digits':
      return `read it back digit by digit, in groups ("${say}"), and wait for a yes`;
    case 'repeat':
      return `say it back ("${say}") and wait for a yes`;
    default:
      return undefined;
  }
}

function repeated(spec: CollectSpec, value: string, said: string): boolean {
  const words = (s: string) => ` ${s.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
  const heard = words(said);
  if (heard.includes(words(value))) return true;
  if (spec.type === 'number' || spec.type === 'money') {
    // The amount said in digits ("1,250.50") or words ("one thousand two hundred fifty"), any form.
    const amount = Number.parseFloat(value);
    return numbersSaid(said).some((n) => Math.abs(n - amount) < 1e-9);
  }
  if (spec.type !== 'date') return false;
  // A date said the way people say it: its day (9, 9th) and its month's name.
  const date = Temporal.PlainDate.from(value);
  return heard.includes(` ${MONTHS[date.month - 1]} `) && new RegExp(` ${date.day}(?:st|nd|rd|th)? `).test(heard) || heard.includes(words(sayDate(date)));
}

/** Whether some agent turn satisfied `said` and the caller's next turn was a plain yes. */
function confirmedAfter(transcript: Turn[], said: (text: string) => boolean): boolean {
  for (let i = transcript.length - 2; i >= 0; i--) {
    if (transcript[i].role !== 'agent' || !said(transcript[i].text)) continue;
    const answer = transcript.slice(i + 1).find((t) => t.role === 'caller');
    if (answer && isAffirmative(answer.text)) return true;
  }
  return false;
}
