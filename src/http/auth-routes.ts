// Sign-in and sign-out: the only API routes reached without credentials (besides recipients'
// links). Login answers the token and sets the session cookie; logout revokes the session it is
// given (Bearer token or cookie) and clears the cookie either way.
import type { FastifyInstance } from 'fastify';
import { login } from '../app/auth/login.ts';
import { logout } from '../app/auth/logout.ts';
import { SESSION_ABSOLUTE_CAP_MS } from '../core/session-lifetime.ts';
import type { AppDeps } from '../app/deps.ts';
import { AppError } from '../app/errors.ts';
import { presentedSessionToken, requireClientHeader } from './request-actor.ts';
import { clearSessionCookie, setSessionCookie } from './session-cookie.ts';

export function registerAuthRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post<{ Body: { email: string; password: string } }>(
    '/api/v1/auth/login',
    {
      schema: {
        summary: 'Sign in with email and password: a session token (also set as the herald_session cookie)',
        tags: ['auth'],
        security: [],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['email', 'password'],
          properties: { email: { type: 'string', minLength: 1, maxLength: 320 }, password: { type: 'string', minLength: 1, maxLength: 1000 } },
        },
      },
    },
    async (request, reply) => {
      try {
        const result = await login(deps, request.body);
        // The cookie lives until the absolute cap: the session slides on the server, and a cookie
        // that ended with the first expiry would sign out someone who is still working.
        setSessionCookie(deps, reply, result.token, new Date(deps.clock.now().getTime() + SESSION_ABSOLUTE_CAP_MS));
        return result;
      } catch (err) {
        if (err instanceof AppError && err.code === 'too_many_requests') {
          reply.header('retry-after', String((err.details as { retry_after_seconds: number }).retry_after_seconds));
        }
        throw err;
      }
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { summary: 'Sign out: revokes the session (Bearer hs_… or the cookie) and clears the cookie', tags: ['auth'], security: [] } },
    async (request, reply) => {
      const presented = presentedSessionToken(request);
      if (presented?.byCookie) requireClientHeader(request);
      const { revoked } = presented ? await logout(deps, presented.token) : { revoked: false };
      clearSessionCookie(deps, reply);
      return { ok: true, revoked };
    },
  );
}
