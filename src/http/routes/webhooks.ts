// Webhooks of an account: outgoing endpoints (Herald posts its events to them, signed with
// Herald-Signature) and the provider webhooks coming in (the secret /hooks/<provider>/<token>
// URL to paste into SendGrid, Mailgun, Postmark or SNS, and how their requests are verified).
import { configureProviderWebhook, deleteProviderWebhook, getProviderWebhook, listProviderWebhooks } from '../../app/webhooks/provider-webhook-settings.ts';
import { createWebhookEndpoint } from '../../app/webhooks/create-webhook-endpoint.ts';
import { deleteWebhookEndpoint } from '../../app/webhooks/delete-webhook-endpoint.ts';
import { getWebhookEndpoint, listWebhookDeliveries, listWebhookEndpoints } from '../../app/webhooks/read-webhook-endpoints.ts';
import { sendTestWebhook } from '../../app/webhooks/send-test-webhook.ts';
import { updateWebhookEndpoint } from '../../app/webhooks/update-webhook-endpoint.ts';
import { MAX_DESCRIPTION } from '../../app/webhooks/webhook-endpoint-input.ts';
import { PROVIDERS } from '../../core/webhooks/provider-event.ts';
import { EVENT_TYPES } from '../../store/schema-events.ts';
import { idParams, type JsonSchema, type RouteDef } from '../route-def.ts';

const nullableString = { type: ['string', 'null'] };
const endpointView: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    url: { type: 'string' },
    events: { type: 'array', items: { type: 'string' } },
    description: nullableString,
    status: { type: 'string', enum: ['active', 'disabled'] },
    disabled_reason: nullableString,
    failure_streak: { type: 'integer' },
    next_attempt_at: nullableString,
    last_success_at: nullableString,
    last_failure_at: nullableString,
    cursor_event_id: { type: 'integer' },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
    secret: { type: 'string', description: 'only when created or rotated: the HMAC key of the Herald-Signature header' },
  },
};
const deliveryView: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    endpoint_id: { type: 'integer' },
    attempted_at: { type: 'string' },
    status_code: { type: ['integer', 'null'] },
    duration_ms: { type: 'integer' },
    ok: { type: 'boolean' },
    error: nullableString,
    first_event_id: { type: ['integer', 'null'] },
    last_event_id: { type: ['integer', 'null'] },
    event_count: { type: 'integer' },
    test: { type: 'boolean' },
  },
};
const events: JsonSchema = { type: 'array', minItems: 1, maxItems: EVENT_TYPES.length, items: { type: 'string', enum: [...EVENT_TYPES] } };
const url: JsonSchema = { type: 'string', minLength: 1, maxLength: 2000, description: 'https:// (http://127.0.0.1 only when the operator sets HERALD_WEBHOOKS_ALLOW_HTTP=1)' };
const description: JsonSchema = { type: ['string', 'null'], maxLength: MAX_DESCRIPTION };

const providerParams: JsonSchema = { type: 'object', required: ['provider'], properties: { provider: { type: 'string', enum: [...PROVIDERS] } } };
const providerView: JsonSchema = {
  type: 'object',
  properties: {
    provider: { type: 'string' },
    url: { type: 'string', description: 'paste this into the provider; the token in it is a secret' },
    verification: { type: 'object', properties: { configured: { type: 'boolean' }, public_key: nullableString, username: nullableString } },
    subscribe_url: { ...nullableString, description: 'SES via SNS: open this URL once to confirm the subscription' },
    topic_arn: nullableString,
    last_received_at: nullableString,
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
  },
};

