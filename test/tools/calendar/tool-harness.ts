// check_availability and book_call called the way the model calls them: arguments validated by
// the tool's own input schema, then run through the tracing wrapper that records every call.
import type { z } from 'zod';
import { AgentFile, type AgentFileInput } from '../../../src/agent/schema.ts';
import type { Agent } from '../../../src/agent/load.ts';
import { bookCallTool, checkAvailabilityTool } from '../../../src/tools/booking.ts';
import type { CalendarProvider } from '../../../src/tools/calendar/types.ts';
import type { BookingState, ToolContext } from '../../../src/tools/context.ts';
import type { ToolEvent } from '../../../src/tools/events.ts';
import { tracedTool } from '../../../src/tools/traced.ts';

/** The example agent's essentials: business in Warsaw, a calendar. */
export function agentWith(calendar: AgentFileInput['calendar']): Agent {
  const config = AgentFile.parse({ persona: { prompt: 'You book calls.', firstMessage: 'Hi.' }, timeZone: 'Europe/Warsaw', calendar });
  return { name: 'clock-agent', config, collect: [] } as unknown as Agent;
}

/** One conversation's worth of booking tools, with its transcript, events and state in view. */
export interface Booker {
  check(args: Record<string, unknown>): Promise<any>;
  book(args: Record<string, unknown>): Promise<any>;
  transcript: { role: 'agent' | 'caller'; text: string }[];
  events: ToolEvent[];
  booking: BookingState;
}

/** Booking tools over `calendar` for an agent, at a fixed `now`. */
export function booker(agent: Agent, calendar: CalendarProvider, now: Date): Booker {
  const transcript: Booker['transcript'] = [];
  const events: ToolEvent[] = [];
  const booking: BookingState = { offered: [], bookings: [] };
  const ctx: ToolContext = {
    agent,
    conversationId: 'conv-clock-1',
    turnSeq: () => transcript.length,
    emit: (e) => events.push(e),
    lead: {},
    requestEnd: () => {},
    searchKnowledge: async () => [],
    transcript: () => transcript,
    calendar,
    booking,
    fetch,
    env: {},
    now: () => now,
  };
  let n = 0;
  const call = async (spec: ReturnType<typeof checkAvailabilityTool> | ReturnType<typeof bookCallTool>, args: Record<string, unknown>): Promise<any> => {
    const parsed = (spec.inputSchema as z.ZodType).safeParse(args);
    if (!parsed.success) return { invalidInput: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
    const tool = tracedTool(ctx, spec as never);
    return tool.execute!(parsed.data as never, { toolCallId: `call-${++n}`, messages: [], context: {} } as never);
  };
  return {
    check: (args) => call(checkAvailabilityTool(ctx, calendar), args),
    book: (args) => call(bookCallTool(ctx, calendar), args),
    transcript,
    events,
    booking,
  };
}

/** The agent spelling name and email back, and the caller's yes: what book_call needs to have been said. */
export function spelledBack(b: Booker, readBack = ''): void {
  b.transcript.push(
    { role: 'caller', text: "I'm Jane Doe, jane.doe@acme.io." },
    { role: 'agent', text: `${readBack}That is J-a-n-e, D-o-e, and j-a-n-e dot d-o-e at a-c-m-e dot i-o. Is that right?` },
    { role: 'caller', text: 'Yes.' },
  );
}
