// Contacts: upsert one or many (keyed by email, else phone), read, page, patch, delete.
import { contactHistory } from '../../app/contacts/contact-history.ts';
import { deleteContact } from '../../app/contacts/delete-contact.ts';
import { getContact } from '../../app/contacts/get-contact.ts';
import { listContacts } from '../../app/contacts/list-contacts.ts';
import { saveContact } from '../../app/contacts/save-contact.ts';
import { updateContact } from '../../app/contacts/update-contact.ts';
import { upsertContacts } from '../../app/contacts/upsert-contacts.ts';
import { SUBSCRIPTION_STATUSES } from '../../app/lists/subscription-status.ts';
import { idParams, type JsonSchema, pageQuery, type RouteDef } from '../route-def.ts';

const nullableText = (maxLength: number, description?: string): JsonSchema => ({
  type: ['string', 'null'],
  maxLength,
  ...(description ? { description } : {}),
});

/** The contact fields a client may send (the same for create, bulk items and PATCH). */
export const contactInputProperties: Record<string, JsonSchema> = {
  email: nullableText(320, 'unique per account; stored trimmed and lower-case'),
  phone: nullableText(64, 'E.164 after normalization: +4915112345678 (spaces, dashes, dots, parentheses and a 00 prefix are accepted)'),
  first_name: nullableText(200),
  last_name: nullableText(200),
  timezone: nullableText(64, 'IANA time zone, e.g. Europe/Berlin'),
  locale: nullableText(35, 'BCP 47 language tag, e.g. de-DE'),
  messenger: {
    type: ['object', 'null'],
    description: 'channel → handle, e.g. {"telegram": "@anna"}; in PATCH a null handle removes the channel',
    additionalProperties: { type: ['string', 'null'], maxLength: 256 },
  },
  postal_address: {
    type: ['object', 'null'],
    additionalProperties: false,
    required: ['street', 'postal_code', 'city', 'country'],
    properties: {
      name: { type: 'string', maxLength: 200 },
      street: { type: 'string', maxLength: 200 },
      postal_code: { type: 'string', maxLength: 200 },
      city: { type: 'string', maxLength: 200 },
      country: { type: 'string', description: 'ISO 3166-1 alpha-2, e.g. DE' },
    },
  },
  attributes: {
    type: ['object', 'null'],
    description: 'flat name → string, number, boolean or null; merged key by key (in PATCH a null value removes the key)',
    // Values are checked by the use case: ajv's strict mode refuses a four-type list, and with
    // type coercion an anyOf would turn the number 1 into the string "1".
    additionalProperties: { description: 'a string, number, boolean or null' },
  },
};

const contactInput: JsonSchema = { type: 'object', additionalProperties: false, properties: contactInputProperties };

const subscribeProperties: Record<string, JsonSchema> = {
  list_ids: { type: 'array', items: { type: 'integer', minimum: 1 }, maxItems: 100, description: 'subscribe the contact(s) to these lists' },
  status: { type: 'string', enum: [...SUBSCRIPTION_STATUSES], description: "status of new subscriptions (default: the list's opt-in decides)" },
  source: { type: 'string', minLength: 1, maxLength: 100, description: 'where the consent came from (default "api")' },
};

export const contactViewSchema: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    email: { type: ['string', 'null'] },
    phone: { type: ['string', 'null'] },
    first_name: { type: ['string', 'null'] },
    last_name: { type: ['string', 'null'] },
    timezone: { type: ['string', 'null'] },
    locale: { type: ['string', 'null'] },
    messenger: { type: 'object', additionalProperties: { type: 'string' } },
    postal_address: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
    attributes: { type: 'object', additionalProperties: true },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
  },
};

const contactDetailSchema: JsonSchema = {
  type: 'object',
  properties: {
    ...(contactViewSchema.properties as Record<string, JsonSchema>),
    subscriptions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          list_id: { type: 'integer' },
          list_name: { type: 'string' },
          status: { type: 'string' },
          source: { type: ['string', 'null'] },
          created_at: { type: 'string' },
          updated_at: { type: 'string' },
        },
      },
    },
  },
};

