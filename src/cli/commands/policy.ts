// `herald policy show | set … | limits`: the account's pacing policy and today's limits.
import type { Command } from 'commander';
import { invalid } from '../../app/errors.ts';
import { loadPacingPolicy, updatePacingPolicy } from '../../app/pacing/account-policy.ts';
import { readAccountLimits } from '../../app/pacing/read-limits.ts';
import { printJson, printTable, withApp } from '../cli-context.ts';

interface SetOptions {
  quietHours?: string;
  timezone?: string;
  dailyLimit?: string[];
  throttle?: string[];
  frequencyCap?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

const count = (flag: string, value: string): number | null => {
  if (value === 'none' || value === 'unlimited') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw invalid(flag, `${flag}: "${value}" is not a whole number (or "unlimited")`);
  return n;
};

const pair = (flag: string, value: string): [string, string] => {
  const i = value.lastIndexOf('=');
  if (i <= 0) throw invalid(flag, `${flag}: expected key=value, got "${value}"`);
  return [value.slice(0, i).trim().toLowerCase(), value.slice(i + 1).trim()];
};

/** The command-line flags as a partial policy (the use case validates the values). */
export function policyPatchFromOptions(o: SetOptions): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (o.quietHours !== undefined) {
    if (o.quietHours === 'off') patch.quiet_hours = { enabled: false };
    else {
      const m = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(o.quietHours);
      if (!m) throw invalid('--quiet-hours', `--quiet-hours: expected HH:mm-HH:mm (e.g. 21:00-09:00) or "off", got "${o.quietHours}"`);
      patch.quiet_hours = { enabled: true, start: m[1], end: m[2] };
    }
  }
  if (o.timezone !== undefined) patch.timezone = o.timezone;
  if (o.dailyLimit?.length) {
    patch.daily_limit = Object.fromEntries(o.dailyLimit.map((v) => {
      const [channel, n] = pair('--daily-limit', v);
      return [channel, count('--daily-limit', n)];
    }));
  }
  if (o.throttle?.length) {
    patch.domain_throttles = Object.fromEntries(o.throttle.map((v) => {
      const [domain, n] = pair('--throttle', v);
      if (n === 'default') return [domain, null];
      const perMinute = count('--throttle', n);
      if (perMinute === 0) throw invalid('--throttle', '--throttle: 0 per minute would never send; use a positive number or "unlimited"');
      return [domain, { per_minute: perMinute }];
    }));
  }
  if (o.frequencyCap !== undefined) {
    if (o.frequencyCap === 'off') patch.frequency_cap = null;
    else {
      const m = /^(\d+)\/(\d+)$/.exec(o.frequencyCap);
      if (!m) throw invalid('--frequency-cap', `--frequency-cap: expected messages/days (e.g. 3/7) or "off", got "${o.frequencyCap}"`);
      patch.frequency_cap = { max_messages: Number(m[1]), per_days: Number(m[2]) };
    }
  }
  return patch;
}

export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('delivery policy: quiet hours, daily limits, domain throttles, frequency cap, warm-up');

  policy
    .command('show')
    .description("the account's pacing policy (defaults filled in)")
    .action(async (_opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => printJson({ pacing: await loadPacingPolicy(deps, actor.accountId) }));
    });

  policy
    .command('set')
    .description('change part of the pacing policy')
    .option('--quiet-hours <HH:mm-HH:mm>', 'quiet hours in the recipient\'s local time, e.g. 21:00-09:00, or "off"')
    .option('--timezone <zone>', "the account's IANA time zone, e.g. Europe/Berlin")
    .option('--daily-limit <channel=n>', 'daily limit per channel, e.g. email=1000 or email=unlimited (repeatable)', collect)
    .option('--throttle <domain=n>', 'messages per minute to a domain, e.g. gmail.com=600, *=unlimited, gmx.de=default (repeatable)', collect)
    .option('--frequency-cap <n/days>', 'at most n messages per contact in days, e.g. 3/7, or "off"')
    .action(async (opts: SetOptions, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const patch = policyPatchFromOptions(opts);
        if (Object.keys(patch).length === 0) throw invalid('options', 'nothing to change: give at least one option (see herald policy set --help)');
        printJson({ pacing: await updatePacingPolicy(deps, actor, patch) });
      });
    });

  policy
    .command('limits')
    .description("today's counters and effective limits, with warm-up and complaint adaptation explained")
    .action(async (_opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const limits = await readAccountLimits(deps, actor);
        if ((cmd.optsWithGlobals() as { json?: boolean }).json) return printJson(limits);
        process.stdout.write(`day ${limits.day} (${limits.timezone}); the next day starts at ${limits.next_day_at}\n\n`);
        printTable(
          limits.channels.map((c) => ({ ...c, effective_limit: c.effective_limit ?? 'unlimited', remaining_today: c.remaining_today ?? 'unlimited' })),
          ['channel', 'configured_limit', 'effective_limit', 'sent_today', 'remaining_today', 'stopped'],
        );
        for (const c of limits.channels) process.stdout.write(`\n${c.channel}: ${c.explanation.join('; ')}\n`);
        process.stdout.write('\n');
        printTable(limits.domains_this_minute.map((d) => ({ ...d, per_minute: d.per_minute ?? 'unlimited' })), ['domain', 'per_minute', 'used']);
      });
    });
}
