import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';

const DEPENDENCY_TIMEOUT_MS = 1000;

/** `/healthz` for load balancers and `/metrics` for Prometheus. */
export async function healthRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  // A draining server answers 503, so a load balancer sends new callers elsewhere; so does one
  // that cannot reach its store or Redis (it would refuse every new conversation anyway).
  app.get('/healthz', async (_, reply) => {
    if (ctx.draining) return reply.code(503).send({ ok: false, draining: true, live: ctx.live.size });
    const failed = await unreachable(ctx.dependencies);
    if (Object.keys(failed).length) return reply.code(503).send({ ok: false, unreachable: failed, live: ctx.live.size });
    return { ok: true, agents: ctx.agents.names() };
  });
  app.get('/metrics', async (_, reply) => reply.type('text/plain; version=0.0.4').send(ctx.metrics.text(ctx.agents.names())));
}

/** The dependencies that did not answer within a second, with why. */
async function unreachable(deps: ServerContext['dependencies']): Promise<Record<string, string>> {
  const failed: Record<string, string> = {};
  await Promise.all(
    deps.map(async (d) => {
      try {
        await d.check(AbortSignal.timeout(DEPENDENCY_TIMEOUT_MS));
      } catch (e) {
        failed[d.name] = (e as Error).name === 'TimeoutError' ? `no answer within ${DEPENDENCY_TIMEOUT_MS} ms` : (e as Error).message;
      }
    }),
  );
  return failed;
}
