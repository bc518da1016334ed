// Recurring campaigns: the schedule of a campaign (cron rule in a time zone, confirmation, what
// happens to runs missed while Herald was down, window and run limit).
import { getSchedule, removeSchedule, setSchedule } from '../../app/schedules/write-schedule.ts';
import { MISSED_RUNS_POLICIES } from '../../core/schedules/missed-runs.ts';
import { type JsonSchema, type RouteDef, idParams } from '../route-def.ts';

const timeText: JsonSchema = { type: ['string', 'null'], minLength: 1, maxLength: 64 };

const scheduleView: JsonSchema = {
  type: 'object',
  properties: {
    campaign_id: { type: 'integer' },
    campaign_status: { type: 'string' },
    cron: { type: 'string' },
    timezone: { type: 'string' },
    confirm_each_run: { type: 'boolean' },
    missed_runs: { type: 'string' },
    starts_at: { type: ['string', 'null'] },
    ends_at: { type: ['string', 'null'] },
    max_runs: { type: ['integer', 'null'] },
    next_run_at: { type: ['string', 'null'] },
    last_run_at: { type: ['string', 'null'] },
    runs_created: { type: 'integer' },
    upcoming: { type: 'array', items: { type: 'object', properties: { at: { type: 'string' }, local: { type: 'string' } } } },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
  },
};

export const scheduleRoutes: RouteDef[] = [
  {
    method: 'PUT',
    url: '/api/v1/campaigns/:id/schedule',
    permission: 'campaigns:write',
    tag: 'schedules',
    summary: 'Make a draft recurring: a cron rule (5 fields, or 6 with seconds) read in a time zone (default: the account\'s)',
    schema: {
      params: idParams,
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['cron'],
        properties: {
          cron: { type: 'string', minLength: 1, maxLength: 200, description: 'e.g. "0 9 * * 1" (Mondays 09:00)' },
          timezone: { type: ['string', 'null'], minLength: 1, maxLength: 64, description: 'IANA zone, e.g. "Europe/Berlin"' },
          confirm_each_run: { type: 'boolean', description: 'each run waits for POST /api/v1/deliveries/:id/confirm' },
          missed_runs: { type: 'string', enum: [...MISSED_RUNS_POLICIES], description: 'runs missed while Herald was down: run_once (one run for the latest) or skip (recorded as skipped, beyond a 10-minute grace)' },
          starts_at: { ...timeText, description: 'no run before this (ISO with offset, or local in the schedule\'s zone)' },
          ends_at: { ...timeText, description: 'no run at or after this' },
          max_runs: { type: ['integer', 'null'], minimum: 1, maximum: 1_000_000 },
        },
      },
      response: { 200: scheduleView },
    },
    handler: ({ deps, actor, params, body }) => setSchedule(deps, actor, params.id, body),
  },
  {
    method: 'GET',
    url: '/api/v1/campaigns/:id/schedule',
    permission: 'campaigns:read',
    tag: 'schedules',
    summary: 'The schedule with its next five occurrences (UTC and local)',
    schema: { params: idParams, response: { 200: scheduleView } },
    handler: ({ deps, actor, params }) => getSchedule(deps, actor, params.id),
  },
  {
    method: 'DELETE',
    url: '/api/v1/campaigns/:id/schedule',
    permission: 'campaigns:write',
    tag: 'schedules',
    summary: 'Remove the schedule of a draft: it becomes a one-off draft again',
    successStatus: 204,
    schema: { params: idParams },
    handler: async ({ deps, actor, params, reply }) => {
      await removeSchedule(deps, actor, params.id);
      return reply.status(204).send();
    },
  },
];
