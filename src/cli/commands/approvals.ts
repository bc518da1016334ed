// herald approvals / herald campaigns launch|approve|reject|withdraw|approvals / herald account
// approval: launching under the account's approval rule and deciding on launch requests (F4.2).
// The CLI acts as "cli" with the owner role: under four-eyes it cannot approve what it wrote or asked for.
import type { Command } from 'commander';
import { approveCampaign } from '../../app/approvals/approve-campaign.ts';
import { loadApprovalSettings, updateApprovalSettings } from '../../app/approvals/approval-settings.ts';
import { launchCampaign } from '../../app/approvals/launch-campaign.ts';
import { listApprovals, listCampaignApprovals } from '../../app/approvals/read-approvals.ts';
import { rejectCampaign } from '../../app/approvals/reject-campaign.ts';
import { withdrawApproval } from '../../app/approvals/withdraw-approval.ts';
import type { CampaignView } from '../../app/campaigns/read-campaigns.ts';
import { invalid } from '../../app/errors.ts';
import { positiveInt, printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

const campaignId = (v: string) => positiveInt(v, 'campaign');

function printOutcome(c: CampaignView & { notice?: string }): void {
  const p = c.pending_approval;
  process.stdout.write(
    `campaign ${c.id} is ${c.status}${c.scheduled_at && c.status === 'scheduled' ? ` (at ${c.scheduled_at})` : ''}` +
      `${p ? ` — requested by ${p.requested_by} at ${p.requested_at}${p.send_at ? `, to send at ${p.send_at}` : ''}` : ''}\n`,
  );
  if (c.notice) process.stdout.write(`${c.notice}\n`);
}

/** --flag / --no-flag pairs: true, false, or undefined when neither was given (both: an error). */
function pick(on: boolean | undefined, off: boolean | undefined, names: string): boolean | undefined {
  if (on && off) throw invalid(names, `give one of ${names.replace('/', ' or ')}, not both`);
  return on ? true : off ? false : undefined;
}

export function registerApprovalCommands(program: Command): void {
  program
    .command('approvals')
    .description('launch requests of the account (--pending: the approval queue)')
    .option('--pending', 'only requests waiting for a decision')
    .action(async (opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const page = await listApprovals(deps, actor, { status: opts.pending ? 'pending' : undefined, limit: 1000 });
        if (wantsJson(cmd)) return printJson(page);
        printTable(
          page.items.map((a) => ({ ...a, campaign: `${a.campaign.id} ${a.campaign.name}`, author: a.campaign.created_by })),
          ['id', 'campaign', 'status', 'author', 'requested_by', 'requested_at', 'send_at', 'decided_by', 'comment'],
        );
      }),
    );

  const account = program.commands.find((c) => c.name() === 'account');
  account
    ?.command('approval')
    .description('the approval rule: --required makes every launch a request; --four-eyes keeps authors and requesters from approving')
    .option('--required', 'launches need approval by someone with deliveries:start')
    .option('--not-required', 'launches start at once')
    .option('--four-eyes', 'the approver is neither the author nor the requester')
    .option('--no-four-eyes', 'anyone with deliveries:start may approve')
    .action(async (opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const required = pick(opts.required, opts.notRequired, '--required/--not-required');
        // commander turns --four-eyes/--no-four-eyes into one option, undefined unless given.
        const fourEyes = opts.fourEyes as boolean | undefined;
        const settings =
          required === undefined && fourEyes === undefined
            ? await loadApprovalSettings(deps, actor.accountId)
            : await updateApprovalSettings(deps, actor, { required, four_eyes: fourEyes });
        if (wantsJson(cmd)) return printJson(settings);
        process.stdout.write(`approval ${settings.required ? 'required' : 'not required'}; four-eyes ${settings.four_eyes ? 'on' : 'off'}\n`);
      }),
    );

  const campaigns = program.commands.find((c) => c.name() === 'campaigns');
  if (!campaigns) return;
  campaigns
    .command('launch <id>')
    .description('launch now (or --at a time); under the approval rule this asks for approval')
    .option('--at <time>', 'when to send: a local time in the account\'s zone ("2026-12-01T09:00") or ISO 8601 with an offset')
    .action(async (id, opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const c = await launchCampaign(deps, actor, campaignId(id), { at: opts.at ?? null });
        if (wantsJson(cmd)) return printJson(c);
        printOutcome(c);
      }),
    );
  campaigns
    .command('approve <id>')
    .description('approve a launch request: the campaign is scheduled or sends')
    .option('--comment <text>')
    .action(async (id, opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const c = await approveCampaign(deps, actor, campaignId(id), { comment: opts.comment ?? null });
        if (wantsJson(cmd)) return printJson(c);
        printOutcome(c);
      }),
    );
  campaigns
    .command('reject <id>')
    .description('reject a launch request with a reason: back to draft')
    .requiredOption('--comment <text>', 'why (the author reads it)')
    .action(async (id, opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const c = await rejectCampaign(deps, actor, campaignId(id), { comment: opts.comment });
        if (wantsJson(cmd)) return printJson(c);
        printOutcome(c);
      }),
    );
  campaigns
    .command('withdraw <id>')
    .description('withdraw a launch request: back to draft')
    .action(async (id, _opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const c = await withdrawApproval(deps, actor, campaignId(id));
        if (wantsJson(cmd)) return printJson(c);
        printOutcome(c);
      }),
    );
  campaigns
    .command('approvals <id>')
    .description("the campaign's launch requests and their outcomes")
    .action(async (id, _opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const page = await listCampaignApprovals(deps, actor, campaignId(id));
        if (wantsJson(cmd)) return printJson(page);
        printTable(page.items as unknown as Record<string, unknown>[], ['id', 'status', 'requested_by', 'requested_at', 'send_at', 'decided_by', 'decided_at', 'comment']);
      }),
    );
}
