import type { Agent } from '../../src/agent/load.ts';
import type { ConversationEvent } from '../../src/session/events.ts';
import type { ToolContext } from '../../src/tools/context.ts';

/** A ToolContext for testing one tool alone: events are collected, the clock is fixed. */
export function toolContext(o: Omit<Partial<ToolContext>, 'agent'> & { agent: Agent | Record<string, unknown> }): { ctx: ToolContext; events: ConversationEvent[] } {
  const events: ConversationEvent[] = [];
  const ctx: ToolContext = {
    conversationId: 'conv-1',
    turnSeq: () => 1,
    emit: (e) => void events.push(e),
    lead: {},
    requestEnd: () => {},
    searchKnowledge: async () => [],
    transcript: () => [],
    booking: { offered: [], bookings: [] },
    fetch,
    env: {},
    now: () => new Date('2026-01-15T12:00:00.000Z'),
    ...o,
    agent: o.agent as Agent,
  };
  return { ctx, events };
}
