// The HTTP edge: Fastify with JSON-schema validation, authentication (API key, session token or
// session cookie: request-actor.ts), one permission check per route, the error table, and the
// OpenAPI document built from the same route table.
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Actor, AppDeps } from '../app/deps.ts';
import { AppError } from '../app/errors.ts';
import { roleHas, rolesWith } from '../app/permissions.ts';
import { registerAuthRoutes } from './auth-routes.ts';
import { toErrorResponse } from './error-response.ts';
import { authenticateRequest } from './request-actor.ts';
import { registerConsentPublicRoutes } from './consent-public-routes.ts';
import { registerDashboard } from './dashboard-static.ts';
import { registerProviderWebhookRoutes } from './provider-webhook-routes.ts';
import { registerPublicRoutes } from './public-routes.ts';
import { registerTrackingPublicRoutes } from './tracking-public-routes.ts';
import { createTrackingRecorder, type TrackingRecorder } from '../app/tracking/tracking-recorder.ts';
import type { RouteDef } from './route-def.ts';
import { buildRouteTable } from './route-table.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        field: { type: ['string', 'null'] },
        details: {},
      },
    },
  },
};

export interface BuildServerOptions {
  /** Extra routes (tests). */
  routes?: RouteDef[];
  /** The open/click event recorder (benchmarks read its counters); one is made when absent. */
  trackingRecorder?: TrackingRecorder;
}

export async function buildServer(deps: AppDeps, options: BuildServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    ajv: {
      customOptions: {
        // Unknown fields are an error the caller should hear about, not something to drop.
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        allErrors: false,
      },
    },
  });
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Herald API',
        version: '1',
        description:
          'Campaign delivery that never fails silently. Authenticate with `Authorization: Bearer <api key or session token>` (sign in: POST /api/v1/auth/login).',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
  });

  app.setErrorHandler((err, request, reply) => {
    const { status, body } = toErrorResponse(err);
    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.debug({ err: body.error }, 'request rejected');
    reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url}`, field: null } });
  });

  // Raw bodies (CSV uploads) reach the handler as the request stream, so a large import is
  // parsed while it arrives instead of being buffered.
  app.addContentTypeParser(['text/csv', 'application/csv', 'text/plain', 'application/octet-stream'], (_req, payload, done) =>
    done(null, payload),
  );
  // An action without a body (POST …/pause) sent by a client that always says
  // "content-type: application/json" is not an error; Fastify's parser refuses the empty body.
  // Anything else goes through Fastify's own parser (with its prototype-poisoning checks).
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    return jsonParser(request, text, done);
  });

  const routes = [...buildRouteTable(), ...(options.routes ?? [])];
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      bodyLimit: route.bodyLimit,
      schema: {
        summary: route.summary,
        tags: [route.tag],
        ...route.schema,
        response: route.schema?.response ? { ...route.schema.response, '4xx': errorSchema } : undefined,
        description: `Requires permission \`${route.permission}\`.`,
      },
      onRequest: async (request) => {
        const { actor, sessionId } = await authenticateRequest(deps, request);
        if (!roleHas(actor.role, route.permission)) {
          throw new AppError(
            'forbidden',
            `this needs the permission ${route.permission}, held by the roles ${rolesWith(route.permission).join(', ')}; you have the role ${actor.role}`,
            null,
            { permission: route.permission, roles: rolesWith(route.permission) },
          );
        }
        request.actor = actor;
        request.sessionId = sessionId;
      },
      handler: async (request, reply) => {
        const result = await route.handler({
          actor: request.actor!,
          deps,
          body: request.body,
          query: request.query,
          params: request.params,
          request,
          reply,
        });
        if (reply.sent) return reply;
        reply.status(route.successStatus ?? 200);
        return result ?? { ok: true };
      },
    });
  }

  registerPublicRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerConsentPublicRoutes(app, deps);
  registerProviderWebhookRoutes(app, deps);
  // Opens and clicks: answered from memory, written in batches (on SQLite by a worker thread);
  // closing the server flushes them.
  registerTrackingPublicRoutes(app, deps, options.trackingRecorder ?? createTrackingRecorder(deps));
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  await registerDashboard(app);
  return app;
}
