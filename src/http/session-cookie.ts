// The dashboard's session cookie "herald_session": HttpOnly (scripts cannot read it), SameSite=Strict
// (other sites' pages do not send it), Secure when Herald is served over https. Cookie-signed
// writes must also carry "X-Herald-Client: dashboard" (see request-actor.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app/deps.ts';

export const SESSION_COOKIE = 'herald_session';

export function readSessionCookie(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

function attributes(deps: AppDeps, maxAgeSeconds: number): string {
  const secure = deps.config.publicUrl.startsWith('https:') ? '; Secure' : '';
  return `Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

/** The server decides when the session ends; the cookie only has to outlive it. */
export function setSessionCookie(deps: AppDeps, reply: FastifyReply, token: string, expiresAt: Date): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - deps.clock.now().getTime()) / 1000));
  reply.header('set-cookie', `${SESSION_COOKIE}=${token}; ${attributes(deps, maxAge)}`);
}

export function clearSessionCookie(deps: AppDeps, reply: FastifyReply): void {
  reply.header('set-cookie', `${SESSION_COOKIE}=; ${attributes(deps, 0)}`);
}
