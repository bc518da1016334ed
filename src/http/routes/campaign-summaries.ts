// The campaign list's numbers: progress and headline KPIs for a page of campaigns in one call
// (the dashboard asks for the ids it shows, never one stats call per row).
import { campaignSummaries } from '../../app/campaigns/campaign-summaries.ts';
import type { RouteDef } from '../route-def.ts';

export const campaignSummaryRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/campaign-summaries',
    permission: 'campaigns:read',
    tag: 'campaigns',
    summary: 'Progress and headline KPIs (delivered, opens, clicks) of up to 100 campaigns, by id',
    schema: {
      querystring: {
        type: 'object',
        additionalProperties: false,
        required: ['ids'],
        properties: {
          ids: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, maxItems: 100, description: 'campaign ids, repeated: ?ids=3&ids=4' },
        },
      },
    },
    handler: async ({ deps, actor, query }) => ({ items: await campaignSummaries(deps, actor, query.ids) }),
  },
];
