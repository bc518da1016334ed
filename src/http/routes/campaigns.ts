// Campaigns: create and edit drafts, launch (send now or at a time), pause, resume, cancel, and
// read the live stats and the per-recipient ledger.
import { campaignStats } from '../../app/campaigns/campaign-stats.ts';
import { cancelCampaign, pauseCampaign, resumeCampaign } from '../../app/campaigns/control-campaign.ts';
import { listCampaignMessages } from '../../app/campaigns/list-campaign-messages.ts';
import { getCampaign, listCampaigns } from '../../app/campaigns/read-campaigns.ts';
import { sendCampaign } from '../../app/campaigns/send-campaign.ts';
import { createCampaign, deleteCampaign, updateCampaign } from '../../app/campaigns/write-campaign.ts';
import { diagnoseCampaign } from '../../app/explain/diagnose-campaign.ts';
import { explainContact } from '../../app/explain/explain-contact.ts';
import { preflightCampaign } from '../../app/explain/preflight.ts';
import { CAMPAIGN_KINDS, CAMPAIGN_STATUSES } from '../../core/campaign-lifecycle.ts';
import { MESSAGE_STATUSES } from '../../core/message-status.ts';
import { REASON_LIST } from '../../core/reasons.ts';
import { type JsonSchema, type RouteDef, idParams } from '../route-def.ts';

const idList: JsonSchema = { type: 'array', items: { type: 'integer', minimum: 1 }, maxItems: 100, uniqueItems: true };

const campaignFields: Record<string, JsonSchema> = {
  name: { type: 'string', minLength: 1, maxLength: 300 },
  channel: { type: 'string', enum: ['email', 'sms', 'messenger', 'letter'] },
  template_id: { type: ['integer', 'null'], minimum: 1 },
  from_email: { type: ['string', 'null'], maxLength: 254 },
  from_name: { type: ['string', 'null'], maxLength: 200 },
  reply_to: { type: ['string', 'null'], maxLength: 254 },
  audience: {
    type: 'object',
    additionalProperties: false,
    properties: {
      list_ids: idList,
      exclude_list_ids: idList,
      segment_id: { type: ['integer', 'null'], minimum: 1, description: 'only contacts matching this segment' },
      exclude_segment_ids: idList,
    },
  },
  settings: {
    type: 'object',
    additionalProperties: false,
    properties: {
      uncertain_policy: {
        type: 'string',
        enum: ['resend', 'hold'],
        description: 'Messages whose hand-off was under way when a worker died: send again (flagged possible_duplicate) or hold as uncertain.',
      },
      tracking: { type: 'boolean', description: 'open pixel and click redirects (default true)' },
      quiet_hours: {
        type: 'object',
        additionalProperties: false,
        description: "This campaign's quiet hours over the account's; in the recipient's time zone.",
        properties: {
          enabled: { type: 'boolean' },
          start: { type: 'string', pattern: '^\\d{2}:\\d{2}$' },
          end: { type: 'string', pattern: '^\\d{2}:\\d{2}$' },
          apply_to_one_off: { type: 'boolean' },
          ramp_minutes: { type: 'integer', minimum: 0, maximum: 720 },
        },
      },
    },
  },
};

export const campaignView: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    channel: { type: 'string' },
    kind: { type: 'string' },
    created_by: { type: ['string', 'null'] },
    status: { type: 'string', enum: [...CAMPAIGN_STATUSES] },
    template_id: { type: ['integer', 'null'] },
    from_email: { type: ['string', 'null'] },
    from_name: { type: ['string', 'null'] },
    reply_to: { type: ['string', 'null'] },
    audience: { type: 'object', additionalProperties: true },
    settings: { type: 'object', additionalProperties: true },
    scheduled_at: { type: ['string', 'null'] },
    current_delivery_id: { type: ['integer', 'null'] },
    cancelled_messages: { type: 'integer' },
    // F4.2: the open launch request while awaiting_approval, and what a launch that became a request means.
    pending_approval: { type: ['object', 'null'], additionalProperties: true },
    notice: { type: 'string' },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
  },
};

