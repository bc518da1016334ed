// Who is calling: an API key ("Authorization: Bearer hk_…"), a session token ("Bearer hs_…", for
// scripts and the dashboard) or the session cookie. A cookie is sent by the browser on its own,
// so a write signed only by the cookie must also carry "X-Herald-Client: dashboard": a header that
// another site's form or image cannot add (and a cross-site fetch could only add after a CORS
// preflight, which Herald does not grant).
import type { FastifyRequest } from 'fastify';
import { authenticateApiKey } from '../app/accounts/api-keys.ts';
import { authenticateSession } from '../app/auth/authenticate-session.ts';
import type { Actor, AppDeps } from '../app/deps.ts';
import { AppError } from '../app/errors.ts';
import { readSessionCookie, SESSION_COOKIE } from './session-cookie.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The session the request is signed in with (null for API keys). */
    sessionId: number | null;
  }
}

export const CLIENT_HEADER = 'x-herald-client';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface RequestAuth {
  actor: Actor;
  sessionId: number | null;
}

/** The request's session token, from the Bearer header or the cookie, with whether it came by cookie. */
export function presentedSessionToken(request: FastifyRequest): { token: string; byCookie: boolean } | null {
  const m = /^Bearer\s+(hs_\S+)$/i.exec(request.headers.authorization ?? '');
  if (m) return { token: m[1], byCookie: false };
  const cookie = readSessionCookie(request);
  return cookie ? { token: cookie, byCookie: true } : null;
}

/** Refuses a cookie-signed write without the dashboard's header. */
export function requireClientHeader(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method)) return;
  if (request.headers[CLIENT_HEADER] === 'dashboard') return;
  throw new AppError(
    'forbidden',
    `a ${request.method} signed in by the ${SESSION_COOKIE} cookie must send the header "X-Herald-Client: dashboard" (protection against cross-site requests)`,
    'x-herald-client',
  );
}

export async function authenticateRequest(deps: AppDeps, request: FastifyRequest): Promise<RequestAuth> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new AppError('unauthorized', 'send "Authorization: Bearer <API key or session token>"', 'authorization');
    if (m[1].startsWith('hs_')) {
      const session = await authenticateSession(deps, m[1]);
      if (!session) throw new AppError('unauthorized', 'the session has expired or was ended; sign in again (POST /api/v1/auth/login)', 'authorization');
      return { actor: session.actor, sessionId: session.sessionId };
    }
    const actor = await authenticateApiKey(deps, m[1]);
    if (!actor) throw new AppError('unauthorized', 'the API key is unknown or revoked', 'authorization');
    return { actor, sessionId: null };
  }
  const cookie = readSessionCookie(request);
  if (cookie !== null) {
    requireClientHeader(request);
    const session = await authenticateSession(deps, cookie);
    if (!session) throw new AppError('unauthorized', 'the session has expired or was ended; sign in again', SESSION_COOKIE);
    return { actor: session.actor, sessionId: session.sessionId };
  }
  throw new AppError(
    'unauthorized',
    'send "Authorization: Bearer <API key or session token>", or sign in (POST /api/v1/auth/login)',
    'authorization',
  );
}
