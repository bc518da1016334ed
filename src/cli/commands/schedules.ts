// herald campaigns schedule|unschedule|runs and herald runs confirm|skip|show: recurring
// campaigns from the command line (F4.3). Each run is a delivery with its own ledger and numbers.
import type { Command } from 'commander';
import { campaignStats } from '../../app/campaigns/campaign-stats.ts';
import { getDelivery, listCampaignDeliveries } from '../../app/deliveries/read-deliveries.ts';
import { confirmRun, skipRun } from '../../app/schedules/confirm-run.ts';
import { getSchedule, removeSchedule, type ScheduleView, setSchedule } from '../../app/schedules/write-schedule.ts';
import type { MissedRunsPolicy } from '../../core/schedules/missed-runs.ts';
import { positiveInt, printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

const int = (field: string) => (v: string) => positiveInt(v, field);

function printSchedule(s: ScheduleView): void {
  process.stdout.write(
    `campaign ${s.campaign_id} (${s.campaign_status}): "${s.cron}" in ${s.timezone}; missed runs: ${s.missed_runs}${s.confirm_each_run ? '; each run waits for confirmation' : ''}` +
      `${s.starts_at ? `; from ${s.starts_at}` : ''}${s.ends_at ? `; until ${s.ends_at}` : ''}${s.max_runs !== null ? `; at most ${s.max_runs} runs (${s.runs_created} so far)` : ''}\n`,
  );
  if (s.upcoming.length === 0) process.stdout.write('  no upcoming occurrence\n');
  for (const o of s.upcoming) process.stdout.write(`  next: ${o.local}  (${o.at})\n`);
}

export function registerScheduleCommands(program: Command): void {
  const campaigns = program.commands.find((c) => c.name() === 'campaigns');
  if (campaigns) {
    campaigns
      .command('schedule <id>')
      .description('make a draft recurring: a cron rule (5 fields, or 6 with seconds first) in a time zone; without --cron, show the schedule')
      .option('--cron <rule>', 'e.g. "0 9 * * 1" (Mondays 09:00)')
      .option('--tz <zone>', "IANA time zone (default: the account's)")
      .option('--confirm-each-run', 'each run waits for `herald runs confirm <id>`')
      .option('--missed <policy>', 'runs missed while Herald was down: run_once (default) | skip')
      .option('--starts <time>', 'no run before this (local in the zone, or ISO with offset)')
      .option('--ends <time>', 'no run at or after this')
      .option('--max-runs <n>', 'stop after this many runs', int('--max-runs'))
      .action(async (id, opts, cmd) =>
        withApp(cmd, async ({ deps, actor }) => {
          const campaignId = int('id')(id);
          const s = opts.cron
            ? await setSchedule(deps, actor, campaignId, {
                cron: opts.cron,
                timezone: opts.tz ?? null,
                confirm_each_run: Boolean(opts.confirmEachRun),
                missed_runs: (opts.missed ?? 'run_once') as MissedRunsPolicy,
                starts_at: opts.starts ?? null,
                ends_at: opts.ends ?? null,
                max_runs: opts.maxRuns ?? null,
              })
            : await getSchedule(deps, actor, campaignId);
          if (wantsJson(cmd)) return printJson(s);
          printSchedule(s);
          if (opts.cron && s.campaign_status === 'draft') process.stdout.write(`  launch it with: herald campaigns send ${campaignId}\n`);
        }),
      );

    campaigns
      .command('unschedule <id>')
      .description('remove the schedule of a draft: it becomes a one-off again')
      .action(async (id, _opts, cmd) =>
        withApp(cmd, async ({ deps, actor }) => {
          await removeSchedule(deps, actor, int('id')(id));
          process.stdout.write(`campaign ${id} is a one-off draft again\n`);
        }),
      );

    campaigns
      .command('runs <id>')
      .description("the campaign's runs (deliveries), newest first, with their ledger counts")
      .option('--status <status>')
      .action(async (id, opts, cmd) =>
        withApp(cmd, async ({ deps, actor }) => {
          const page = await listCampaignDeliveries(deps, actor, int('id')(id), { limit: 100, status: opts.status });
          if (wantsJson(cmd)) return printJson(page);
          printTable(
            page.items.map((d) => ({ ...d, counts: Object.entries(d.counts).map(([k, n]) => `${k} ${n}`).join(', ') })),
            ['id', 'status', 'run_key', 'scheduled_at', 'total', 'counts', 'status_reason'],
          );
        }),
      );
  }

  const runs = program.command('runs').description('one run (delivery) of a campaign: show, confirm or skip it');
  runs
    .command('show <deliveryId>')
    .description("the run with its live numbers and KPIs")
    .action(async (id, _opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const d = await getDelivery(deps, actor, int('deliveryId')(id));
        const stats = await campaignStats(deps, actor, d.campaign_id, { deliveryId: d.id });
        if (wantsJson(cmd)) return printJson({ ...d, stats });
        process.stdout.write(
          `delivery ${d.id} of campaign ${d.campaign_id}: ${d.status}${d.status_reason ? ` — ${d.status_reason}` : ''}\n` +
            `  run ${d.run_key ?? '(launch)'}  scheduled ${d.scheduled_at ?? '-'}  finished ${d.finished_at ?? '-'}\n` +
            `  total ${stats.total}  sent ${stats.sent}  to send ${stats.to_send}  deferred ${stats.deferred}  failed ${stats.failed}  skipped ${stats.skipped}  cancelled ${stats.cancelled}\n`,
        );
        if (stats.kpis) process.stdout.write(`  kpis ${JSON.stringify(stats.kpis)}\n`);
      }),
    );
  for (const [name, fn] of [
    ['confirm', confirmRun],
    ['skip', skipRun],
  ] as const) {
    runs
      .command(`${name} <deliveryId>`)
      .description(name === 'confirm' ? 'a run awaiting confirmation is scheduled and sends' : 'a run awaiting confirmation is skipped')
      .action(async (id, _opts, cmd) =>
        withApp(cmd, async ({ deps, actor }) => {
          const d = await fn(deps, actor, int('deliveryId')(id));
          if (wantsJson(cmd)) return printJson(d);
          process.stdout.write(`delivery ${d.id} is ${d.status}\n`);
        }),
      );
  }
}
