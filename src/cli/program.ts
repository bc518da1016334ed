// The `herald` command. Each resource registers its subcommands from src/cli/commands/<resource>.ts.
import { Command } from 'commander';
import { registerAccountCommands } from './commands/account.ts';
import { registerBounceCommands } from './commands/bounces.ts';
import { registerCampaignCommands } from './commands/campaigns.ts';
import { registerConsentCommands } from './commands/consent.ts';
import { registerContactCommands } from './commands/contacts.ts';
import { registerListCommands } from './commands/lists.ts';
import { registerOutboxCommands } from './commands/outbox.ts';
import { registerPolicyCommands } from './commands/policy.ts';
import { registerSegmentCommands } from './commands/segments.ts';
import { registerSenderCommands } from './commands/senders.ts';
import { registerServeCommands } from './commands/serve.ts';
import { registerSuppressionCommands } from './commands/suppressions.ts';
import { registerTemplateCommands } from './commands/templates.ts';
import { registerWebhookCommands } from './commands/webhooks.ts';
import { registerWhyCommands } from './commands/why.ts';

export function buildProgram(): Command {
  const program = new Command('herald')
    .description('Herald: campaign delivery that never fails silently')
    .option('--account <id>', 'act for this account (default: the first account)')
    .option('--json', 'print JSON instead of tables')
    .showHelpAfterError();
  registerServeCommands(program);
  registerContactCommands(program);
  registerListCommands(program);
  registerSegmentCommands(program);
  registerConsentCommands(program);
  registerTemplateCommands(program);
  registerCampaignCommands(program);
  registerOutboxCommands(program);
  registerSenderCommands(program);
  registerAccountCommands(program);
  registerPolicyCommands(program);
  registerSuppressionCommands(program);
  registerWhyCommands(program);
  registerBounceCommands(program);
  registerWebhookCommands(program);
  return program;
}