export const campaignRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/campaigns',
    permission: 'campaigns:read',
    tag: 'campaigns',
    summary: 'List campaigns, newest first',
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          before: { type: 'integer', minimum: 1, description: 'return campaigns with an id lower than this' },
          status: { type: 'string', enum: [...CAMPAIGN_STATUSES] },
          kind: { type: 'string', enum: [...CAMPAIGN_KINDS], description: "only this kind; without it, every kind but 'message' (one-off messages: GET /api/v1/messages)" },
        },
      },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: campaignView }, next_before: { type: ['integer', 'null'] } } } },
    },
    handler: async ({ deps, actor, query }) => {
      const page = await listCampaigns(deps, actor, { limit: query.limit, after: query.before, status: query.status, kind: query.kind });
      return { items: page.items, next_before: page.next_after };
    },
  },
  {
    method: 'POST',
    url: '/api/v1/campaigns',
    permission: 'campaigns:write',
    tag: 'campaigns',
    summary: 'Create a draft campaign',
    successStatus: 201,
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['name'], properties: campaignFields },
      response: { 201: campaignView },
    },
    handler: ({ deps, actor, body }) => createCampaign(deps, actor, body),
  },
  {
    method: 'GET',
    url: '/api/v1/campaigns/:id',
    permission: 'campaigns:read',
    tag: 'campaigns',
    summary: 'One campaign',
    schema: { params: idParams, response: { 200: campaignView } },
    handler: ({ deps, actor, params }) => getCampaign(deps, actor, params.id),
  },
  {
    method: 'PATCH',
    url: '/api/v1/campaigns/:id',
    permission: 'campaigns:write',
    tag: 'campaigns',
    summary: 'Edit a draft or scheduled campaign',
    schema: { params: idParams, body: { type: 'object', additionalProperties: false, properties: campaignFields }, response: { 200: campaignView } },
    handler: ({ deps, actor, params, body }) => updateCampaign(deps, actor, params.id, body),
  },
  {
    method: 'DELETE',
    url: '/api/v1/campaigns/:id',
    permission: 'campaigns:write',
    tag: 'campaigns',
    summary: 'Delete a draft campaign',
    successStatus: 204,
    schema: { params: idParams },
    handler: async ({ deps, actor, params, reply }) => {
      await deleteCampaign(deps, actor, params.id);
      return reply.status(204).send();
    },
  },
  {
    method: 'POST',
    url: '/api/v1/campaigns/:id/send',
    permission: 'deliveries:start',
    tag: 'campaigns',
    summary: 'Send now, or at a time (`at`: ISO 8601 with an offset, or a local time such as "2026-12-01T09:00" in the account\'s time zone)',
    schema: {
      params: idParams,
      body: { type: ['object', 'null'], additionalProperties: false, properties: { at: { type: ['string', 'null'], minLength: 1, maxLength: 64 } } },
      response: { 200: campaignView },
    },
    handler: ({ deps, actor, params, body }) => sendCampaign(deps, actor, params.id, { at: body?.at ?? null }),
  },
  ...(['pause', 'resume', 'cancel'] as const).map(
    (action): RouteDef => ({
      method: 'POST',
      url: `/api/v1/campaigns/:id/${action}`,
      permission: 'deliveries:start',
      tag: 'campaigns',
      summary: `${action[0].toUpperCase()}${action.slice(1)} the current delivery`,
      schema: { params: idParams, response: { 200: campaignView } },
      handler: ({ deps, actor, params }) =>
        action === 'pause' ? pauseCampaign(deps, actor, params.id) : action === 'resume' ? resumeCampaign(deps, actor, params.id) : cancelCampaign(deps, actor, params.id),
    }),
  ),
  {
    method: 'GET',
    url: '/api/v1/campaigns/:id/stats',
    permission: 'campaigns:read',
    tag: 'campaigns',
    summary: 'Live counts of the current delivery: by status, by reason (with meaning), progress, pace',
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => campaignStats(deps, actor, params.id),
  },
  {
    method: 'GET',
    url: '/api/v1/campaigns/:id/messages',
    permission: 'campaigns:read',
    tag: 'campaigns',
    summary: "The campaign's ledger: every recipient with status and reason",
    schema: {
      params: idParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          status: { type: 'string', enum: [...MESSAGE_STATUSES] },
          reason: { type: 'string', enum: REASON_LIST },
          contact_id: { type: 'integer', minimum: 1 },
          delivery_id: { type: 'integer', minimum: 1 },
          possible_duplicate: { type: 'boolean' },
          after: { type: 'integer', minimum: 0 },
          limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
        },
      },
    },
    handler: ({ deps, actor, params, query }) => listCampaignMessages(deps, actor, params.id, query),
  },
  {
    method: 'GET',
    url: '/api/v1/campaigns/:id/preflight',
    permission: 'campaigns:read',
    tag: 'campaigns',
    summary: 'The pre-flight checklist: each item ok, warning or blocking, with how to fix it',
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => preflightCampaign(deps, actor, params.id),
  },
  {
    method: 'GET',
    url: '/api/v1/campaigns/:id/diagnosis',
    permission: 'campaigns:read',
    tag: 'campaigns',
    summary: 'The audience funnel with counts and a one-sentence diagnosis ("0 recipients: …")',
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => diagnoseCampaign(deps, actor, params.id),
  },
  {
    method: 'GET',
    url: '/api/v1/campaigns/:id/why',
    permission: 'campaigns:read',
    tag: 'campaigns',
    summary: 'Why (not): the decision for one contact, its reason, and the rule and data behind it',
    schema: {
      params: idParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        required: ['contact'],
        properties: { contact: { type: 'string', minLength: 1, maxLength: 254, description: 'contact id or email' } },
      },
    },
    handler: ({ deps, actor, params, query }) => explainContact(deps, actor, params.id, query.contact),
  },
];
