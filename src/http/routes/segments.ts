// Segments: saved rule sets over contacts, their live counts and previews, and the CSV exports
// (a segment's contacts; a campaign's recorded audience with reasons, F1.2).
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { AppDeps } from '../../app/deps.ts';
import type { CsvExport } from '../../app/segments/export-segment-csv.ts';
import { openSegmentExport } from '../../app/segments/export-segment-csv.ts';
import { openCampaignAudienceExport } from '../../app/segments/export-campaign-audience.ts';
import { deleteSegment } from '../../app/segments/delete-segment.ts';
import { countSegment, previewSegment } from '../../app/segments/match-segment.ts';
import { getSegment, listSegments } from '../../app/segments/read-segments.ts';
import { createSegment, updateSegment } from '../../app/segments/save-segment.ts';
import { idParams, type JsonSchema, pageQuery, type RouteDef } from '../route-def.ts';

// The rule tree is checked by the use case, which names the offending path ("rules.all[2].value").
const rulesSchema: JsonSchema = {
  type: 'object',
  description:
    'A tree of {"all":[…]}, {"any":[…]}, {"not":rule} over conditions: {"attribute":"plan","op":"eq","value":"pro"}, ' +
    '{"field":"email","op":"contains","value":"@example.com"}, {"in_list":3,"status":"subscribed"}, {"reachable":"sms"}, ' +
    '{"engaged":"sent","within_days":30}',
};

const segmentInputProperties: Record<string, JsonSchema> = {
  name: { type: 'string', minLength: 1, maxLength: 200, description: 'unique in the account' },
  description: { type: ['string', 'null'], maxLength: 2000 },
  rules: rulesSchema,
};

const segmentViewSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    description: { type: ['string', 'null'] },
    rules: { type: 'object', additionalProperties: true },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
  },
};

const countSchema: JsonSchema = {
  type: 'object',
  properties: {
    count: { type: 'integer', description: 'contacts the rules match' },
    of: { type: 'integer', description: "contacts the rules were applied to (the account's, or the given lists' members)" },
  },
};

const listIdsSchema: JsonSchema = {
  type: 'array',
  maxItems: 1000,
  items: { type: 'integer', minimum: 1 },
  description: 'count only members (not unsubscribed) of these lists',
};

/** Runs an export into a stream Fastify sends; a slow or vanished reader pauses or stops it. */
export function streamCsv(deps: AppDeps, reply: FastifyReply, csv: CsvExport): PassThrough {
  const out = new PassThrough();
  const write = async (chunk: string) => {
    if (out.destroyed) throw new Error('the client stopped reading the export');
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
  };
  csv.run(write).then(
    () => out.end(),
    (err) => {
      deps.log.error({ err }, 'CSV export failed after it started');
      out.destroy(err as Error);
    },
  );
  reply.header('content-type', 'text/csv; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="${csv.filename}"`);
  return out;
}

export const segmentRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/segments',
    permission: 'contacts:read',
    tag: 'segments',
    summary: 'A page of segments in id order',
    schema: {
      querystring: pageQuery(),
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: segmentViewSchema }, next_after: { type: ['integer', 'null'] } } } },
    },
    handler: ({ deps, actor, query }) => listSegments(deps, actor, query),
  },
  {
    method: 'POST',
    url: '/api/v1/segments',
    permission: 'contacts:write',
    tag: 'segments',
    summary: 'Save a segment (its rules are checked whole; nothing is saved if any part is wrong)',
    successStatus: 201,
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['name', 'rules'], properties: segmentInputProperties },
      response: { 201: segmentViewSchema },
    },
    handler: ({ deps, actor, body }) => createSegment(deps, actor, body),
  },
  {
    method: 'POST',
    url: '/api/v1/segments/count',
    permission: 'contacts:read',
    tag: 'segments',
    summary: 'Count the contacts unsaved rules match right now (live preview while editing)',
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['rules'], properties: { rules: rulesSchema, list_ids: listIdsSchema } },
      response: { 200: countSchema },
    },
    handler: ({ deps, actor, body }) => countSegment(deps, actor, { rules: body.rules, listIds: body.list_ids }),
  },
  {
    method: 'GET',
    url: '/api/v1/segments/:id',
    permission: 'contacts:read',
    tag: 'segments',
    summary: 'One segment',
    schema: { params: idParams, response: { 200: segmentViewSchema } },
    handler: ({ deps, actor, params }) => getSegment(deps, actor, params.id),
  },
  {
    method: 'PUT',
    url: '/api/v1/segments/:id',
    permission: 'contacts:write',
    tag: 'segments',
    summary: 'Change a segment: its name, description or rules (given fields only)',
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, properties: segmentInputProperties },
      response: { 200: segmentViewSchema },
    },
    handler: ({ deps, actor, params, body }) => updateSegment(deps, actor, params.id, body),
  },
  {
    method: 'DELETE',
    url: '/api/v1/segments/:id',
    permission: 'contacts:write',
    tag: 'segments',
    summary: "Delete a segment (refused while a campaign's audience uses it)",
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => deleteSegment(deps, actor, params.id),
  },
  {
    method: 'GET',
    url: '/api/v1/segments/:id/count',
    permission: 'contacts:read',
    tag: 'segments',
    summary: 'Count the contacts a saved segment matches right now',
    schema: {
      params: idParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { list_ids: { ...listIdsSchema, description: 'repeat for several: ?list_ids=1&list_ids=2' } },
      },
      response: { 200: countSchema },
    },
    handler: ({ deps, actor, params, query }) => countSegment(deps, actor, { segmentId: params.id, listIds: query.list_ids }),
  },
  {
    method: 'GET',
    url: '/api/v1/segments/:id/contacts',
    permission: 'contacts:read',
    tag: 'segments',
    summary: 'The first 20 contacts a saved segment matches, in id order (a preview; export for all)',
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => previewSegment(deps, actor, { segmentId: params.id }),
  },
  {
    method: 'GET',
    url: '/api/v1/segments/:id/export.csv',
    permission: 'contacts:read',
    tag: 'segments',
    summary: 'Every contact a saved segment matches as CSV: id, email, phone, first_name, last_name, then one column per attribute',
    schema: { params: idParams },
    handler: async ({ deps, actor, params, reply }) => streamCsv(deps, reply, await openSegmentExport(deps, actor, params.id)),
  },
  {
    method: 'GET',
    url: '/api/v1/campaigns/:id/audience.csv',
    permission: 'contacts:read',
    tag: 'segments',
    summary: "A campaign's audience as its latest delivery recorded it, as CSV: contact_id, email, status, reason, reason_meaning",
    schema: { params: idParams },
    handler: async ({ deps, actor, params, reply }) => streamCsv(deps, reply, await openCampaignAudienceExport(deps, actor, params.id)),
  },
];
