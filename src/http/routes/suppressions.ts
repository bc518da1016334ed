// Suppressions (the blocklist, hard bounces, complaints, global unsubscribes; per channel) and the
// account's audit log. Removal keeps the row: DELETE sets removed_at and writes an audit line.
import { listAudit } from '../../app/audit/list-audit.ts';
import { addSuppression } from '../../app/suppressions/add-suppression.ts';
import { bulkAddSuppressions, MAX_BULK_ADDRESSES } from '../../app/suppressions/bulk-add-suppressions.ts';
import { getSuppression, listSuppressions } from '../../app/suppressions/read-suppressions.ts';
import { removeSuppression } from '../../app/suppressions/remove-suppression.ts';
import { MAX_NOTE } from '../../app/suppressions/suppression-input.ts';
import { CHANNELS } from '../../core/channels.ts';
import { SUPPRESSION_REASONS } from '../../core/suppression-reason.ts';
import { idParams, type JsonSchema, pageQuery, type RouteDef } from '../route-def.ts';

const channel: JsonSchema = { type: 'string', enum: [...CHANNELS], description: 'an email suppression never blocks SMS to the same contact' };
const reason: JsonSchema = { type: 'string', enum: [...SUPPRESSION_REASONS] };
const note: JsonSchema = { type: ['string', 'null'], maxLength: MAX_NOTE };
const expiresAt: JsonSchema = {
  type: ['string', 'null'],
  maxLength: 40,
  description: 'ISO 8601 date-time with a zone; from then on the entry no longer suppresses (default: never)',
};

const suppressionView: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    channel: { type: 'string' },
    address: { type: 'string' },
    reason: { type: 'string' },
    source: { type: 'string' },
    note: { type: ['string', 'null'] },
    created_at: { type: 'string' },
    expires_at: { type: ['string', 'null'] },
    removed_at: { type: ['string', 'null'] },
    state: { type: 'string', enum: ['active', 'expired', 'removed'] },
  },
};

export const suppressionRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/suppressions',
    permission: 'contacts:read',
    tag: 'suppressions',
    summary: 'A page of suppressions in id order; only entries in force unless include_inactive',
    schema: {
      querystring: pageQuery({
        channel,
        reason,
        q: { type: 'string', maxLength: 320, description: 'part of the address' },
        include_inactive: { type: 'boolean', default: false, description: 'also removed and expired entries' },
      }),
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: suppressionView }, next_after: { type: ['integer', 'null'] } } } },
    },
    handler: ({ deps, actor, query }) => listSuppressions(deps, actor, query),
  },
  {
    method: 'POST',
    url: '/api/v1/suppressions',
    permission: 'contacts:write',
    tag: 'suppressions',
    summary: 'Suppress one address on one channel (the blocklist unless another reason is given); audited',
    successStatus: 201,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['channel', 'address'],
        properties: {
          channel,
          address: { type: 'string', minLength: 1, maxLength: 320, description: 'normalized: lower-case email, E.164 phone' },
          reason: { ...reason, default: 'blocklist' },
          note,
          expires_at: expiresAt,
        },
      },
      response: { 201: suppressionView },
    },
    handler: ({ deps, actor, body }) => addSuppression(deps, actor, body),
  },
  {
    method: 'POST',
    url: '/api/v1/suppressions/bulk',
    permission: 'contacts:write',
    tag: 'suppressions',
    summary: `Suppress up to ${MAX_BULK_ADDRESSES} addresses of one channel; all or nothing (a bad address is named as addresses[i])`,
    // 10,000 addresses of up to 320 characters.
    bodyLimit: 4 * 1024 * 1024,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['channel', 'addresses'],
        properties: {
          channel,
          addresses: { type: 'array', minItems: 1, maxItems: MAX_BULK_ADDRESSES, items: { type: 'string', maxLength: 320 } },
          reason: { ...reason, default: 'blocklist' },
          note,
          expires_at: expiresAt,
        },
      },
      response: { 200: { type: 'object', properties: { added: { type: 'integer' }, unchanged: { type: 'integer' } } } },
    },
    handler: ({ deps, actor, body }) => bulkAddSuppressions(deps, actor, body),
  },
  {
    method: 'GET',
    url: '/api/v1/suppressions/:id',
    permission: 'contacts:read',
    tag: 'suppressions',
    summary: 'One suppression, also when removed or expired',
    schema: { params: idParams, response: { 200: suppressionView } },
    handler: ({ deps, actor, params }) => getSuppression(deps, actor, params.id),
  },
  {
    method: 'DELETE',
    url: '/api/v1/suppressions/:id',
    permission: 'contacts:write',
    tag: 'suppressions',
    summary: 'Remove a suppression: it stops suppressing, the row stays with removed_at; audited',
    schema: { params: idParams, response: { 200: suppressionView } },
    handler: ({ deps, actor, params }) => removeSuppression(deps, actor, params.id),
  },
  {
    method: 'GET',
    url: '/api/v1/audit-log',
    permission: 'audit:read',
    tag: 'audit',
    summary: 'A page of the account audit log in id order; action filters by name ("suppression.add") or prefix ("suppression.")',
    schema: {
      querystring: pageQuery({ action: { type: 'string', minLength: 1, maxLength: 100 } }),
      response: {
        200: {
          type: 'object',
          properties: {
            items: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'integer' },
                  actor: { type: 'string' },
                  action: { type: 'string' },
                  subject: { type: 'string' },
                  data: { type: 'object', additionalProperties: true },
                  created_at: { type: 'string' },
                },
              },
            },
            next_after: { type: ['integer', 'null'] },
          },
        },
      },
    },
    handler: ({ deps, actor, query }) => listAudit(deps, actor, query),
  },
];
