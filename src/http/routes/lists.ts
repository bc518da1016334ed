// Lists and subscriptions: the lists of an account with their counts per consent state, their
// members, and explicit subscribe/unsubscribe.
import { deleteList } from '../../app/lists/delete-list.ts';
import { listMembers } from '../../app/lists/list-members.ts';
import { getList, listLists } from '../../app/lists/read-lists.ts';
import { createList, updateList } from '../../app/lists/save-list.ts';
import { setSubscriptions, unsubscribeContact } from '../../app/lists/set-subscriptions.ts';
import { LIST_OPT_INS, SUBSCRIPTION_STATUSES } from '../../app/lists/subscription-status.ts';
import { idParams, type JsonSchema, pageQuery, type RouteDef } from '../route-def.ts';

const listInputProperties: Record<string, JsonSchema> = {
  name: { type: 'string', minLength: 1, maxLength: 200, description: 'unique in the account' },
  description: { type: ['string', 'null'], maxLength: 2000 },
  opt_in: { type: 'string', enum: [...LIST_OPT_INS], description: 'double: new subscribers are "unconfirmed" until they confirm' },
};

const listViewSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    description: { type: ['string', 'null'] },
    opt_in: { type: 'string' },
    counts: {
      type: 'object',
      properties: {
        subscribed: { type: 'integer' },
        unconfirmed: { type: 'integer' },
        unsubscribed: { type: 'integer' },
        total: { type: 'integer' },
      },
    },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
  },
};

const memberSchema: JsonSchema = {
  type: 'object',
  properties: {
    contact_id: { type: 'integer' },
    email: { type: ['string', 'null'] },
    phone: { type: ['string', 'null'] },
    first_name: { type: ['string', 'null'] },
    last_name: { type: ['string', 'null'] },
    status: { type: 'string' },
    source: { type: ['string', 'null'] },
    subscribed_at: { type: 'string' },
    updated_at: { type: 'string' },
  },
};

const listContactParams: JsonSchema = {
  type: 'object',
  required: ['id', 'contact_id'],
  properties: { id: { type: 'integer', minimum: 1 }, contact_id: { type: 'integer', minimum: 1 } },
};

export const listRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/lists',
    permission: 'lists:read',
    tag: 'lists',
    summary: 'A page of lists in id order, each with its subscription counts per status',
    schema: {
      querystring: pageQuery(),
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: listViewSchema }, next_after: { type: ['integer', 'null'] } } } },
    },
    handler: ({ deps, actor, query }) => listLists(deps, actor, query),
  },
  {
    method: 'POST',
    url: '/api/v1/lists',
    permission: 'lists:write',
    tag: 'lists',
    summary: 'Create a list',
    successStatus: 201,
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['name'], properties: listInputProperties },
      response: { 201: listViewSchema },
    },
    handler: ({ deps, actor, body }) => createList(deps, actor, body),
  },
  {
    method: 'GET',
    url: '/api/v1/lists/:id',
    permission: 'lists:read',
    tag: 'lists',
    summary: 'One list with its subscription counts per status',
    schema: { params: idParams, response: { 200: listViewSchema } },
    handler: ({ deps, actor, params }) => getList(deps, actor, params.id),
  },
  {
    method: 'PATCH',
    url: '/api/v1/lists/:id',
    permission: 'lists:write',
    tag: 'lists',
    summary: 'Rename a list or change its description or opt-in mode',
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, properties: listInputProperties },
      response: { 200: listViewSchema },
    },
    handler: ({ deps, actor, params, body }) => updateList(deps, actor, params.id, body),
  },
  {
    method: 'DELETE',
    url: '/api/v1/lists/:id',
    permission: 'lists:write',
    tag: 'lists',
    summary: 'Delete a list and its subscriptions (the contacts stay)',
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => deleteList(deps, actor, params.id),
  },
  {
    method: 'GET',
    url: '/api/v1/lists/:id/members',
    permission: 'lists:read',
    tag: 'lists',
    summary: 'The contacts on a list with their consent state, in contact id order',
    schema: {
      params: idParams,
      querystring: pageQuery({ status: { type: 'string', enum: [...SUBSCRIPTION_STATUSES] } }),
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: memberSchema }, next_after: { type: ['integer', 'null'] } } } },
    },
    handler: ({ deps, actor, params, query }) => listMembers(deps, actor, params.id, query),
  },
  {
    method: 'POST',
    url: '/api/v1/lists/:id/subscriptions',
    permission: 'lists:write',
    tag: 'lists',
    summary: 'Set the subscription status of contacts on a list (also over an earlier unsubscribe: the caller states the current wish)',
    schema: {
      params: idParams,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['contact_ids'],
        properties: {
          contact_ids: { type: 'array', minItems: 1, maxItems: 50_000, items: { type: 'integer', minimum: 1 } },
          status: { type: 'string', enum: [...SUBSCRIPTION_STATUSES], description: "default: the list's opt-in decides" },
          source: { type: 'string', minLength: 1, maxLength: 100, description: 'where the consent came from (default "api")' },
        },
      },
    },
    handler: ({ deps, actor, params, body }) => setSubscriptions(deps, actor, params.id, body),
  },
  {
    method: 'DELETE',
    url: '/api/v1/lists/:id/subscriptions/:contact_id',
    permission: 'lists:write',
    tag: 'lists',
    summary: 'Unsubscribe a contact from a list (kept as "unsubscribed" so imports do not re-add it)',
    schema: { params: listContactParams },
    handler: ({ deps, actor, params }) => unsubscribeContact(deps, actor, params.id, params.contact_id),
  },
];
