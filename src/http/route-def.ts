// One route = one entry: method, path, the permission it needs, its JSON schemas and a handler.
// src/http/route-table.ts collects them all; src/http/server.ts registers them, checks the
// permission before the handler runs, and publishes the schemas as OpenAPI.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor, AppDeps } from '../app/deps.ts';
import type { Permission } from '../app/permissions.ts';

export type JsonSchema = Record<string, unknown>;

export interface RouteContext<B = unknown, Q = unknown, P = unknown> {
  actor: Actor;
  deps: AppDeps;
  body: B;
  query: Q;
  params: P;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path, e.g. "/api/v1/lists/:id". */
  url: string;
  permission: Permission;
  summary: string;
  tag: string;
  schema?: {
    body?: JsonSchema;
    querystring?: JsonSchema;
    params?: JsonSchema;
    response?: Record<number, JsonSchema>;
  };
  /** Status for a successful response (default 200). */
  successStatus?: number;
  /** Raw request bodies this route accepts besides JSON (e.g. "text/csv"): the handler gets the stream. */
  rawContentTypes?: string[];
  /** Larger body limit in bytes for bulk routes. */
  bodyLimit?: number;
  // biome-ignore lint/suspicious/noExplicitAny: each route narrows its own body/query/params
  handler: (ctx: RouteContext<any, any, any>) => Promise<unknown>;
}

/** `{ id }` path parameter schema, shared by every route on one resource. */
export const idParams: JsonSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1 } },
};

/** Standard pagination query: `?limit=&after=` (keyset on id). */
export const pageQuery = (extra: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    after: { type: 'integer', minimum: 0, description: 'return rows with id greater than this' },
    ...extra,
  },
});
