import type { FastifyInstance, FastifyRequest } from 'fastify';
import { localAccess } from '../../guard/admin-auth.ts';
import type { ServerContext } from '../context.ts';

const DEPENDENCY_TIMEOUT_MS = 1000;

/**
 * `/healthz` for load balancers and `/metrics` for Prometheus. The public health answer is the
 * status and the names of failing dependencies; the agents, live sessions and error messages are
 * for a bearer of PARLEY_METRICS_TOKEN or PARLEY_ADMIN_TOKEN (or, in dev, this machine). With
 * PARLEY_METRICS_TOKEN set, /metrics needs one of those tokens too.
 */
export async function healthRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const metricsToken = ctx.env.PARLEY_METRICS_TOKEN;
  if (!metricsToken && ctx.mode === 'serve') ctx.warn('PARLEY_METRICS_TOKEN is not set: /metrics is public and names every agent; set it to require `Authorization: Bearer <token>`');
  const reader = (req: FastifyRequest) => ctx.adminAuth.checkReader({ authorization: req.headers.authorization, client: req.ip });
  const seesDetails = async (req: FastifyRequest) => (ctx.mode === 'dev' && localAccess(req).local) || (req.headers.authorization !== undefined && (await reader(req)).ok);

  // A draining server answers 503, so a load balancer sends new callers elsewhere; so does one
  // that cannot reach its store or Redis (it would refuse every new conversation anyway).
  app.get('/healthz', async (req, reply) => {
    const details = await seesDetails(req);
    if (ctx.draining) return reply.code(503).send({ ok: false, draining: true, ...(details ? { live: ctx.live.size } : {}) });
    const failed = await unreachable(ctx.dependencies);
    const names = Object.keys(failed);
    if (names.length) return reply.code(503).send({ ok: false, unreachable: names, ...(details ? { errors: failed, live: ctx.live.size } : {}) });
    return details ? { ok: true, agents: ctx.agents.names() } : { ok: true };
  });

  app.get('/metrics', async (req, reply) => {
    if (metricsToken) {
      const verdict = await reader(req);
      if (!verdict.ok) return reply.code(verdict.status).header('www-authenticate', 'Bearer realm="parley-metrics"').send({ error: verdict.error });
    }
    return reply.type('text/plain; version=0.0.4').send(ctx.metrics.text(ctx.agents.names()));
  });
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
