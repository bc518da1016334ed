// Every API route, in one table. Each resource keeps its routes in src/http/routes/<resource>.ts;
// this file only lists them, so that "which permission guards X?" has one place to look.
import type { RouteDef } from './route-def.ts';
import { accountRoutes } from './routes/accounts.ts';
import { approvalRoutes } from './routes/approvals.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { campaignSummaryRoutes } from './routes/campaign-summaries.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { consentRoutes } from './routes/consent.ts';
import { contactRoutes } from './routes/contacts.ts';
import { importRoutes } from './routes/imports.ts';
import { listExportRoutes } from './routes/list-export.ts';
import { listRoutes } from './routes/lists.ts';
import { messageRoutes } from './routes/messages.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { outboxRoutes } from './routes/outbox.ts';
import { policyRoutes } from './routes/policy.ts';
import { segmentRoutes } from './routes/segments.ts';
import { senderDomainRoutes } from './routes/sender-domains.ts';
import { suppressionRoutes } from './routes/suppressions.ts';
import { templateRoutes } from './routes/templates.ts';
import { userRoutes } from './routes/users.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { scheduleRoutes } from './routes/schedules.ts';
import { deliveryRoutes } from './routes/deliveries.ts';
import { triggerRoutes } from './routes/triggers.ts';

export function buildRouteTable(): RouteDef[] {
  return [
    ...accountRoutes,
    ...policyRoutes,
    ...contactRoutes,
    ...listRoutes,
    ...listExportRoutes,
    ...segmentRoutes,
    ...consentRoutes,
    ...importRoutes,
    ...templateRoutes,
    ...campaignRoutes,
    ...approvalRoutes,
    ...messageRoutes,
    ...campaignSummaryRoutes,
    ...outboxRoutes,
    ...senderDomainRoutes,
    ...suppressionRoutes,
    ...webhookRoutes,
    ...scheduleRoutes,
    ...deliveryRoutes,
    ...userRoutes,
    ...apiKeyRoutes,
    ...notificationRoutes,
    ...triggerRoutes,
  ];
}
