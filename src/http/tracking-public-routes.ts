// The open pixel and the click redirect, reached by recipients' mail clients. They answer from
// the signed token alone and push the interaction into the recorder's buffer: no database query
// on the request path (measured in bench/tracking.ts); the writing happens elsewhere (on SQLite in
// a worker thread), and only when it falls far behind do the answers wait a little for it.
// Anything Herald did not sign is a 404, never a redirect.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app/deps.ts';
import { verifyToken } from '../app/links/signed-token.ts';
import { verifyClickToken } from '../app/tracking/click-token.ts';
import type { TrackingRecorder } from '../app/tracking/tracking-recorder.ts';

/** A transparent 1×1 GIF (43 bytes). */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

const NOT_VALID =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Link not valid</title></head><body style="font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>This link is not valid</h1><p>It may have been cut off when it was copied. Use the link in the message itself.</p></body></html>';

// A Location header must be ASCII; the signed URL is recorded as written and sent percent-encoded.
const toLocation = (url: string) => url.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));

function userAgent(request: FastifyRequest): string {
  return request.headers['user-agent'] ?? '';
}

export function registerTrackingPublicRoutes(app: FastifyInstance, deps: AppDeps, recorder: TrackingRecorder): void {
  const secret = deps.config.secret;
  const now = () => deps.clock.now().toISOString();
  app.addHook('onClose', async () => {
    await recorder.close();
  });

  const open = (method: 'GET' | 'HEAD') => async (request: FastifyRequest<{ Params: { file: string } }>, reply: FastifyReply) => {
    const file = request.params.file;
    const messageId = file.endsWith('.gif') ? verifyToken(secret, 'open', file.slice(0, -4)) : null;
    if (messageId === null) return reply.code(404).header('cache-control', 'no-store').type('text/plain').send('not found');
    recorder.push({ kind: 'open', messageId, method, ip: request.ip, userAgent: userAgent(request), at: now() });
    await recorder.slowDown();
    return reply.header('cache-control', 'no-store').type('image/gif').send(PIXEL_GIF);
  };

  const click = (method: 'GET' | 'HEAD') => async (request: FastifyRequest<{ Params: { '*': string } }>, reply: FastifyReply) => {
    const target = verifyClickToken(secret, request.params['*']);
    if (!target) return reply.code(404).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_VALID);
    recorder.push({
      kind: 'click',
      messageId: target.messageId,
      method,
      ip: request.ip,
      userAgent: userAgent(request),
      at: now(),
      url: target.url,
      linkCount: target.linkCount,
    });
    await recorder.slowDown();
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    // HEAD is how scanners check a link: it is answered, recorded as a machine, and not redirected.
    if (method === 'HEAD') return reply.code(200).type('text/html; charset=utf-8').send();
    return reply.code(302).header('location', toLocation(target.url)).send();
  };

  // HEAD before GET: Fastify would otherwise add its own HEAD that runs the GET handler.
  app.head('/o/:file', { schema: { hide: true } }, open('HEAD'));
  app.get('/o/:file', { schema: { hide: true } }, open('GET'));
  // A wildcard, not `:token`: click tokens carry their URL and exceed the 100-character parameter limit.
  app.head('/l/*', { schema: { hide: true } }, click('HEAD'));
  app.get('/l/*', { schema: { hide: true } }, click('GET'));
}
