import { Temporal } from 'temporal-polyfill';

// Times in scenario files are written the way an owner thinks of them: an instant with its
// offset ("2026-11-30T10:00:00+01:00", "…Z"), or a wall-clock time in the agent's business
// zone ("2026-12-01 15:00").

/** The instant a scenario time names, or undefined when it is not a time. */
export function scenarioInstant(text: string, timeZone: string): Temporal.Instant | undefined {
  const t = text.trim();
  try {
    return Temporal.Instant.from(t);
  } catch {
    /* no offset: a local time in the agent's zone */
  }
  try {
    return Temporal.PlainDateTime.from(t.replace(' ', 'T')).toZonedDateTime(timeZone).toInstant();
  } catch {
    return undefined;
  }
}

/** "2026-12-01 15:00": an instant as wall-clock time in a zone. */
export function localTime(instant: string | Temporal.Instant, timeZone: string): string {
  const z = (typeof instant === 'string' ? Temporal.Instant.from(instant) : instant).toZonedDateTimeISO(timeZone);
  return `${z.toPlainDate().toString()} ${String(z.hour).padStart(2, '0')}:${String(z.minute).padStart(2, '0')}`;
}