export const contactRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/contacts',
    permission: 'contacts:read',
    tag: 'contacts',
    summary: 'A page of contacts in id order; q searches email and phone, list_id keeps one list',
    schema: {
      querystring: pageQuery({
        q: { type: 'string', maxLength: 320, description: 'part of an email address or phone number' },
        list_id: { type: 'integer', minimum: 1, description: 'only contacts with a subscription (any status) on this list' },
      }),
      response: {
        200: { type: 'object', properties: { items: { type: 'array', items: contactViewSchema }, next_after: { type: ['integer', 'null'] } } },
      },
    },
    handler: ({ deps, actor, query }) => listContacts(deps, actor, query),
  },
  {
    method: 'POST',
    url: '/api/v1/contacts',
    permission: 'contacts:write',
    tag: 'contacts',
    summary: 'Create or update one contact (keyed by email, else phone); 201 when created, 200 when updated',
    schema: {
      body: { type: 'object', additionalProperties: false, properties: { ...contactInputProperties, ...subscribeProperties } },
      response: { 200: contactDetailSchema, 201: contactDetailSchema },
    },
    handler: async ({ deps, actor, body, reply }) => {
      const { contact, created } = await saveContact(deps, actor, body);
      return reply.status(created ? 201 : 200).send(contact);
    },
  },
  {
    method: 'POST',
    url: '/api/v1/contacts/bulk',
    permission: 'contacts:write',
    tag: 'contacts',
    summary: 'Upsert up to 50,000 contacts at once, all or nothing; every invalid item is named in error.details',
    bodyLimit: 50 * 1024 * 1024,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['contacts'],
        properties: { contacts: { type: 'array', minItems: 1, maxItems: 50_000, items: contactInput }, ...subscribeProperties },
      },
      response: {
        200: {
          type: 'object',
          properties: {
            received: { type: 'integer' },
            upserted: { type: 'integer' },
            ids: { type: 'array', items: { type: 'integer' } },
            subscriptions_added: { type: 'integer' },
          },
        },
      },
    },
    handler: ({ deps, actor, body }) => upsertContacts(deps, actor, body),
  },
  {
    method: 'GET',
    url: '/api/v1/contacts/:id',
    permission: 'contacts:read',
    tag: 'contacts',
    summary: 'One contact with its list subscriptions',
    schema: { params: idParams, response: { 200: contactDetailSchema } },
    handler: ({ deps, actor, params }) => getContact(deps, actor, params.id),
  },
  {
    method: 'PATCH',
    url: '/api/v1/contacts/:id',
    permission: 'contacts:write',
    tag: 'contacts',
    summary: 'Change some fields of a contact (null clears; attributes and messenger merge key by key)',
    schema: { params: idParams, body: contactInput, response: { 200: contactDetailSchema } },
    handler: ({ deps, actor, params, body }) => updateContact(deps, actor, params.id, body),
  },
  {
    method: 'DELETE',
    url: '/api/v1/contacts/:id',
    permission: 'contacts:write',
    tag: 'contacts',
    summary: 'Delete a contact and its subscriptions (sent messages keep their history)',
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => deleteContact(deps, actor, params.id),
  },
  {
    method: 'GET',
    url: '/api/v1/contacts/:id/history',
    permission: 'contacts:read',
    tag: 'contacts',
    summary: "The contact's timeline: every message (status, reason) and event (opened, clicked, bounced …), newest first",
    schema: {
      params: idParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          before: { type: 'string', maxLength: 80, description: 'the next_before cursor of the previous page (or a time: items older than it)' },
        },
      },
    },
    handler: ({ deps, actor, params, query }) => contactHistory(deps, actor, String(params.id), { limit: query.limit, before: query.before }),
  },
];
