import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_COOKIE, localAccess, type AdminAuth } from '../../guard/admin-auth.ts';
import type { ServerContext } from '../context.ts';
import { ensureWebBuilt, WEB_DIST } from '../web-assets.ts';
import { errorText } from '../../util/error-text.ts';

// The dashboard: an HTML shell at /dashboard (and /dashboard/*, the page routes itself by the
// URL hash), its bundle (web/dashboard → dist/web/dashboard.js), and the login form that turns
// PARLEY_ADMIN_TOKEN into an HttpOnly, SameSite=Strict session cookie. See docs/dashboard.md.

const BUNDLE = 'dashboard.js';

/** The dashboard's pages, its bundle, and login/logout; `guard` is the admin API's, `ownOrigins` the origins it is served from. */
export async function dashboardRoutes(app: FastifyInstance, ctx: ServerContext, access: { auth: AdminAuth; guard: onRequestHookHandler; ownOrigins: (req: FastifyRequest) => string[] }): Promise<void> {
  try {
    await ensureWebBuilt();
  } catch (e) {
    ctx.warn(`the dashboard bundle could not be built: ${errorText(e)}`);
  }
  const openHere = (req: FastifyRequest) => ctx.mode === 'dev' && localAccess(req).local;

  // The address people type first leads to the dashboard (which asks for the admin token where it must).
  app.get('/', async (_, reply) => reply.redirect('/dashboard', 302));

  await app.register(async (pages) => {
    pages.addHook('onRequest', access.guard);
    const shell = async (req: FastifyRequest, reply: FastifyReply) => {
      securityHeaders(reply, ctx.baseUrl(req));
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(shellHtml(ctx.mode, bundleVersion()));
    };
    pages.get('/dashboard', shell);
    pages.get('/dashboard/*', shell);
    pages.get(`/dashboard/assets/${BUNDLE}`, async (_, reply) => {
      const path = join(WEB_DIST, BUNDLE);
      if (!existsSync(path)) return reply.code(503).send({ error: 'the dashboard is not built: run `npm run build:web`' });
      return reply.type('text/javascript; charset=utf-8').header('cache-control', 'private, no-cache').send(createReadStream(path));
    });
  });

  await app.register(async (login) => {
    // The login form posts as a plain HTML form; scripts may post JSON.
    login.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    login.get('/dashboard/login', async (req, reply) => {
      if (openHere(req)) return reply.redirect('/dashboard', 303);
      securityHeaders(reply, ctx.baseUrl(req));
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(loginHtml(ctx.env.PARLEY_ADMIN_TOKEN ? undefined : 'PARLEY_ADMIN_TOKEN is not set on this server, so nobody can log in.'));
    });

    login.post<{ Body: { token?: unknown } | undefined }>('/dashboard/login', async (req, reply) => {
      const form = !String(req.headers['content-type'] ?? '').includes('json');
      const given = typeof req.body?.token === 'string' ? req.body.token : '';
      const r = await access.auth.login(given, req.ip);
      if (!r.ok) {
        if (!form) return reply.code(r.status).send({ error: r.error });
        securityHeaders(reply, ctx.baseUrl(req));
        return reply.code(r.status).type('text/html; charset=utf-8').send(loginHtml(r.status === 401 ? 'That is not the admin token.' : r.error));
      }
      const secure = ctx.baseUrl(req).startsWith('https:') ? '; Secure' : '';
      reply.header('set-cookie', `${ADMIN_COOKIE}=${r.session}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(access.auth.sessionMs / 1000)}${secure}`);
      return form ? reply.redirect('/dashboard', 303) : { ok: true };
    });

    // The login is put on the revocation list, so a copy of the cookie (another tab, a stolen one) stops working too.
    login.post('/dashboard/logout', async (req, reply) => {
      const origin = req.headers.origin;
      if (origin !== undefined && !access.ownOrigins(req).includes(origin)) return reply.code(403).send({ error: `log out from the dashboard's own page, not ${origin}` });
      reply.header('set-cookie', `${ADMIN_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
      try {
        await access.auth.logout(req.headers.cookie);
      } catch (e) {
        ctx.warn(`logout could not be recorded: ${errorText(e)}`);
        return reply.code(503).send({ error: `the logout could not be recorded (${errorText(e)}); this login may still work elsewhere until it expires` });
      }
      return reply.redirect('/dashboard/login', 303);
    });
  });
}

function bundleVersion(): string {
  const path = join(WEB_DIST, BUNDLE);
  return existsSync(path) ? String(Math.round(statSync(path).mtimeMs)) : '0';
}

/** Our own pages load only our own code and talk only to this server; nobody may frame them. */
function securityHeaders(reply: FastifyReply, base: string): void {
  const ws = base.replace(/^http/, 'ws');
  reply
    .header(
      'content-security-policy',
      `default-src 'self'; script-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self' ${ws}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
    )
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff');
}

function shellHtml(mode: string, version: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="parley-mode" content="${mode}">
<title>Parley dashboard</title>
<link rel="icon" href="data:,">
</head>
<body>
<div id="app"></div>
<script type="module" src="/dashboard/assets/${BUNDLE}?v=${version}"></script>
</body>
</html>
`;
}

function loginHtml(error?: string): string {
  const escaped = (error ?? '').replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · Parley</title>
<link rel="icon" href="data:,">
<style>
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f4f5f7; color: #1f2933; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
form { background: #fff; padding: 32px; border-radius: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.08), 0 8px 24px rgba(0,0,0,.06); width: 320px; }
h1 { font-size: 18px; margin: 0 0 4px; } p { margin: 0 0 20px; color: #616e7c; font-size: 13px; }
label { display: block; font-size: 13px; font-weight: 600; margin-bottom: 6px; }
input { box-sizing: border-box; width: 100%; padding: 9px 11px; border: 1px solid #cbd2d9; border-radius: 6px; font: inherit; }
button { margin-top: 16px; width: 100%; padding: 9px; border: 0; border-radius: 6px; background: #3b4cca; color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
.error { color: #b42318; background: #fef3f2; border-radius: 6px; padding: 8px 10px; margin-bottom: 16px; font-size: 13px; }
</style>
</head>
<body>
<form method="post" action="/dashboard/login">
<h1>Parley dashboard</h1>
<p>Enter the server's admin token (PARLEY_ADMIN_TOKEN).</p>
${error ? `<div class="error" role="alert">${escaped}</div>` : ''}
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Log in</button>
</form>
</body>
</html>
`;
}
