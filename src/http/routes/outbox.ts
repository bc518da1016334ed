// The outbox: what the built-in mail catcher received for this account (GET), and clearing it.
import { clearOutbox } from '../../app/outbox/clear-outbox.ts';
import { getCaughtMessage, getCaughtMessageRaw } from '../../app/outbox/get-caught-message.ts';
import { listCaughtMessages } from '../../app/outbox/list-caught-messages.ts';
import { idParams, type RouteDef } from '../route-def.ts';

export const outboxRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/outbox',
    permission: 'outbox:read',
    tag: 'outbox',
    summary: 'Messages the built-in mail catcher received for this account, newest first (page with ?before=<next_before>)',
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          before: { type: 'integer', minimum: 1, description: 'return messages with id less than this' },
          to: { type: 'string', minLength: 1, maxLength: 320, description: 'only messages to this recipient address' },
          q: { type: 'string', minLength: 1, maxLength: 200, description: 'only messages whose subject contains this text' },
        },
      },
    },
    handler: ({ deps, actor, query }) => listCaughtMessages(deps, actor, query),
  },
  {
    method: 'GET',
    url: '/api/v1/outbox/:id',
    permission: 'outbox:read',
    tag: 'outbox',
    summary: 'One caught message: envelope, headers, text and HTML parts, attachment names and the raw source',
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => getCaughtMessage(deps, actor, params.id),
  },
  {
    method: 'GET',
    url: '/api/v1/outbox/:id/raw',
    permission: 'outbox:read',
    tag: 'outbox',
    summary: 'The raw source of a caught message (message/rfc822, e.g. to open as an .eml file)',
    schema: { params: idParams },
    handler: async ({ deps, actor, params, reply }) => {
      const raw = await getCaughtMessageRaw(deps, actor, params.id);
      reply.type('message/rfc822');
      return raw;
    },
  },
  {
    method: 'DELETE',
    url: '/api/v1/outbox',
    permission: 'settings:write',
    tag: 'outbox',
    summary: "Delete all of this account's caught messages",
    handler: ({ deps, actor }) => clearOutbox(deps, actor),
  },
];
