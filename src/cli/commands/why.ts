// herald why <campaign> <contact>: the decision for one contact with its reason and the rule and
// data behind it (E1); herald campaigns diagnose / preflight print the funnel and the checklist.
import type { Command } from 'commander';
import { diagnoseCampaign } from '../../app/explain/diagnose-campaign.ts';
import { explainContact } from '../../app/explain/explain-contact.ts';
import { type Preflight, preflightCampaign } from '../../app/explain/preflight.ts';
import { positiveInt, printJson, wantsJson, withApp } from '../cli-context.ts';

const MARK = { ok: '  ok     ', warning: '  WARN   ', blocking: '  BLOCKS ' } as const;

export function printPreflight(p: Preflight): void {
  process.stdout.write(`campaign ${p.campaign_id}: ${p.ready ? 'ready to launch' : `${p.blocking} blocking item(s)`}${p.warnings ? `, ${p.warnings} warning(s)` : ''}\n`);
  for (const i of p.items) {
    process.stdout.write(`${MARK[i.status]}${i.title}: ${i.detail}\n`);
    if (i.fix && i.status !== 'ok') process.stdout.write(`           fix: ${i.fix.hint}${i.fix.cli ? `  →  ${i.fix.cli}` : ''}\n`);
  }
}

const campaignId = (v: string) => positiveInt(v, 'campaign');

export function registerWhyCommands(program: Command): void {
  program
    .command('why <campaign> <contact>')
    .description('why a contact did (not) get a campaign: the decision, its reason, and the rule and data behind it')
    .action(async (campaign, contact, _o, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const e = await explainContact(deps, actor, campaignId(campaign), contact);
        if (wantsJson(cmd)) return printJson(e);
        process.stdout.write(`${e.summary}\n`);
        const d = e.decision;
        process.stdout.write(`  decision now: ${d.kind}${d.reason ? ` (${d.reason})` : ''} — rule: ${d.rule}; ${d.detail}${d.until ? `; until ${d.until}` : ''}\n`);
        if (e.ledger) {
          const l = e.ledger;
          process.stdout.write(`  ledger: message ${l.message_id} ${l.status}${l.reason ? ` (${l.reason})` : ''}, attempts ${l.attempts}${l.response ? `, reply "${l.response}"` : ''}\n`);
        }
      }),
    );
  const campaigns = program.commands.find((c) => c.name() === 'campaigns');
  const parent = campaigns ?? program;
  parent
    .command('diagnose <id>')
    .description('the audience funnel: in the lists → after exclusions → reachable → not suppressed → consented → inside limits → sent')
    .action(async (id, _o, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const d = await diagnoseCampaign(deps, actor, campaignId(id));
        if (wantsJson(cmd)) return printJson(d);
        process.stdout.write(`${d.summary}\n  (${d.source === 'ledger' ? `from the ledger of delivery ${d.delivery_id}` : 'dry run on today\'s data: nothing was sent'})\n`);
        for (const s of d.funnel) {
          process.stdout.write(`  ${String(s.count).padStart(9)}  ${s.label}\n`);
          for (const l of s.lost) process.stdout.write(`  ${''.padStart(9)}    − ${l.count} ${l.reason}\n`);
        }
      }),
    );
  parent
    .command('preflight <id>')
    .description('the pre-flight checklist: what is ok, what warns, what blocks the launch and how to fix it')
    .action(async (id, _o, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const p = await preflightCampaign(deps, actor, campaignId(id));
        if (wantsJson(cmd)) return printJson(p);
        printPreflight(p);
        if (!p.ready) process.exitCode = 3;
      }),
    );
}
