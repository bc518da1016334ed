// POST /hooks/<provider>/<token>: events from the email providers an account sends through
// (SendGrid, Mailgun, Postmark, SES via SNS). Public: authenticated by each provider's signature
// or credentials and by the account's secret token in the path, never by API keys. Bodies are
// read as raw text, because the signatures are over the exact bytes. A refusal is logged and
// answered 401 (signature), 400 (payload) or 404 (token); providers retry on 5xx only.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app/deps.ts';
import { AppError } from '../app/errors.ts';
import { receiveProviderWebhook } from '../app/webhooks/receive-provider-webhook.ts';

/** SendGrid posts up to a few thousand events per request. */
const BODY_LIMIT = 5 * 1024 * 1024;

const STATUS: Partial<Record<AppError['code'], number>> = { unauthorized: 401, invalid_input: 400, not_found: 404 };

export function registerProviderWebhookRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));

    scope.post<{ Params: { provider: string; token: string } }>('/hooks/:provider/:token', { schema: { hide: true }, bodyLimit: BODY_LIMIT }, async (request, reply) => {
      const { provider, token } = request.params;
      const rawBody = typeof request.body === 'string' ? request.body : '';
      try {
        const result = await receiveProviderWebhook(deps, provider, token, { headers: request.headers, rawBody });
        return { ok: true, ...result };
      } catch (err) {
        if (err instanceof AppError && STATUS[err.code]) {
          // The token is a secret: never logged in full.
          deps.log.warn({ provider, token: `${token.slice(0, 4)}…`, code: err.code, problem: err.message, ip: request.ip }, 'provider webhook refused');
          reply.status(STATUS[err.code]!);
          return { error: { code: err.code, message: err.message, field: err.field } };
        }
        throw err;
      }
    });
  });
}
