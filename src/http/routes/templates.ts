// Email templates: CRUD, preview for a contact, and validation without saving.
import { createTemplate } from '../../app/templates/create-template.ts';
import { deleteTemplate } from '../../app/templates/delete-template.ts';
import { getTemplate } from '../../app/templates/get-template.ts';
import { listTemplates } from '../../app/templates/list-templates.ts';
import { previewTemplate } from '../../app/templates/preview-template.ts';
import { MAX_BODY_LENGTH, MAX_NAME_LENGTH, MAX_SUBJECT_LENGTH, TEMPLATE_CHANNELS, TEMPLATE_FORMATS } from '../../app/templates/template-input.ts';
import { updateTemplate } from '../../app/templates/update-template.ts';
import { validateTemplate } from '../../app/templates/validate-template.ts';
import { idParams, type JsonSchema, pageQuery, type RouteDef } from '../route-def.ts';

const nameField = { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH };
const formatField = { type: 'string', enum: TEMPLATE_FORMATS, description: 'mjml (compiled to HTML) or html' };
const subjectField = { type: 'string', minLength: 1, maxLength: MAX_SUBJECT_LENGTH, description: 'Liquid' };
const bodyField = { type: 'string', minLength: 1, maxLength: MAX_BODY_LENGTH, description: 'MJML or HTML with Liquid' };
// Bodies up to MAX_BODY_LENGTH arrive JSON-encoded (escaped quotes and newlines grow them).
const BODY_LIMIT = 3 * MAX_BODY_LENGTH;

const warningSchema: JsonSchema = {
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' }, hint: { type: 'string' } },
};
const warningsSchema: JsonSchema = { type: 'array', items: warningSchema };

const summaryProperties = {
  id: { type: 'integer' },
  name: { type: 'string' },
  channel: { type: 'string' },
  format: { type: 'string' },
  subject: { type: 'string' },
  version: { type: 'integer' },
  created_at: { type: 'string' },
  updated_at: { type: 'string' },
};
const templateSchema: JsonSchema = { type: 'object', properties: { ...summaryProperties, body: { type: 'string' } } };
const savedTemplateSchema: JsonSchema = {
  type: 'object',
  properties: {
    ...summaryProperties,
    body: { type: 'string' },
    warnings: warningsSchema,
    notice: { type: 'string', description: 'approved campaigns that the change sent back to draft' },
  },
};

export const templateRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/templates',
    permission: 'templates:read',
    tag: 'templates',
    summary: 'List templates (without bodies), by id; pass next_after as after for the next page',
    schema: {
      querystring: pageQuery(),
      response: {
        200: {
          type: 'object',
          properties: {
            items: { type: 'array', items: { type: 'object', properties: summaryProperties } },
            next_after: { type: ['integer', 'null'] },
          },
        },
      },
    },
    handler: async ({ deps, actor, query }) => listTemplates(deps, actor, { limit: query.limit, after: query.after }),
  },
  {
    method: 'POST',
    url: '/api/v1/templates',
    permission: 'templates:write',
    tag: 'templates',
    summary: 'Create a template; refused with 422 naming field and line when Liquid or MJML does not compile; returns lint warnings',
    successStatus: 201,
    bodyLimit: BODY_LIMIT,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'format', 'subject', 'body'],
        properties: {
          name: nameField,
          channel: { type: 'string', enum: TEMPLATE_CHANNELS, default: 'email' },
          format: formatField,
          subject: subjectField,
          body: bodyField,
        },
      },
      response: { 201: savedTemplateSchema },
    },
    handler: async ({ deps, actor, body }) => createTemplate(deps, actor, body),
  },
  {
    method: 'POST',
    url: '/api/v1/templates/validate',
    permission: 'templates:read',
    tag: 'templates',
    summary: 'Compile and lint without saving: 200 with warnings, or 422 naming field and line',
    bodyLimit: BODY_LIMIT,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['format', 'subject', 'body'],
        properties: { format: formatField, subject: subjectField, body: bodyField },
      },
      response: { 200: { type: 'object', properties: { warnings: warningsSchema } } },
    },
    handler: async ({ body }) => ({ warnings: (await validateTemplate(body)).warnings }),
  },
  {
    method: 'GET',
    url: '/api/v1/templates/:id',
    permission: 'templates:read',
    tag: 'templates',
    summary: 'One template with its body',
    schema: { params: idParams, response: { 200: templateSchema } },
    handler: async ({ deps, actor, params }) => getTemplate(deps, actor, params.id),
  },
  {
    method: 'PUT',
    url: '/api/v1/templates/:id',
    permission: 'templates:write',
    tag: 'templates',
    summary: 'Change name, format, subject or body (any of them); bumps the version; nothing is saved on a compile error',
    bodyLimit: BODY_LIMIT,
    schema: {
      params: idParams,
      body: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: { name: nameField, format: formatField, subject: subjectField, body: bodyField },
      },
      response: { 200: savedTemplateSchema },
    },
    handler: async ({ deps, actor, params, body }) => updateTemplate(deps, actor, params.id, body),
  },
  {
    method: 'DELETE',
    url: '/api/v1/templates/:id',
    permission: 'templates:write',
    tag: 'templates',
    summary: 'Delete a template; 409 naming the campaigns that still use it',
    successStatus: 204,
    schema: { params: idParams },
    handler: async ({ deps, actor, params }) => {
      await deleteTemplate(deps, actor, params.id);
      return null;
    },
  },
  {
    method: 'POST',
    url: '/api/v1/templates/:id/preview',
    permission: 'templates:read',
    tag: 'templates',
    summary: 'Render for a contact of this account (contact_id) or a sample contact: subject, html, text and lint warnings',
    schema: {
      params: idParams,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          contact_id: { type: 'integer', minimum: 1 },
          sample: {
            type: 'object',
            additionalProperties: false,
            description: 'fields of the sample contact used when contact_id is not given',
            properties: {
              email: { type: ['string', 'null'] },
              phone: { type: ['string', 'null'] },
              first_name: { type: ['string', 'null'] },
              last_name: { type: ['string', 'null'] },
              timezone: { type: ['string', 'null'] },
              locale: { type: ['string', 'null'] },
              attributes: { type: 'object' },
            },
          },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: { subject: { type: 'string' }, html: { type: 'string' }, text: { type: 'string' }, warnings: warningsSchema },
        },
      },
    },
    handler: async ({ deps, actor, params, body }) =>
      previewTemplate(deps, actor, params.id, { contactId: body?.contact_id, sample: body?.sample }),
  },
];
