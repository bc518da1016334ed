// One-off messages (F0.8): send one message to one contact, read its fate, list a contact's; and
// the verification of personal links for the customer's own app.
import { listMessages, getMessage } from '../../app/messages/read-messages.ts';
import { sendMessage } from '../../app/messages/send-message.ts';
import { verifyPersonalLink } from '../../app/messages/verify-personal-link.ts';
import { type JsonSchema, type RouteDef, idParams } from '../route-def.ts';

const email: JsonSchema = { type: 'string', minLength: 1, maxLength: 254 };

const messageSummary: Record<string, JsonSchema> = {
  id: { type: 'integer' },
  campaign_id: { type: 'integer' },
  delivery_id: { type: 'integer' },
  contact_id: { type: 'integer' },
  transactional: { type: 'boolean' },
  name: { type: 'string' },
  from_email: { type: ['string', 'null'] },
  status: { type: 'string', description: 'the ledger status, or pending before the worker prepared the message' },
  delivery_status: { type: 'string' },
  reason: { type: ['string', 'null'] },
  meaning: { type: ['string', 'null'] },
  address: { type: ['string', 'null'] },
  response: { type: ['string', 'null'], description: "the receiving server's reply" },
  sent_at: { type: ['string', 'null'] },
  idempotency_key: { type: ['string', 'null'] },
  created_by: { type: 'string' },
  created_at: { type: 'string' },
};

const messageView: JsonSchema = {
  type: 'object',
  properties: {
    ...messageSummary,
    contact: { type: ['object', 'null'], additionalProperties: true },
    attempts: { type: 'integer' },
    possible_duplicate: { type: 'boolean' },
    next_attempt_at: { type: ['string', 'null'] },
    events: { type: 'array', items: { type: 'object', additionalProperties: true } },
    why: { type: ['object', 'null'], additionalProperties: true },
    warnings: { type: 'array', items: { type: 'object', additionalProperties: true } },
    replayed: { type: 'boolean' },
  },
};

export const messageRoutes: RouteDef[] = [
  {
    method: 'POST',
    url: '/api/v1/messages',
    permission: 'messages:send',
    tag: 'messages',
    summary: 'Send one message to one contact, from a template or written on the spot',
    successStatus: 201,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['contact'],
        properties: {
          contact: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            maxProperties: 1,
            description: 'exactly one of id, email, phone',
            properties: { id: { type: 'integer', minimum: 1 }, email, phone: { type: 'string', minLength: 1, maxLength: 40 } },
          },
          create_contact: { type: 'boolean', description: 'with contact.email: create the contact when it does not exist' },
          template_id: { type: 'integer', minimum: 1 },
          content: {
            type: 'object',
            additionalProperties: false,
            required: ['subject'],
            description: 'subject and exactly one of html, mjml, text (Liquid allowed)',
            properties: {
              subject: { type: 'string', maxLength: 998 },
              html: { type: 'string', maxLength: 524288 },
              mjml: { type: 'string', maxLength: 524288 },
              text: { type: 'string', maxLength: 524288 },
            },
          },
          from_email: email,
          from_name: { type: 'string', maxLength: 200 },
          reply_to: email,
          transactional: { type: 'boolean', description: 'passes marketing suppressions and quiet hours; never a hard bounce or the blocklist' },
          data: { type: 'object', additionalProperties: true, description: 'what the template sees as {{ data.* }}' },
          idempotency_key: { type: 'string', minLength: 1, maxLength: 200, description: 'the same key again returns the same message' },
        },
      },
      response: { 200: messageView, 201: messageView },
    },
    // 201 for a new message; 200 when the idempotency key returned an earlier one (replayed)
    handler: async ({ deps, actor, body, reply }) => {
      const message = await sendMessage(deps, actor, body);
      return reply.status(message.replayed ? 200 : 201).send(message);
    },
  },
  {
    method: 'GET',
    url: '/api/v1/messages',
    permission: 'campaigns:read',
    tag: 'messages',
    summary: 'List one-off messages, newest first',
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          contact_id: { type: 'integer', minimum: 1 },
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          before: { type: 'integer', minimum: 1, description: 'return messages with an id lower than this' },
        },
      },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: messageSummary } }, next_before: { type: ['integer', 'null'] } } } },
    },
    handler: ({ deps, actor, query }) => listMessages(deps, actor, { limit: query.limit, before: query.before, contactId: query.contact_id }),
  },
  {
    method: 'GET',
    url: '/api/v1/messages/:id',
    permission: 'campaigns:read',
    tag: 'messages',
    summary: "A message's fate: status, reason and its meaning, the server's reply, events, and why",
    schema: { params: idParams, response: { 200: messageView } },
    handler: ({ deps, actor, params }) => getMessage(deps, actor, params.id),
  },
  {
    method: 'POST',
    url: '/api/v1/personal-links/verify',
    permission: 'contacts:read',
    tag: 'messages',
    summary: 'Verify a personal link (token or the whole URL): the contact it names, its expiry and purpose',
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          token: { type: 'string', minLength: 1, maxLength: 200 },
          url: { type: 'string', minLength: 1, maxLength: 4000 },
          purpose: { type: 'string', minLength: 1, maxLength: 32, description: 'refuse a link made for another purpose' },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: { contact: { type: 'object', additionalProperties: true }, expires_at: { type: 'string' }, purpose: { type: 'string' } },
        },
      },
    },
    handler: ({ deps, actor, body }) => verifyPersonalLink(deps, actor, body),
  },
];
