// Operator settings of the webhooks work, from the environment:
//   HERALD_WEBHOOKS_ALLOW_HTTP=1   outgoing webhooks may go to http://127.0.0.1 (development, tests)
//   HERALD_SNS_CERTIFICATES=<path> PEM file with the SNS signing certificate(s) (or their public
//                                  keys) that SES-via-SNS webhooks are verified with
// They are read once with the rest of the configuration (src/config/load-config.ts).
import type { HeraldConfig } from '../../config/load-config.ts';
import type { AppDeps } from '../deps.ts';

export type WebhookConfig = HeraldConfig['webhooks'];

export function webhookConfigOf(deps: AppDeps): WebhookConfig {
  return deps.config.webhooks;
}
