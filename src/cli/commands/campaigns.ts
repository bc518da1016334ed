// herald campaigns …: create, send (with a live progress bar), pause, resume, cancel, stats, and
// the per-recipient ledger with reasons.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { campaignStats } from '../../app/campaigns/campaign-stats.ts';
import { cancelCampaign, pauseCampaign, resumeCampaign } from '../../app/campaigns/control-campaign.ts';
import { listCampaignMessages } from '../../app/campaigns/list-campaign-messages.ts';
import { getCampaign, listCampaigns } from '../../app/campaigns/read-campaigns.ts';
import { sendCampaign } from '../../app/campaigns/send-campaign.ts';
import { createCampaign, updateCampaign } from '../../app/campaigns/write-campaign.ts';
import type { Actor, AppDeps } from '../../app/deps.ts';
import { positiveInt, printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

const int = (field: string) => (v: string) => positiveInt(v, field);
const intList = (field: string) => (v: string) => v.split(',').filter(Boolean).map(int(field));

async function printStats(deps: AppDeps, actor: Actor, id: number, json: boolean) {
  const s = await campaignStats(deps, actor, id);
  if (json) return printJson(s);
  process.stdout.write(
    `campaign ${id}: ${s.status}${s.delivery ? ` (${s.runs === 'all' ? 'all runs; latest ' : ''}delivery ${s.delivery.id}: ${s.delivery.status}${s.delivery.status_reason ? ` — ${s.delivery.status_reason}` : ''})` : ''}\n` +
      `  total ${s.total}  sent ${s.sent}  to send ${s.to_send}  deferred ${s.deferred}  failed ${s.failed}  skipped ${s.skipped}  cancelled ${s.cancelled}  uncertain ${s.uncertain}\n` +
      `  progress ${(s.progress * 100).toFixed(1)}%  sent in the last minute ${s.sent_last_minute}${s.projected_finish_at ? `  projected finish ${s.projected_finish_at}` : ''}` +
      `${s.possible_duplicates ? `\n  possible duplicates (sent again after a crash during hand-off): ${s.possible_duplicates}` : ''}\n`,
  );
  if (s.by_reason.length) {
    process.stdout.write('  why not sent:\n');
    for (const r of s.by_reason) process.stdout.write(`    ${String(r.count).padStart(7)}  ${r.status}: ${r.reason} — ${r.meaning}\n`);
  }
}

/** Follows a send with a progress bar until the delivery ends (the sending is done by a running worker). */
async function watch(deps: AppDeps, actor: Actor, id: number) {
  const bar = new cliProgress.SingleBar(
    { format: 'sending |{bar}| {percentage}% {value}/{total} sent {sent} failed {failed} skipped {skipped} {state}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let idleSince = Date.now();
  let lastDone = -1;
  for (;;) {
    const s = await campaignStats(deps, actor, id);
    const done = s.total - s.to_send;
    if (!started && s.total > 0) {
      bar.start(s.total, done, { sent: 0, failed: 0, skipped: 0, state: '' });
      started = true;
    }
    if (started) bar.update(done, { sent: s.sent, failed: s.failed, skipped: s.skipped, state: s.delivery?.status ?? '' });
    if (done !== lastDone) {
      lastDone = done;
      idleSince = Date.now();
    }
    const state = s.delivery?.status;
    if (state === 'completed' || state === 'cancelled' || state === 'paused') {
      if (started) bar.stop();
      await printStats(deps, actor, id, false);
      return;
    }
    if (Date.now() - idleSince > 15_000) {
      if (started) bar.stop();
      process.stderr.write(
        `no progress for 15 s (delivery ${state ?? 'not created'}). Is Herald running (npm start, or herald worker)? The campaign stays queued and goes out when a worker runs.\n`,
      );
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

export function registerCampaignCommands(program: Command): void {
  const c = program.command('campaigns').description('create, send and follow campaigns');

  c.command('list')
    .option('--status <status>')
    .option('--kind <kind>', "one-off, recurring, triggered or message (default: every kind but one-off messages)")
    .action(async (opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const page = await listCampaigns(deps, actor, { limit: 100, status: opts.status, kind: opts.kind });
        if (wantsJson(cmd)) return printJson(page);
        printTable(page.items as unknown as Record<string, unknown>[], ['id', 'name', 'kind', 'status', 'channel', 'template_id', 'from_email', 'scheduled_at']);
      }),
    );

  c.command('create')
    .requiredOption('--name <name>')
    .option('--template <id>', 'template id', int('--template'))
    .option('--from <email>', 'sender address')
    .option('--from-name <name>')
    .option('--reply-to <email>')
    .option('--lists <ids>', 'comma-separated list ids', intList('--lists'))
    .option('--exclude-lists <ids>', 'comma-separated list ids to exclude', intList('--exclude-lists'))
    .option('--segment <id>', 'only contacts matching this segment', int('--segment'))
    .option('--exclude-segments <ids>', 'comma-separated segment ids to exclude', intList('--exclude-segments'))
    .option('--uncertain-policy <policy>', 'resend | hold')
    .action(async (opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const created = await createCampaign(deps, actor, {
          name: opts.name,
          template_id: opts.template ?? null,
          from_email: opts.from ?? null,
          from_name: opts.fromName ?? null,
          reply_to: opts.replyTo ?? null,
          audience: {
            list_ids: opts.lists ?? [],
            exclude_list_ids: opts.excludeLists ?? [],
            segment_id: opts.segment ?? null,
            exclude_segment_ids: opts.excludeSegments ?? [],
          },
          settings: opts.uncertainPolicy ? { uncertain_policy: opts.uncertainPolicy } : undefined,
        });
        if (wantsJson(cmd)) return printJson(created);
        process.stdout.write(`created campaign ${created.id} (${created.status})\n`);
      }),
    );

  c.command('update <id>')
    .option('--name <name>')
    .option('--template <id>', 'template id', int('--template'))
    .option('--from <email>')
    .option('--from-name <name>')
    .option('--lists <ids>', 'comma-separated list ids', intList('--lists'))
    .option('--exclude-lists <ids>', 'comma-separated list ids', intList('--exclude-lists'))
    .option('--segment <id>', 'only contacts matching this segment ("none" to clear)')
    .option('--exclude-segments <ids>', 'comma-separated segment ids to exclude', intList('--exclude-segments'))
    .action(async (id, opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const audience: Record<string, number[] | number | null> = {};
        if (opts.lists) audience.list_ids = opts.lists;
        if (opts.excludeLists) audience.exclude_list_ids = opts.excludeLists;
        if (opts.segment) audience.segment_id = opts.segment === 'none' ? null : int('--segment')(opts.segment);
        if (opts.excludeSegments) audience.exclude_segment_ids = opts.excludeSegments;
        const updated = await updateCampaign(deps, actor, int('id')(id), {
          name: opts.name,
          template_id: opts.template,
          from_email: opts.from,
          from_name: opts.fromName,
          audience: Object.keys(audience).length ? audience : undefined,
        });
        printJson(updated);
      }),
    );

  c.command('show <id>').action(async (id, _opts, cmd) =>
    withApp(cmd, async ({ deps, actor }) => printJson(await getCampaign(deps, actor, int('id')(id)))),
  );

  c.command('send <id>')
    .description('send now (or --at a time); --watch follows the progress')
    .option('--at <time>', 'when to send: a local time in the account\'s zone ("2026-12-01T09:00") or ISO 8601 with an offset')
    .option('--watch', 'show a progress bar until the delivery ends')
    .action(async (id, opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const campaign = await sendCampaign(deps, actor, int('id')(id), { at: opts.at ?? null });
        process.stdout.write(`campaign ${campaign.id} is ${campaign.status}${campaign.scheduled_at ? ` (at ${campaign.scheduled_at})` : ''}\n`);
        // e.g. "campaign 5 awaits approval: … someone other than … approves it" (as `campaigns launch` prints)
        const notice = (campaign as { notice?: string }).notice;
        if (notice) process.stdout.write(`${notice}\n`);
        // Under the account's approval rule the send became a request (herald campaigns approve): nothing to watch yet.
        if (opts.watch && campaign.status !== 'awaiting_approval') await watch(deps, actor, campaign.id);
      }),
    );

  c.command('watch <id>').action(async (id, _opts, cmd) => withApp(cmd, ({ deps, actor }) => watch(deps, actor, int('id')(id))));

  for (const [name, fn] of [
    ['pause', pauseCampaign],
    ['resume', resumeCampaign],
    ['cancel', cancelCampaign],
  ] as const) {
    c.command(`${name} <id>`).action(async (id, _opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const r = await fn(deps, actor, int('id')(id));
        process.stdout.write(`campaign ${r.id} is ${r.status}\n`);
      }),
    );
  }

  c.command('stats <id>').action(async (id, _opts, cmd) =>
    withApp(cmd, ({ deps, actor }) => printStats(deps, actor, int('id')(id), wantsJson(cmd))),
  );

  c.command('messages <id>')
    .description("the campaign's ledger: each recipient with status and reason")
    .option('--status <status>')
    .option('--reason <reason>')
    .option('--contact <id>', 'contact id', int('--contact'))
    .option('--limit <n>', 'rows', int('--limit'), 100)
    .option('--after <id>', 'rows after this message id', int('--after'))
    .action(async (id, opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const page = await listCampaignMessages(deps, actor, int('id')(id), {
          status: opts.status,
          reason: opts.reason,
          contact_id: opts.contact,
          limit: opts.limit,
          after: opts.after,
        });
        if (wantsJson(cmd)) return printJson(page);
        printTable(page.items as unknown as Record<string, unknown>[], ['id', 'contact_id', 'address', 'status', 'reason', 'attempts', 'response']);
        if (page.next_after) process.stdout.write(`… more: --after ${page.next_after}\n`);
      }),
    );
}
