import { Temporal } from 'temporal-polyfill';
import { isAffirmative } from './confirmation.ts';

// When the caller's clock and the business's differ, "3 PM" alone is the one word that can book
// the wrong hour: the caller hears their 3 PM, the calendar holds Warsaw's. So before book_call
// an agent turn must have read the chosen time back on both clocks ("3 PM your time, 9 PM in
// Warsaw"), and the caller's next turn must be a plain yes — as for the spelling of the name.

/** Whether an agent turn said `start` as a clock time in both zones ("3 PM … 9 PM"; "15:00 … 21:00") and the caller said yes right after. */
export function saidOnBothClocks(transcript: { role: 'agent' | 'caller'; text: string }[], start: string, zones: [string, string]): boolean {
  const at = Temporal.Instant.from(start);
  const [a, b] = zones.map((z) => clockPattern(at.toZonedDateTimeISO(z)));
  return transcript.some((t, i) => {
    const next = transcript[i + 1];
    if (t.role !== 'agent' || next?.role !== 'caller' || !isAffirmative(next.text)) return false;
    const text = ` ${t.text.toLowerCase().replace(/([ap])\.\s?m\b\.?/g, '$1m')} `;
    const first = a.exec(text);
    if (!first) return false;
    const rest = text.slice(0, first.index) + ' '.repeat(first[0].length) + text.slice(first.index + first[0].length);
    return b.test(rest);
  });
}

/** Whether two zones show the same wall clock at `start` (Berlin and Warsaw do): then one clock is enough. */
export function sameWallClock(start: string, a: string, b: string): boolean {
  const at = Temporal.Instant.from(start);
  return at.toZonedDateTimeISO(a).toPlainDateTime().equals(at.toZonedDateTimeISO(b).toPlainDateTime());
}

/** The ways a clock time is said: "3 pm", "3:00 pm", "15:00", "noon", "midnight". */
function clockPattern({ hour, minute }: { hour: number; minute: number }): RegExp {
  const h12 = hour % 12 || 12;
  const mm = String(minute).padStart(2, '0');
  const ampm = hour < 12 ? 'am' : 'pm';
  const forms = [minute ? `${h12}[:.]${mm}\\s*${ampm}` : `${h12}(?:[:.]00)?\\s*${ampm}`, `${String(hour).padStart(2, '0')}[:.h]${mm}`, `${hour}[:.h]${mm}`];
  if (minute === 0 && hour === 12) forms.push('noon', 'midday');
  if (minute === 0 && hour === 0) forms.push('midnight');
  return new RegExp(`(?<![\\d:.])(?:${forms.join('|')})(?![\\d])`);
}
