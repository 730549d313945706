import { canonicalZone, findTimeZone } from './zones.ts';
import { normalize } from './vocabulary.ts';
import type { WhenError } from './phrase.ts';

// Whose clock a caller's words are read on. A caller abroad who says "tomorrow at 3 pm" means
// 3 pm where they are: reading it on the business's clock offers them 6 am. So when the caller's
// zone is known (passed by the model, or said: "I'm in Chicago"), their clock is the default;
// "your time", "Warsaw time", "CET", "Eastern" name another; without a caller zone the business's
// clock is used. Two clocks that disagree ("3 pm my time, Warsaw time" from Los Angeles) are a
// question, never a guess.

/** Whose clock the words were read on: the caller's, the business's, or one the words named. */
export type Whose = 'caller' | 'business' | 'named';

/** The clock chosen for a phrase, and the words left once the zone words are taken out. */
export interface ClockChoice {
  zone: string;
  whose: Whose;
  /** The caller's zone as now known: passed in, or said in these words. */
  callerZone?: string;
  rest: string;
}

/** Picks the clock for already-normalized words; `callerZone` is a valid IANA zone or undefined. */
export function whoseClock(words: string, o: { timeZone: string; callerZone?: string; said: string }): ClockChoice | WhenError {
  let s = words;
  const take = (re: RegExp): boolean => {
    const m = re.exec(s);
    if (m) s = `${s.slice(0, m.index)} ${s.slice(m.index + m[0].length)}`;
    return m !== null;
  };
  const mine = take(/\b(?:my|local)\s+(?:local\s+)?time\b|\bwhere\s+i\s+am\b|\bmy\s+end\b/);
  const yours = take(/\b(?:your|our|business|office)\s+(?:local\s+)?(?:time|hours)\b|\bwhere\s+you\s+are\b|\byour\s+end\b/);
  // "I'm in Chicago", "here in Berlin", "I live in Tokyo": the caller saying where they are.
  const here = /\b(?:im|i\s+am|here|i\s+live|based|we\s+are|were|calling|im\s+calling|i\s+am\s+calling)\s+(?:in|from)\b/.test(s);
  const found = findTimeZone(s);
  if (found && 'error' in found) return found;
  if (found) s = found.rest;
  const business = canonicalZone(o.timeZone) ?? o.timeZone;
  const ask = (why: string): WhenError => ({ error: `"${o.said}" ${why}. Ask the caller which time zone they mean.` });

  if (found) {
    const saysCaller = here || mine;
    if (saysCaller && o.callerZone && found.zone !== o.callerZone) return ask(`names ${found.zone}, but the caller is in ${o.callerZone}`);
    if (yours && found.zone !== business && !saysCaller) return ask(`says "your time" and names ${found.zone}, but the business is in ${business}`);
    if (mine && yours) return ask('says both "my time" and "your time"');
    if (saysCaller) return { zone: found.zone, whose: 'caller', callerZone: found.zone, rest: s };
    return { zone: found.zone, whose: found.zone === o.callerZone ? 'caller' : found.zone === business ? 'business' : 'named', callerZone: o.callerZone, rest: s };
  }
  if (mine && yours) return ask('says both "my time" and "your time"');
  if (yours) return { zone: business, whose: 'business', callerZone: o.callerZone, rest: s };
  if (o.callerZone) return { zone: o.callerZone, whose: 'caller', callerZone: o.callerZone, rest: s };
  if (mine) return { error: `"${o.said}" depends on where the caller is. Ask which city or time zone they are in.` };
  return { zone: business, whose: 'business', rest: s };
}

/**
 * The caller's zone from what the model passed as `callerTimeZone`: an IANA id ("America/Chicago"),
 * or a place or zone as said ("Chicago", "Eastern", "UTC+5:30"). Anything else is a question.
 */
export function callerZoneFrom(text: string | undefined): { zone?: string } | WhenError {
  if (text === undefined || !text.trim()) return {};
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  const ask: WhenError = { error: `callerTimeZone "${shown}" is not a time zone. Ask the caller which city they are in, and pass it as an IANA zone such as America/Chicago.` };
  if (text.length > 64 || /[\u0000-\u001f]/.test(text)) return ask;
  const iana = /^[A-Za-z0-9_+\-/]+$/.test(text.trim()) ? canonicalZone(text.trim()) : undefined;
  if (iana) return { zone: iana };
  const found = findTimeZone(normalize(text));
  if (!found || 'error' in found || found.rest.trim().replace(/\b(?:in|time|zone|the)\b/g, '').trim()) return ask;
  return { zone: found.zone };
}
