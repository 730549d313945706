import type { AgentFileData } from '../../agent/schema.ts';
import type { Store } from '../../store/store.ts';
import { BuiltinCalendar } from './builtin.ts';
import { CalcomCalendar } from './calcom.ts';
import { CalendlyCalendar } from './calendly.ts';
import type { CalendarProvider } from './types.ts';

export { BuiltinCalendar, bookingsIcs, builtinBooking, cancelBuiltinBooking, weeklySlots, type BuiltinConfig, type CancelOutcome, type StoredBooking } from './builtin.ts';
export { CalcomCalendar, type CalcomConfig } from './calcom.ts';
export { CALENDLY_WINDOW_DAYS, CalendlyCalendar, type CalendlyConfig } from './calendly.ts';
export { SlotUnavailableError, type Attendee, type Booking, type CalendarCall, type CalendarProvider, type HttpExchange, type Slot } from './types.ts';

/**
 * The calendar an agent books into, from its `calendar:` block; undefined when it has none.
 * Secrets (`${CALCOM_API_KEY}`, `${CALENDLY_TOKEN}`) are resolved on each call, so a missing
 * one is reported by name when the calendar is used and the rest of the agent still runs.
 */
export function calendarFor(
  agent: { name: string; config: AgentFileData },
  o: { store: Store; env: NodeJS.ProcessEnv; fetch?: typeof fetch; now?: () => Date },
): CalendarProvider | undefined {
  const c = agent.config.calendar;
  switch (c?.provider) {
    case undefined:
      return undefined;
    case 'builtin':
      return new BuiltinCalendar({ agent: agent.name, timeZone: agent.config.timeZone, config: c, store: o.store, now: o.now });
    case 'calcom':
      return new CalcomCalendar({ config: c, env: o.env, fetch: o.fetch, now: o.now, language: agent.config.persona.language });
    case 'calendly':
      return new CalendlyCalendar({ config: c, env: o.env, fetch: o.fetch, now: o.now });
  }
}
