import type { AgentFileData } from './schema.ts';
import { resolveSecrets } from './secrets.ts';

// What the booked meeting is called in the booking tools' descriptions and results and in the
// prompt: the owner's calendar.meetingName ("free 30-minute home-energy consultation"), else
// "the intro call". English names get "the"; a name in another language is used as written
// ("bezpłatna 20-minutowa rozmowa wideo", not "the bezpłatna …").

/** "the <meetingName>" (as written when persona.language is not English), or "the intro call" when the calendar names none. */
export function meetingName(config: Pick<AgentFileData, 'calendar' | 'persona'>): string {
  const written = config.calendar?.meetingName?.trim();
  if (!written) return 'the intro call';
  const english = /^en(-|$)/i.test(config.persona.language ?? 'en');
  return english ? `the ${written.replace(/^(the|a|an)\s+/i, '')}` : written;
}

/** Where the meeting happens (built-in calendar's location, its ${ENV_NAME} filled), or undefined when none or its variable is unset. */
export function meetingLocation(calendar: AgentFileData['calendar'], env: NodeJS.ProcessEnv): string | undefined {
  const written = calendar?.provider === 'builtin' ? calendar.location : undefined;
  if (!written) return undefined;
  try {
    return resolveSecrets(written, 'calendar.location', env);
  } catch {
    return undefined; // unset variable: parley check names it; the booking stands without a place
  }
}

/** Whether a location is a link to join (a video call), as opposed to an address. */
export function isJoinLink(location: string): boolean {
  return /^https?:\/\/\S+$/.test(location);
}
