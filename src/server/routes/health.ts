import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';

/** `/healthz` for load balancers and `/metrics` for Prometheus. */
export async function healthRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  // A draining server answers 503, so a load balancer sends new callers elsewhere.
  app.get('/healthz', async (_, reply) => (ctx.draining ? reply.code(503).send({ ok: false, draining: true, live: ctx.live.size }) : { ok: true, agents: ctx.agents.names() }));
  app.get('/metrics', async (_, reply) => reply.type('text/plain; version=0.0.4').send(ctx.metrics.text(ctx.agents.names())));
}
