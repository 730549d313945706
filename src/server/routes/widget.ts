import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerContext } from '../context.ts';
import { ensureWebBuilt, WEB_DIST } from '../web-assets.ts';
import { admitWeb } from './web.ts';
import { widgetTexts } from '../widget-texts.ts';

// What a website needs for the widget: the script itself (any site may load it; whether it may
// talk is decided per Origin) and the agent's look, refused with the reason when this site is
// not allowed — the widget then shows "not available on this site" and never opens a session.
// The widget's own words come along, in the agent's language (./widget-texts.ts).

export async function widgetRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await ensureWebBuilt();
  let cached: { body: Buffer; etag: string; at: number } | undefined;
  const script = () => {
    // Re-read at most once a second so `parley dev` serves a rebuilt widget without a restart.
    if (!cached || (ctx.mode === 'dev' && Date.now() - cached.at > 1000)) {
      const body = readFileSync(join(WEB_DIST, 'widget.js'));
      cached = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`, at: Date.now() };
    }
    return cached;
  };

  app.get('/widget.js', async (req, reply) => {
    const { body, etag } = script();
    reply.header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=300').header('etag', etag);
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/javascript; charset=utf-8').send(body);
  });

  app.get<{ Params: { agent: string } }>('/v1/agents/:agent/widget', async (req, reply) => {
    const origin = req.headers.origin;
    if (origin) reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
    const r = admitWeb(ctx, req.params.agent, origin);
    if ('error' in r) {
      // Said in the agent's language when there is one: "not available on this site".
      const known = ctx.agents.get(req.params.agent);
      return reply.code(r.status).send({ error: r.error, available: false, ...(known ? { message: widgetTexts(known.agent.config).notOnThisSite } : {}) });
    }
    const { config, name } = r.loaded.agent;
    const look = config.channels.web.widget;
    const texts = widgetTexts(config);
    // The default notice says what is kept: the transcript always, the audio when the server saves recordings.
    const notice = look.notice === false ? null : (look.notice ?? (ctx.recordings ? texts.noticeRecorded : texts.noticeTranscribed));
    return { agent: name, available: true, label: texts.label, color: look.color, position: look.position, avatar: look.avatar ?? null, notice, greeting: config.persona.firstMessage, language: config.persona.language, texts };
  });
}
