// Double opt-in confirmation requests: who was asked to confirm which list, when the email went
// out, and what they answered with the evidence; and asking again after an expiry or a decline.
import { reRequestConsent } from '../../app/consent/request-consent.ts';
import { getConsentRequest, listConsentRequests } from '../../app/consent/read-consent-requests.ts';
import { CONSENT_REQUEST_STATUSES } from '../../core/consent-answer.ts';
import { idParams, type JsonSchema, pageQuery, type RouteDef } from '../route-def.ts';

const nullableString = { type: ['string', 'null'] };

const consentRequestSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    contact_id: { type: 'integer' },
    email: nullableString,
    list_id: { type: 'integer' },
    list_name: { type: 'string' },
    status: { type: 'string', enum: [...CONSENT_REQUEST_STATUSES] },
    requested_at: { type: 'string' },
    expires_at: { type: 'string' },
    sent_at: { ...nullableString, description: 'when the confirmation email was handed off; null: not yet' },
    send_attempts: { type: 'integer' },
    last_response: { ...nullableString, description: "the mail server's last reply to the confirmation email" },
    confirmed_at: nullableString,
    declined_at: nullableString,
    source: nullableString,
    evidence: {
      type: ['object', 'null'],
      description: 'captured with the answer (GET /consent-requests/:id only)',
      properties: { ip: nullableString, user_agent: nullableString, time: { type: 'string' }, source: { type: 'string' } },
    },
  },
};

export const consentRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/consent-requests',
    permission: 'lists:read',
    tag: 'consent',
    summary: 'A page of double opt-in confirmation requests in id order',
    schema: {
      querystring: pageQuery({
        status: { type: 'string', enum: [...CONSENT_REQUEST_STATUSES] },
        list_id: { type: 'integer', minimum: 1 },
        contact_id: { type: 'integer', minimum: 1 },
      }),
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: consentRequestSchema }, next_after: { type: ['integer', 'null'] } } } },
    },
    handler: ({ deps, actor, query }) => listConsentRequests(deps, actor, query),
  },
  {
    method: 'GET',
    url: '/api/v1/consent-requests/:id',
    permission: 'lists:read',
    tag: 'consent',
    summary: 'One confirmation request with the evidence of its answer (ip, user agent, time)',
    schema: { params: idParams, response: { 200: consentRequestSchema } },
    handler: ({ deps, actor, params }) => getConsentRequest(deps, actor, params.id),
  },
  {
    method: 'POST',
    url: '/api/v1/consent-requests',
    permission: 'lists:write',
    tag: 'consent',
    summary: 'Ask an "unconfirmed" subscriber again to confirm (when no request is pending, e.g. the last one expired or was declined)',
    successStatus: 201,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['contact_id', 'list_id'],
        properties: { contact_id: { type: 'integer', minimum: 1 }, list_id: { type: 'integer', minimum: 1 } },
      },
      response: { 201: consentRequestSchema },
    },
    handler: ({ deps, actor, body }) => reRequestConsent(deps, actor, body),
  },
];
