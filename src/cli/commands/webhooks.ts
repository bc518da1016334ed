// `herald webhooks …`: outgoing webhook endpoints (list, add, show, deliveries, test, enable,
// disable, delete) and `herald webhooks provider …` for the provider webhooks coming in.
import type { Command } from 'commander';
import { AppError } from '../../app/errors.ts';
import { configureProviderWebhook, getProviderWebhook, listProviderWebhooks, type ProviderWebhookInput } from '../../app/webhooks/provider-webhook-settings.ts';
import { createWebhookEndpoint } from '../../app/webhooks/create-webhook-endpoint.ts';
import { deleteWebhookEndpoint } from '../../app/webhooks/delete-webhook-endpoint.ts';
import { getWebhookEndpoint, listWebhookDeliveries, listWebhookEndpoints } from '../../app/webhooks/read-webhook-endpoints.ts';
import { sendTestWebhook } from '../../app/webhooks/send-test-webhook.ts';
import { updateWebhookEndpoint } from '../../app/webhooks/update-webhook-endpoint.ts';
import { positiveInt, printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

const ENDPOINT_COLUMNS = ['id', 'status', 'url', 'events', 'failure_streak', 'next_attempt_at', 'last_success_at', 'disabled_reason'];

/** The API names input fields; the CLI names its flags. */
function renameField(err: unknown, flags: Record<string, string>): never {
  if (err instanceof AppError && err.field) {
    const base = err.field.replace(/\[\d+\]$/, '');
    if (flags[base]) throw new AppError(err.code, err.message, flags[base], err.details);
  }
  throw err;
}

const splitEvents = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function registerWebhookCommands(program: Command): void {
  const webhooks = program.command('webhooks').description('outgoing webhooks (Herald posts events to your endpoints) and provider webhooks coming in');

  webhooks
    .command('list')
    .description('the endpoints and their state')
    .action(async (_opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const { items } = await listWebhookEndpoints(deps, actor);
        if (wantsJson(cmd)) return printJson(items);
        printTable(items as unknown as Record<string, unknown>[], ENDPOINT_COLUMNS);
      });
    });

  webhooks
    .command('add <url>')
    .description('register an endpoint; prints its signing secret once')
    .requiredOption('--events <types>', 'comma-separated: sent, delivered, bounced, opened, clicked, unsubscribed, complained, …')
    .option('--description <text>', 'what it is for')
    .action(async (url: string, opts: { events: string; description?: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const ep = await createWebhookEndpoint(deps, actor, { url, events: splitEvents(opts.events), description: opts.description }).catch((err) =>
          renameField(err, { url: 'url', events: '--events', description: '--description' }),
        );
        if (wantsJson(cmd)) return printJson(ep);
        process.stdout.write(`webhook ${ep.id} → ${ep.url} (${ep.events.join(', ')})\nsigning secret (shown once): ${ep.secret}\n`);
      });
    });

  webhooks
    .command('show <id>')
    .description('one endpoint')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => printJson(await getWebhookEndpoint(deps, actor, positiveInt(id, 'id'))));
    });

  webhooks
    .command('deliveries <id>')
    .description('the delivery log of an endpoint, newest first')
    .option('--limit <n>', 'at most this many', '50')
    .option('--before <deliveryId>', 'older than this attempt')
    .action(async (id: string, opts: { limit: string; before?: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const page = await listWebhookDeliveries(deps, actor, positiveInt(id, 'id'), {
          limit: positiveInt(opts.limit, '--limit'),
          before: opts.before ? positiveInt(opts.before, '--before') : undefined,
        });
        if (wantsJson(cmd)) return printJson(page);
        printTable(page.items as unknown as Record<string, unknown>[], ['id', 'attempted_at', 'ok', 'status_code', 'duration_ms', 'first_event_id', 'last_event_id', 'event_count', 'test', 'error']);
        if (page.next_before !== null) process.stdout.write(`more: --before ${page.next_before}\n`);
      });
    });

  webhooks
    .command('test <id>')
    .description('send one signed test event now')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => printJson(await sendTestWebhook(deps, actor, positiveInt(id, 'id'))));
    });

  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    webhooks
      .command(`${name} <id>`)
      .description(enabled ? 'resume a disabled endpoint where it stopped' : 'stop sending to an endpoint (events are kept for when it is enabled)')
      .action(async (id: string, _opts: unknown, cmd: Command) => {
        await withApp(cmd, async ({ deps, actor }) => printJson(await updateWebhookEndpoint(deps, actor, positiveInt(id, 'id'), { enabled })));
      });
  }

  webhooks
    .command('delete <id>')
    .description('delete an endpoint and its delivery log')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => printJson(await deleteWebhookEndpoint(deps, actor, positiveInt(id, 'id'))));
    });

  const provider = webhooks.command('provider').description('provider webhooks coming in: /hooks/<provider>/<token> for SendGrid, Mailgun, Postmark, SES via SNS');

  provider
    .command('list')
    .description("the account's provider webhook URLs")
    .action(async (_opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const { items } = await listProviderWebhooks(deps, actor);
        if (wantsJson(cmd)) return printJson(items);
        printTable(
          items.map((i) => ({ ...i, configured: i.verification.configured })),
          ['provider', 'url', 'configured', 'last_received_at', 'subscribe_url'],
        );
      });
    });

  provider
    .command('show <provider>')
    .description('one provider webhook (SES: the SubscribeURL waiting for confirmation)')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => printJson(await getProviderWebhook(deps, actor, name)));
    });

  provider
    .command('set <provider>')
    .description('create the URL (or --rotate its token) and set the verification: SendGrid --public-key, Postmark --username/--password, Mailgun --signing-key')
    .option('--public-key <base64>', 'SendGrid: the verification key of the Signed Event Webhook')
    .option('--username <name>', 'Postmark: basic-auth user name put in the webhook URL')
    .option('--password <secret>', 'Postmark: basic-auth password')
    .option('--signing-key <key>', 'Mailgun: the HTTP webhook signing key')
    .option('--rotate', 'make a new secret URL (the old one stops working)')
    .action(async (name: string, opts: { publicKey?: string; username?: string; password?: string; signingKey?: string; rotate?: boolean }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const input: ProviderWebhookInput = { public_key: opts.publicKey, username: opts.username, password: opts.password, signing_key: opts.signingKey, rotate_token: opts.rotate };
        const view = await configureProviderWebhook(deps, actor, name, input).catch((err) =>
          renameField(err, { public_key: '--public-key', username: '--username', password: '--password', signing_key: '--signing-key', provider: 'provider' }),
        );
        printJson(view);
      });
    });
}