export const webhookRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/webhooks',
    permission: 'settings:read',
    tag: 'webhooks',
    summary: "The account's outgoing webhook endpoints",
    schema: { response: { 200: { type: 'object', properties: { items: { type: 'array', items: endpointView } } } } },
    handler: ({ deps, actor }) => listWebhookEndpoints(deps, actor),
  },
  {
    method: 'POST',
    url: '/api/v1/webhooks',
    permission: 'settings:write',
    tag: 'webhooks',
    summary: 'Register an endpoint for the given event types; the response carries its signing secret, shown once',
    successStatus: 201,
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['url', 'events'], properties: { url, events, description } },
      response: { 201: endpointView },
    },
    handler: ({ deps, actor, body }) => createWebhookEndpoint(deps, actor, body),
  },
  {
    method: 'GET',
    url: '/api/v1/webhooks/:id',
    permission: 'settings:read',
    tag: 'webhooks',
    summary: 'One endpoint with its state (failure streak, next attempt, why disabled)',
    schema: { params: idParams, response: { 200: endpointView } },
    handler: ({ deps, actor, params }) => getWebhookEndpoint(deps, actor, params.id),
  },
  {
    method: 'PATCH',
    url: '/api/v1/webhooks/:id',
    permission: 'settings:write',
    tag: 'webhooks',
    summary: 'Change an endpoint; enabled:true resumes a disabled one where it stopped; rotate_secret returns a new secret once',
    schema: {
      params: idParams,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { url, events, description, enabled: { type: 'boolean' }, rotate_secret: { type: 'boolean' } },
      },
      response: { 200: endpointView },
    },
    handler: ({ deps, actor, params, body }) => updateWebhookEndpoint(deps, actor, params.id, body),
  },
  {
    method: 'DELETE',
    url: '/api/v1/webhooks/:id',
    permission: 'settings:write',
    tag: 'webhooks',
    summary: 'Delete an endpoint and its delivery log',
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => deleteWebhookEndpoint(deps, actor, params.id),
  },
  {
    method: 'GET',
    url: '/api/v1/webhooks/:id/deliveries',
    permission: 'settings:read',
    tag: 'webhooks',
    summary: 'The delivery log of an endpoint, newest first: time, status, duration, error, event id range',
    schema: {
      params: idParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 }, before: { type: 'integer', minimum: 1 } },
      },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: deliveryView }, next_before: { type: ['integer', 'null'] } } } },
    },
    handler: ({ deps, actor, params, query }) => listWebhookDeliveries(deps, actor, params.id, query),
  },
  {
    method: 'POST',
    url: '/api/v1/webhooks/:id/test',
    permission: 'settings:write',
    tag: 'webhooks',
    summary: 'Send one signed test event now and return the attempt',
    schema: { params: idParams, response: { 200: deliveryView } },
    handler: ({ deps, actor, params }) => sendTestWebhook(deps, actor, params.id),
  },
  {
    method: 'GET',
    url: '/api/v1/provider-webhooks',
    permission: 'settings:read',
    tag: 'webhooks',
    summary: "The account's provider webhook URLs (SendGrid, Mailgun, Postmark, SES via SNS)",
    schema: { response: { 200: { type: 'object', properties: { items: { type: 'array', items: providerView } } } } },
    handler: ({ deps, actor }) => listProviderWebhooks(deps, actor),
  },
  {
    method: 'GET',
    url: '/api/v1/provider-webhooks/:provider',
    permission: 'settings:read',
    tag: 'webhooks',
    summary: "One provider's webhook URL, verification state and (SES) pending SubscribeURL",
    schema: { params: providerParams, response: { 200: providerView } },
    handler: ({ deps, actor, params }) => getProviderWebhook(deps, actor, params.provider),
  },
  {
    method: 'PUT',
    url: '/api/v1/provider-webhooks/:provider',
    permission: 'settings:write',
    tag: 'webhooks',
    summary: 'Create the provider webhook URL (or rotate its token) and set how requests are verified: SendGrid public_key, Postmark username+password, Mailgun signing_key',
    schema: {
      params: providerParams,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          public_key: { type: 'string', maxLength: 4000 },
          username: { type: 'string', maxLength: 200 },
          password: { type: 'string', maxLength: 200 },
          signing_key: { type: 'string', maxLength: 200 },
          rotate_token: { type: 'boolean' },
        },
      },
      response: { 200: providerView },
    },
    handler: ({ deps, actor, params, body }) => configureProviderWebhook(deps, actor, params.provider, body ?? {}),
  },
  {
    method: 'DELETE',
    url: '/api/v1/provider-webhooks/:provider',
    permission: 'settings:write',
    tag: 'webhooks',
    summary: 'Remove a provider webhook: its URL stops working',
    schema: { params: providerParams },
    handler: ({ deps, actor, params }) => deleteProviderWebhook(deps, actor, params.provider),
  },
];
