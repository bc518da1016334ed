// The notification center (F2.1) and email subscriptions (F2.2). Every role holds
// notifications:read; which notifications each principal sees is decided in the use cases (by the
// permission of each notification's kind), as is reading or changing another user's subscription
// (users:manage).
import { countUnreadNotifications } from '../../app/notifications/count-unread-notifications.ts';
import { deleteNotification } from '../../app/notifications/delete-notification.ts';
import { getNotification, listNotifications } from '../../app/notifications/list-notifications.ts';
import { markAllNotificationsRead, markNotificationRead } from '../../app/notifications/mark-notifications-read.ts';
import { readEmailSubscription } from '../../app/notifications/read-email-subscription.ts';
import { setEmailSubscription } from '../../app/notifications/set-email-subscription.ts';
import { NOTIFICATION_KIND_LIST } from '../../core/notification-kinds.ts';
import { type JsonSchema, type RouteDef, idParams } from '../route-def.ts';

const notificationView: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    kind: { type: 'string' },
    severity: { type: 'string', enum: ['info', 'warning', 'error'] },
    title: { type: 'string' },
    body: { type: 'string' },
    data: { type: 'object', additionalProperties: true },
    subject: { type: ['object', 'null'], properties: { type: { type: 'string' }, id: { type: 'integer' } } },
    permission: { type: 'string' },
    created_at: { type: 'string' },
    read: { type: 'boolean', description: 'read by the principal asking' },
    read_at: { type: ['string', 'null'] },
  },
};

const subscriptionView: JsonSchema = {
  type: 'object',
  properties: {
    user_id: { type: 'integer' },
    email: { type: 'string' },
    enabled: { type: 'boolean' },
    kinds: { type: 'array', items: { type: 'string' }, description: 'empty: every kind in available_kinds' },
    available_kinds: { type: 'array', items: { type: 'string' } },
  },
};

const userQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { user_id: { type: 'integer', minimum: 1, description: "another user's subscription (needs users:manage)" } },
};

export const notificationRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/notifications',
    permission: 'notifications:read',
    tag: 'notifications',
    summary: 'The notification center: notifications this principal may see, newest first',
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
          before: { type: 'integer', minimum: 1, description: 'return notifications with an id lower than this' },
          unread: { type: 'boolean', description: 'only those this principal has not read' },
          kind: { type: 'string', enum: [...NOTIFICATION_KIND_LIST] },
          severity: { type: 'string', enum: ['info', 'warning', 'error'] },
        },
      },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: notificationView }, next_before: { type: ['integer', 'null'] } } } },
    },
    handler: ({ deps, actor, query }) => listNotifications(deps, actor, query),
  },
  {
    method: 'GET',
    url: '/api/v1/notifications/unread-count',
    permission: 'notifications:read',
    tag: 'notifications',
    summary: 'How many visible notifications this principal has not read (the badge)',
    schema: {
      response: {
        200: {
          type: 'object',
          properties: {
            unread: { type: 'integer' },
            by_severity: { type: 'object', properties: { error: { type: 'integer' }, warning: { type: 'integer' }, info: { type: 'integer' } } },
          },
        },
      },
    },
    handler: ({ deps, actor }) => countUnreadNotifications(deps, actor),
  },
  {
    method: 'POST',
    url: '/api/v1/notifications/read-all',
    permission: 'notifications:read',
    tag: 'notifications',
    summary: 'Mark every visible notification read (for this principal)',
    schema: { response: { 200: { type: 'object', properties: { marked: { type: 'integer' } } } } },
    handler: ({ deps, actor }) => markAllNotificationsRead(deps, actor),
  },
  {
    method: 'GET',
    url: '/api/v1/notifications/email-subscription',
    permission: 'notifications:read',
    tag: 'notifications',
    summary: "The signed-in user's email subscription to notifications (another user's with ?user_id= and users:manage)",
    schema: { querystring: userQuery, response: { 200: subscriptionView } },
    handler: ({ deps, actor, query }) => readEmailSubscription(deps, actor, { userId: query.user_id }),
  },
  {
    method: 'PUT',
    url: '/api/v1/notifications/email-subscription',
    permission: 'notifications:read',
    tag: 'notifications',
    summary: 'Subscribe to notifications by email: on/off and which kinds (empty: all the user may see)',
    schema: {
      querystring: userQuery,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['enabled'],
        properties: {
          enabled: { type: 'boolean' },
          kinds: { type: 'array', maxItems: 50, items: { type: 'string', enum: [...NOTIFICATION_KIND_LIST] }, description: 'empty: every kind the user may see' },
        },
      },
      response: { 200: subscriptionView },
    },
    handler: ({ deps, actor, query, body }) => setEmailSubscription(deps, actor, body, { userId: query.user_id }),
  },
  {
    method: 'GET',
    url: '/api/v1/notifications/:id',
    permission: 'notifications:read',
    tag: 'notifications',
    summary: 'One notification (the link in its email copy)',
    schema: { params: idParams, response: { 200: notificationView } },
    handler: ({ deps, actor, params }) => getNotification(deps, actor, params.id),
  },
  {
    method: 'POST',
    url: '/api/v1/notifications/:id/read',
    permission: 'notifications:read',
    tag: 'notifications',
    summary: 'Mark one notification read (for this principal)',
    schema: { params: idParams, response: { 200: notificationView } },
    handler: ({ deps, actor, params }) => markNotificationRead(deps, actor, params.id),
  },
  {
    method: 'DELETE',
    url: '/api/v1/notifications/:id',
    permission: 'notifications:read',
    tag: 'notifications',
    summary: "Delete a notification from this principal's center (others still see it)",
    successStatus: 204,
    schema: { params: idParams },
    handler: async ({ deps, actor, params, reply }) => {
      await deleteNotification(deps, actor, params.id);
      return reply.status(204).send();
    },
  },
];
