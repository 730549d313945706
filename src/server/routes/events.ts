import type { FastifyInstance } from 'fastify';
import { EVENT_TYPES, Outbox, type DeliveryState, type EventFilter, type EventType } from '../../store/outbox.ts';
import type { ServerContext } from '../context.ts';
import { adminGuard } from './admin.ts';

// The admin API of events out (docs/events.md): what was sent where, every attempt, and "send
// again". Behind the same guard as the rest of /v1/admin.

const STATES: DeliveryState[] = ['pending', 'delivering', 'delivered', 'failed'];

/** GET /v1/admin/events, GET /v1/admin/events/:id, POST /v1/admin/events/:id/redeliver. */
export async function eventRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const outbox = new Outbox(ctx.store);
  await app.register(async (api) => {
    api.addHook('onRequest', adminGuard(ctx, ctx.adminAuth));

    api.get<{ Querystring: Record<string, string | undefined> }>('/v1/admin/events', async (req, reply) => {
      const f = eventFilter(req.query);
      if ('error' in f) return reply.code(400).send(f);
      try {
        return await outbox.list(f);
      } catch (e) {
        if (e instanceof RangeError) return reply.code(400).send({ error: e.message });
        throw e;
      }
    });

    api.get<{ Params: { id: string } }>('/v1/admin/events/:id', async (req, reply) => {
      const event = await outbox.get(req.params.id);
      return event ?? reply.code(404).send({ error: `no event ${req.params.id}` });
    });

    api.post<{ Params: { id: string } }>('/v1/admin/events/:id/redeliver', async (req, reply) => {
      if (!(await outbox.get(req.params.id))) return reply.code(404).send({ error: `no event ${req.params.id}` });
      return { redelivered: await ctx.events.redeliver(req.params.id) };
    });
  });
}

function eventFilter(q: Record<string, string | undefined>): EventFilter | { error: string } {
  const f: EventFilter = {};
  if (q.agent) f.agent = q.agent;
  if (q.type) {
    if (!(EVENT_TYPES as readonly string[]).includes(q.type)) return { error: `type must be one of ${EVENT_TYPES.join(', ')}` };
    f.type = q.type as EventType;
  }
  if (q.state) {
    if (!STATES.includes(q.state as DeliveryState)) return { error: `state must be one of ${STATES.join(', ')}` };
    f.state = q.state as DeliveryState;
  }
  if (q.limit) {
    const n = Number(q.limit);
    if (!Number.isInteger(n) || n < 1 || n > 200) return { error: 'limit must be a whole number from 1 to 200' };
    f.limit = n;
  }
  if (q.cursor) f.cursor = q.cursor;
  return f;
}
