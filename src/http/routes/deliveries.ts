// Runs (deliveries): every run of a campaign with its counts, one run, its live stats and KPIs,
// and confirming or skipping a recurring run that waits for confirmation.
import { campaignStats } from '../../app/campaigns/campaign-stats.ts';
import { getDelivery, listCampaignDeliveries, loadDeliveryRow } from '../../app/deliveries/read-deliveries.ts';
import { confirmRun, skipRun } from '../../app/schedules/confirm-run.ts';
import { DELIVERY_STATUSES } from '../../core/campaign-lifecycle.ts';
import { type JsonSchema, type RouteDef, idParams } from '../route-def.ts';

const deliveryView: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    campaign_id: { type: 'integer' },
    status: { type: 'string', enum: [...DELIVERY_STATUSES] },
    status_reason: { type: ['string', 'null'] },
    run_key: { type: ['string', 'null'] },
    scheduled_at: { type: ['string', 'null'] },
    prepared_at: { type: ['string', 'null'] },
    started_at: { type: ['string', 'null'] },
    finished_at: { type: ['string', 'null'] },
    created_by: { type: ['string', 'null'] },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
    counts: { type: 'object', additionalProperties: { type: 'integer' } },
    total: { type: 'integer' },
  },
};

export const deliveryRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/campaigns/:id/deliveries',
    permission: 'campaigns:read',
    tag: 'deliveries',
    summary: "The campaign's runs, newest first: status, run key, time, ledger counts by status",
    schema: {
      params: idParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          before: { type: 'integer', minimum: 1, description: 'runs with an id lower than this' },
          status: { type: 'string', enum: [...DELIVERY_STATUSES] },
        },
      },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: deliveryView }, next_before: { type: ['integer', 'null'] } } } },
    },
    handler: ({ deps, actor, params, query }) => listCampaignDeliveries(deps, actor, params.id, query),
  },
  {
    method: 'GET',
    url: '/api/v1/deliveries/:id',
    permission: 'campaigns:read',
    tag: 'deliveries',
    summary: 'One run with its ledger counts by status',
    schema: { params: idParams, response: { 200: deliveryView } },
    handler: ({ deps, actor, params }) => getDelivery(deps, actor, params.id),
  },
  {
    method: 'GET',
    url: '/api/v1/deliveries/:id/stats',
    permission: 'campaigns:read',
    tag: 'deliveries',
    summary: "One run's live numbers and KPIs (as GET /campaigns/:id/stats for the current one)",
    schema: { params: idParams },
    handler: async ({ deps, actor, params }) => {
      const d = await loadDeliveryRow(deps, actor, params.id);
      return campaignStats(deps, actor, d.campaign_id, { deliveryId: d.id });
    },
  },
  {
    method: 'POST',
    url: '/api/v1/deliveries/:id/confirm',
    permission: 'deliveries:start',
    tag: 'deliveries',
    summary: 'Confirm a run awaiting confirmation: it is scheduled and sends as usual',
    schema: { params: idParams, response: { 200: deliveryView } },
    handler: ({ deps, actor, params }) => confirmRun(deps, actor, params.id),
  },
  {
    method: 'POST',
    url: '/api/v1/deliveries/:id/skip',
    permission: 'deliveries:start',
    tag: 'deliveries',
    summary: 'Skip a recurring run awaiting confirmation (or scheduled, not yet prepared)',
    schema: { params: idParams, response: { 200: deliveryView } },
    handler: ({ deps, actor, params }) => skipRun(deps, actor, params.id),
  },
];
