// The dashboard: the static files Vite builds into ui/dist, served on Herald's own port (no CDN,
// works offline). The app uses hash routes, but any other non-API path a user types or bookmarks
// also answers index.html. Paths under Herald's own prefixes (API, unsubscribe, consent,
// tracking, provider hooks) never fall back to the app: an unknown one stays a JSON 404.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const DASHBOARD_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../ui/dist');

/** Prefixes owned by the API and the public routes; the app never answers below them. */
const RESERVED = ['/api/', '/u/', '/c/', '/o/', '/l/', '/t/', '/hooks/', '/healthz'];

const isReserved = (url: string) => {
  const p = url.split('?')[0];
  return RESERVED.some((r) => p === r.replace(/\/$/, '') || p.startsWith(r));
};

const MISSING_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Herald</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:.25rem}</style>
</head><body><h1>Herald is running</h1><p>The dashboard is not built yet. Run <code>npm run build:ui</code> (or restart with <code>npm start</code>, which builds it) and reload this page.</p>
<p>The API answers at <code>/api/v1</code>; its description is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></body></html>`;

function notFound(request: FastifyRequest, reply: FastifyReply) {
  return reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url}`, field: null } });
}

export async function registerDashboard(app: FastifyInstance, dist = DASHBOARD_DIST): Promise<void> {
  const built = existsSync(path.join(dist, 'index.html'));
  if (built) {
    // wildcard: false registers one route per built file, so the catch-all below stays ours.
    await app.register(fastifyStatic, {
      root: dist,
      prefix: '/',
      wildcard: false,
      index: false,
      setHeaders: (reply, filePath) => {
        // Vite puts a content hash in every asset name: they never change, index.html always may.
        reply.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    // A missing built file (an old asset name after a rebuild) is a 404, never the app's HTML.
    if (isReserved(request.url) || request.url.startsWith('/assets/')) return notFound(request, reply);
    reply
      .header('cache-control', 'no-cache')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'same-origin')
      .header('x-content-type-options', 'nosniff')
      // Only the bundle's own scripts run. Images may come from anywhere: a message shown in the
      // outbox or a template preview (their frames inherit this policy; they add a stricter one).
      .header('content-security-policy', "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src * data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
    if (!built) return reply.type('text/html; charset=utf-8').send(MISSING_PAGE);
    return reply.sendFile('index.html');
  };
  app.get('/', { schema: { hide: true } }, page);
  app.get('/*', { schema: { hide: true } }, page);
}
