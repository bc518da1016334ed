// CSV imports: the upload (streamed, Content-Type text/csv) and the import jobs it records.
import { Readable } from 'node:stream';
import { AppError, invalid } from '../../app/errors.ts';
import { importContactsCsv } from '../../app/imports/import-contacts-csv.ts';
import { getImportJob, listImportJobs } from '../../app/imports/read-import-jobs.ts';
import { SUBSCRIPTION_STATUSES } from '../../app/lists/subscription-status.ts';
import { idParams, type JsonSchema, pageQuery, type RouteDef } from '../route-def.ts';

const rowErrorSchema: JsonSchema = {
  type: 'object',
  properties: { line: { type: 'integer' }, field: { type: 'string' }, reason: { type: 'string' } },
};

const jobProperties: Record<string, JsonSchema> = {
  id: { type: 'integer' },
  status: { type: 'string', enum: ['running', 'completed', 'failed'] },
  list_id: { type: ['integer', 'null'] },
  source: { type: 'string' },
  total_rows: { type: 'integer' },
  imported_rows: { type: 'integer' },
  failed_rows: { type: 'integer' },
  created_at: { type: 'string' },
  finished_at: { type: ['string', 'null'] },
};

const jobSchema: JsonSchema = {
  type: 'object',
  properties: { ...jobProperties, errors: { type: 'array', items: rowErrorSchema, description: 'the first 1,000 row errors' } },
};

export const importRoutes: RouteDef[] = [
  {
    method: 'POST',
    url: '/api/v1/contacts/import',
    permission: 'contacts:write',
    tag: 'contacts',
    summary:
      'Import contacts from a CSV body (Content-Type: text/csv; header row with email and/or phone, first_name, last_name, timezone, locale; other columns become attributes). Bad rows are reported by line and column; good rows are imported.',
    rawContentTypes: ['text/csv'],
    successStatus: 201,
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          list_id: { type: 'integer', minimum: 1, description: 'subscribe every imported contact to this list' },
          status: { type: 'string', enum: [...SUBSCRIPTION_STATUSES], description: "status of new subscriptions (default: the list's opt-in decides)" },
        },
      },
      response: { 201: jobSchema },
    },
    handler: async ({ deps, actor, query, request }) => {
      const body = request.body;
      if (!(body instanceof Readable)) {
        throw invalid('content-type', 'send the CSV file as the request body with Content-Type: text/csv');
      }
      const job = await importContactsCsv(deps, actor, { stream: body, listId: query.list_id ?? null, status: query.status ?? null, source: 'api' });
      if (job.status === 'failed') {
        const last = job.errors[job.errors.length - 1];
        throw new AppError('invalid_input', `import ${job.id} failed: ${last?.reason ?? 'unknown reason'}`, last?.field ?? 'file', job);
      }
      return job;
    },
  },
  {
    method: 'GET',
    url: '/api/v1/imports',
    permission: 'contacts:read',
    tag: 'contacts',
    summary: 'A page of import jobs in id order (without their row errors)',
    schema: {
      querystring: pageQuery(),
      response: {
        200: {
          type: 'object',
          properties: { items: { type: 'array', items: { type: 'object', properties: jobProperties } }, next_after: { type: ['integer', 'null'] } },
        },
      },
    },
    handler: ({ deps, actor, query }) => listImportJobs(deps, actor, query),
  },
  {
    method: 'GET',
    url: '/api/v1/imports/:id',
    permission: 'contacts:read',
    tag: 'contacts',
    summary: 'One import job with its counts and its first 1,000 row errors (line, field, reason)',
    schema: { params: idParams, response: { 200: jobSchema } },
    handler: ({ deps, actor, params }) => getImportJob(deps, actor, params.id),
  },
];
