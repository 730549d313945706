import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';

/** `/healthz` for load balancers and `/metrics` for Prometheus. */
export async function healthRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get('/healthz', async () => ({ ok: true, agents: ctx.agents.names() }));
  app.get('/metrics', async (_, reply) => reply.type('text/plain; version=0.0.4').send(ctx.metrics.text(ctx.agents.names())));
}
