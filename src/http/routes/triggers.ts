// Triggers (F0.1, F0.7, E6): declared event types, events in (with an idempotency key), what an
// entity's events did, a campaign's trigger, and catch-up for entities already in the trigger state.
import { declareEventType, listEventTypes, removeEventType } from '../../app/triggers/event-types.ts';
import { getEntity, listEvents } from '../../app/triggers/read-events.ts';
import { MAX_EVENT_CONTACTS, recordEvent } from '../../app/triggers/record-event.ts';
import { getTrigger, removeTrigger, setTrigger } from '../../app/triggers/set-trigger.ts';
import { listCatchUp, sendCatchUp } from '../../app/triggers/catch-up.ts';
import { type JsonSchema, type RouteDef, idParams } from '../route-def.ts';

const eventTypeName: JsonSchema = { type: 'string', minLength: 1, maxLength: 100 };

const eventBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'entity'],
  properties: {
    type: { ...eventTypeName, description: 'a declared event type, e.g. "job.status_changed"' },
    entity: { type: 'string', minLength: 1, maxLength: 200, description: 'what the event is about, e.g. "job-42"' },
    data: { type: 'object', additionalProperties: true, description: 'seen by conditions (data.status) and templates ({{ event.data.status }})' },
    contacts: {
      type: 'array',
      maxItems: MAX_EVENT_CONTACTS,
      items: { type: 'object', additionalProperties: true },
      description: '[{"id":7}] for known contacts, or contact fields ({"email","first_name","attributes"} or {"phone"}) to upsert',
    },
    idempotency_key: { type: 'string', minLength: 1, maxLength: 200, description: 'or the Idempotency-Key header; a retry with the same key sends nothing twice' },
    occurred_at: { type: 'string', format: 'date-time' },
  },
};

const triggerBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['event_type'],
  properties: {
    event_type: eventTypeName,
    condition: { type: ['object', 'null'], description: '{"all":[{"field":"data.status","op":"eq","value":"for_sale"}]}; ops eq ne in not_in exists not_exists gt gte lt lte contains; all any not' },
    delay_minutes: { type: 'number', minimum: 0 },
    catch_up: { type: 'string', enum: ['send', 'list'], description: 'entities already in the trigger state at launch: sent to (send) or listed for review (list, default)' },
  },
};

export const triggerRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/event-types',
    permission: 'campaigns:read',
    tag: 'triggers',
    summary: 'Declared event types, with the campaigns whose trigger uses each',
    handler: async ({ deps, actor }) => ({ items: await listEventTypes(deps, actor) }),
  },
  {
    method: 'POST',
    url: '/api/v1/event-types',
    permission: 'settings:write',
    tag: 'triggers',
    summary: 'Declare an event type (events of undeclared types are refused)',
    successStatus: 201,
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: eventTypeName, description: { type: ['string', 'null'], maxLength: 500 } } },
    },
    handler: ({ deps, actor, body }) => declareEventType(deps, actor, body),
  },
  {
    method: 'DELETE',
    url: '/api/v1/event-types/:id',
    permission: 'settings:write',
    tag: 'triggers',
    summary: 'Remove an event type (refused while a campaign uses it)',
    successStatus: 204,
    schema: { params: idParams },
    handler: async ({ deps, actor, params, reply }) => {
      await removeEventType(deps, actor, params.id);
      return reply.status(204).send();
    },
  },
  {
    method: 'POST',
    url: '/api/v1/events',
    permission: 'events:write',
    tag: 'triggers',
    summary: 'An event: stored once per idempotency key; fires the matching triggered campaigns once per entity and contact',
    schema: { body: eventBody },
    handler: async ({ deps, actor, body, request, reply }) => {
      const header = request.headers['idempotency-key'];
      const result = await recordEvent(deps, actor, body, Array.isArray(header) ? header[0] : header);
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  },
  {
    method: 'GET',
    url: '/api/v1/events',
    permission: 'campaigns:read',
    tag: 'triggers',
    summary: 'Recent events, newest first; filter by entity or type',
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          entity: { type: 'string', minLength: 1, maxLength: 200 },
          type: eventTypeName,
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          before: { type: 'integer', minimum: 1 },
        },
      },
    },
    handler: ({ deps, actor, query }) => listEvents(deps, actor, query),
  },
  {
    method: 'GET',
    url: '/api/v1/entities/:entity',
    permission: 'campaigns:read',
    tag: 'triggers',
    summary: "An entity's latest state per event type, its events, and every firing with the message it became",
    schema: { params: { type: 'object', required: ['entity'], properties: { entity: { type: 'string', minLength: 1, maxLength: 200 } } } },
    handler: ({ deps, actor, params }) => getEntity(deps, actor, params.entity),
  },
  {
    method: 'PUT',
    url: '/api/v1/campaigns/:id/trigger',
    permission: 'campaigns:write',
    tag: 'triggers',
    summary: 'Make a draft campaign triggered by an event type (condition, delay, catch-up)',
    schema: { params: idParams, body: triggerBody },
    handler: ({ deps, actor, params, body }) => setTrigger(deps, actor, params.id, body),
  },
  {
    method: 'GET',
    url: '/api/v1/campaigns/:id/trigger',
    permission: 'campaigns:read',
    tag: 'triggers',
    summary: "A triggered campaign's trigger",
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => getTrigger(deps, actor, params.id),
  },
  {
    method: 'DELETE',
    url: '/api/v1/campaigns/:id/trigger',
    permission: 'campaigns:write',
    tag: 'triggers',
    summary: 'Remove the trigger of a draft (it becomes a one-off draft again)',
    successStatus: 204,
    schema: { params: idParams },
    handler: async ({ deps, actor, params, reply }) => {
      await removeTrigger(deps, actor, params.id);
      return reply.status(204).send();
    },
  },
  {
    method: 'GET',
    url: '/api/v1/campaigns/:id/catch-up',
    permission: 'campaigns:read',
    tag: 'triggers',
    summary: 'Entities already in the trigger state: contacts, and whether the campaign already fired for them',
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => listCatchUp(deps, actor, params.id),
  },
  {
    method: 'POST',
    url: '/api/v1/campaigns/:id/catch-up',
    permission: 'deliveries:start',
    tag: 'triggers',
    summary: 'Send to the entities already in the trigger state (never twice to a contact for an entity)',
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => sendCatchUp(deps, actor, params.id),
  },
];
