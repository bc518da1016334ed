// The recipient's side of double opt-in: /c/<token> from the confirmation email. GET only shows
// the question (mail scanners fetch links; a GET must never confirm anything); POST with
// action=confirm or action=decline records the answer. Replays show the recorded answer again;
// a forged token gets 404 and an expired one a page that says so (410).
// Relies on the application/x-www-form-urlencoded parser that registerPublicRoutes adds.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { answerConsentByToken, type ConsentPageFacts, findConsentByToken } from '../app/consent/answer-consent.ts';
import type { AppDeps } from '../app/deps.ts';
import { AppError } from '../app/errors.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937}button{font:inherit;padding:.5rem 1.25rem;border-radius:.375rem;border:0;background:#1d4ed8;color:#fff;cursor:pointer;margin-right:.5rem}button.secondary{background:#e5e7eb;color:#1f2937}</style>
</head><body>${body}</body></html>`;
}

function render(reply: FastifyReply, f: ConsentPageFacts): string {
  const who = escapeHtml(f.address ?? 'This address');
  const list = escapeHtml(f.listName);
  const sender = escapeHtml(f.accountName);
  switch (f.status) {
    case 'pending':
      return page(
        'Confirm your subscription',
        `<h1>Confirm your subscription</h1><p>Do you want ${who} to receive <strong>${list}</strong> from ${sender}?</p>` +
          `<form method="post"><button type="submit" name="action" value="confirm">Confirm</button><button type="submit" name="action" value="decline" class="secondary">No thanks</button></form>`,
      );
    case 'confirmed':
      return page('Subscription confirmed', `<h1>You are subscribed</h1><p>${who} will receive ${list} from ${sender}. Every message has a link to unsubscribe.</p>`);
    case 'declined':
      return page('Not subscribed', `<h1>You are not subscribed</h1><p>${who} will not receive ${list} from ${sender}.</p>`);
    case 'expired':
      reply.status(410);
      return page('Link expired', `<h1>This link has expired</h1><p>The request to confirm ${list} from ${sender} ran out. Sign up again to get a new link.</p>`);
  }
}

export function registerConsentPublicRoutes(app: FastifyInstance, deps: AppDeps): void {
  const notValid = (reply: FastifyReply) => {
    reply.status(404);
    return page('Link not valid', '<h1>This link is not valid</h1><p>It may have been cut off. Copy the whole link from the email.</p>');
  };

  app.get<{ Params: { token: string } }>('/c/:token', { schema: { hide: true } }, async (request, reply) => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
    try {
      return render(reply, await findConsentByToken(deps, request.params.token));
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return notValid(reply);
      throw err;
    }
  });

  app.post<{ Params: { token: string }; Body: Record<string, string> | undefined }>('/c/:token', { schema: { hide: true } }, async (request, reply) => {
    const action = request.body?.action;
    if (action !== 'confirm' && action !== 'decline') throw new AppError('invalid_input', 'the form field action must be confirm or decline', 'action');
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
    try {
      const ua = request.headers['user-agent'];
      const { page: facts } = await answerConsentByToken(deps, request.params.token, action, { ip: request.ip ?? null, userAgent: typeof ua === 'string' ? ua.slice(0, 500) : null });
      return render(reply, facts);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return notValid(reply);
      throw err;
    }
  });
}
