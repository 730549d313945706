import type { FastifyInstance } from 'fastify';
import { estimateCost, priceTable } from '../session/cost.ts';
import type { UsageData } from '../session/usage.ts';
import { Records } from '../store/records.ts';
import type { ServerContext } from './context.ts';

// Conversations a crash left open (kill -9, power cut) would stay "open" forever and their cost
// would never count. They are closed with reason 'server restart', ended at their last recorded
// event. Which are abandoned: on one node (no Redis), every web or phone conversation open when
// the server starts — no other process runs them. With several nodes (Redis), those that no node
// lists as live (each node renews its list within a lease), checked at start and every lease after.

/** Closes what a crash left open now and, when nodes share Redis, every `leaseMs` after; stops with the app. */
export async function recoverAbandonedConversations(app: FastifyInstance, ctx: ServerContext, leaseMs: number): Promise<void> {
  const startedAt = new Date().toISOString();
  const sweep = () =>
    closeAbandoned(ctx, ctx.liveList.shared ? new Date(Date.now() - leaseMs).toISOString() : startedAt).catch((e: Error) => {
      ctx.warn(`could not close conversations left open by a crash: ${e.message}`);
      return 0;
    });
  await sweep();
  if (!ctx.liveList.shared) return;
  const timer = setInterval(() => void sweep(), leaseMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}

/** Closes the open web and phone conversations started before `startedBefore` that no node runs; how many it closed. */
export async function closeAbandoned(ctx: Pick<ServerContext, 'store' | 'agents' | 'liveList' | 'log'> & { events?: ServerContext['events'] }, startedBefore: string, signal?: AbortSignal): Promise<number> {
  const records = new Records(ctx.store.db);
  const open = await records.openDoorConversations(startedBefore);
  if (!open.length) return 0;
  const live = new Set((await ctx.liveList.list(signal)).map((s) => s.conversationId));
  let closed = 0;
  for (const c of open) {
    if (live.has(c.id)) continue;
    const endedAt = c.lastAt ?? c.startedAt;
    const durationSec = Math.max(0, (Date.parse(endedAt) - Date.parse(c.startedAt)) / 1000);
    // Model tokens and speech as the conversation last wrote them while it ran; the minutes on the line up to its last event.
    const ran = (c.usage ?? {}) as Partial<UsageData>;
    const usage: UsageData = { llm: ran.llm ?? {}, stt: ran.stt ?? {}, tts: ran.tts ?? {}, phoneSeconds: c.channel === 'phone' ? durationSec : 0 };
    const prices = priceTable(ctx.agents.get(c.agent)?.agent.config.limits.prices);
    const cost = estimateCost(usage, prices, c.direction === 'outbound' ? 'outbound' : 'inbound');
    await records.endConversation(c.id, endedAt, 'server restart', { durationSec, usage, costUsd: cost.usd });
    await ctx.events?.conversationEnded(c.id);
    closed++;
  }
  if (closed) ctx.log(`closed ${closed} conversations left open by a crash (reason "server restart")`);
  return closed;
}
