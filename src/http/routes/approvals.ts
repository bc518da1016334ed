// Approvals (F4.2): the account's approval rule, launching (a request when approval is required),
// approving, rejecting and withdrawing a launch, a campaign's approval history and the account's
// approval queue. Approving and rejecting need deliveries:start; launching needs campaigns:write
// (the use case tells whoever cannot start a delivery which roles can).
import { approveCampaign } from '../../app/approvals/approve-campaign.ts';
import { loadApprovalSettings, updateApprovalSettings } from '../../app/approvals/approval-settings.ts';
import { launchCampaign } from '../../app/approvals/launch-campaign.ts';
import { APPROVAL_STATUSES, listApprovals, listCampaignApprovals } from '../../app/approvals/read-approvals.ts';
import { rejectCampaign } from '../../app/approvals/reject-campaign.ts';
import { withdrawApproval } from '../../app/approvals/withdraw-approval.ts';
import { type JsonSchema, type RouteDef, idParams, pageQuery } from '../route-def.ts';
import { campaignView } from './campaigns.ts';

const approvalSettings: JsonSchema = {
  type: 'object',
  properties: { required: { type: 'boolean' }, four_eyes: { type: 'boolean' } },
};

const approvalView: JsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    campaign_id: { type: 'integer' },
    status: { type: 'string', enum: [...APPROVAL_STATUSES] },
    requested_by: { type: 'string' },
    requested_at: { type: 'string' },
    send_at: { type: ['string', 'null'] },
    decided_by: { type: ['string', 'null'] },
    decided_at: { type: ['string', 'null'] },
    comment: { type: ['string', 'null'] },
    campaign: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        name: { type: 'string' },
        kind: { type: 'string' },
        status: { type: 'string' },
        created_by: { type: ['string', 'null'] },
      },
    },
  },
};

const comment = { type: 'string', maxLength: 2000 };

export const approvalRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/account/approval',
    permission: 'settings:read',
    tag: 'approvals',
    summary: 'The approval rule: required (a launch becomes a request) and four_eyes (the approver is neither the author nor the requester)',
    schema: { response: { 200: approvalSettings } },
    handler: ({ deps, actor }) => loadApprovalSettings(deps, actor.accountId),
  },
  {
    method: 'PUT',
    url: '/api/v1/account/approval',
    permission: 'settings:write',
    tag: 'approvals',
    summary: 'Change the approval rule (the fields given); audited',
    schema: {
      body: { type: 'object', additionalProperties: false, properties: { required: { type: 'boolean' }, four_eyes: { type: 'boolean' } } },
      response: { 200: approvalSettings },
    },
    handler: ({ deps, actor, body }) => updateApprovalSettings(deps, actor, body),
  },
  {
    method: 'POST',
    url: '/api/v1/campaigns/:id/launch',
    permission: 'campaigns:write',
    tag: 'approvals',
    summary:
      'Launch now or at a time (`at`): under the approval rule a draft goes to awaiting_approval (see `notice`); without it, launching needs deliveries:start',
    schema: {
      params: idParams,
      // as POST …/send: an ISO time with an offset, or a local time in the account's zone (parse-send-time.ts)
      body: { type: ['object', 'null'], additionalProperties: false, properties: { at: { type: ['string', 'null'], minLength: 1, maxLength: 64 } } },
      response: { 200: campaignView },
    },
    handler: ({ deps, actor, params, body }) => launchCampaign(deps, actor, params.id, { at: body?.at ?? null }),
  },
  {
    method: 'POST',
    url: '/api/v1/campaigns/:id/approve',
    permission: 'deliveries:start',
    tag: 'approvals',
    summary: 'Approve the launch request: pre-flight again, then scheduled, sending or active; refused for the author or requester under four-eyes',
    schema: {
      params: idParams,
      body: { type: ['object', 'null'], additionalProperties: false, properties: { comment } },
      response: { 200: campaignView },
    },
    handler: ({ deps, actor, params, body }) => approveCampaign(deps, actor, params.id, { comment: body?.comment ?? null }),
  },
  {
    method: 'POST',
    url: '/api/v1/campaigns/:id/reject',
    permission: 'deliveries:start',
    tag: 'approvals',
    summary: 'Reject the launch request with a comment (required): back to draft',
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['comment'], properties: { comment: { ...comment, minLength: 1 } } },
      response: { 200: campaignView },
    },
    handler: ({ deps, actor, params, body }) => rejectCampaign(deps, actor, params.id, { comment: body.comment }),
  },
  {
    method: 'POST',
    url: '/api/v1/campaigns/:id/withdraw',
    // The requester may be a sender (their /send became a request): the use case checks
    // "the requester or campaigns:write".
    permission: 'campaigns:read',
    tag: 'approvals',
    summary: 'Withdraw the launch request (the requester, or anyone with campaigns:write): back to draft',
    schema: { params: idParams, response: { 200: campaignView } },
    handler: ({ deps, actor, params }) => withdrawApproval(deps, actor, params.id),
  },
  {
    method: 'GET',
    url: '/api/v1/campaigns/:id/approvals',
    permission: 'campaigns:read',
    tag: 'approvals',
    summary: "The campaign's approval history: every launch request and its outcome, oldest first",
    schema: { params: idParams, response: { 200: { type: 'object', properties: { items: { type: 'array', items: approvalView } } } } },
    handler: ({ deps, actor, params }) => listCampaignApprovals(deps, actor, params.id),
  },
  {
    method: 'GET',
    url: '/api/v1/approvals',
    permission: 'campaigns:read',
    tag: 'approvals',
    summary: 'Launch requests of the account, oldest first; status=pending is the approval queue',
    schema: {
      querystring: pageQuery({ status: { type: 'string', enum: [...APPROVAL_STATUSES] } }),
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: approvalView }, next_after: { type: ['integer', 'null'] } } } },
    },
    handler: ({ deps, actor, query }) => listApprovals(deps, actor, query),
  },
];
