// Routes reached by recipients, not by API keys: the unsubscribe link in every message.
// GET only shows a page (mail scanners fetch links; a GET must never unsubscribe); POST with the
// RFC 8058 body "List-Unsubscribe=One-Click" unsubscribes at once, without cookie or login.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app/deps.ts';
import { AppError } from '../app/errors.ts';
import { findUnsubscribeTarget, unsubscribeByToken } from '../app/unsubscribe/unsubscribe-by-token.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937}button{font:inherit;padding:.5rem 1.25rem;border-radius:.375rem;border:0;background:#1d4ed8;color:#fff;cursor:pointer}</style>
</head><body>${body}</body></html>`;
}

export function registerPublicRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get<{ Params: { token: string } }>('/u/:token', { schema: { hide: true } }, async (request, reply) => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
    try {
      const t = await findUnsubscribeTarget(deps, request.params.token);
      const active = t.lists.filter((l) => l.status && l.status !== 'unsubscribed');
      // A message sent to contacts named by an event (no lists): unsubscribing suppresses the address.
      if (t.suppression && !t.suppression.suppressed) {
        return page(
          'Unsubscribe',
          `<h1>Unsubscribe?</h1><p>${escapeHtml(t.address ?? 'This address')} will no longer get messages of ${escapeHtml(t.accountName)} like this one.</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
        );
      }
      if (active.length === 0) {
        return page('Unsubscribed', `<h1>You are unsubscribed</h1><p>${escapeHtml(t.address ?? 'This address')} gets no more messages from these lists of ${escapeHtml(t.accountName)}.</p>`);
      }
      return page(
        'Unsubscribe',
        `<h1>Unsubscribe?</h1><p>${escapeHtml(t.address ?? 'This address')} will no longer get messages of ${escapeHtml(t.accountName)} from:</p><ul>${active
          .map((l) => `<li>${escapeHtml(l.name)}</li>`)
          .join('')}</ul><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
      );
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') {
        reply.status(404);
        return page('Link not valid', '<h1>This link is not valid</h1><p>It may have been cut off. Use the link of a more recent message.</p>');
      }
      throw err;
    }
  });

  app.post<{ Params: { token: string }; Body: Record<string, string> | undefined }>('/u/:token', { schema: { hide: true } }, async (request, reply) => {
    const body = request.body ?? {};
    if (body['List-Unsubscribe'] !== 'One-Click') {
      throw new AppError('invalid_input', 'the body must be List-Unsubscribe=One-Click (RFC 8058)', 'List-Unsubscribe');
    }
    const { target } = await unsubscribeByToken(deps, request.params.token);
    if ((request.headers.accept ?? '').includes('text/html')) {
      reply.type('text/html; charset=utf-8');
      return page('Unsubscribed', `<h1>You are unsubscribed</h1><p>${escapeHtml(target.address ?? 'This address')} gets no more messages from these lists.</p>`);
    }
    return { unsubscribed: true, lists: target.lists.map((l) => l.name) };
  });
}
