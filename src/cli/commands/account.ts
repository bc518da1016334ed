// herald account …: the company profile (a pre-flight requirement) and billing readiness.
import type { Command } from 'commander';
import { getAccountProfile, updateAccountProfile } from '../../app/accounts/account-profile.ts';
import { printJson, withApp } from '../cli-context.ts';

export function registerAccountCommands(program: Command): void {
  const a = program.command('account').description('the account: company profile and billing');
  a.command('show').action(async (_o, cmd) => withApp(cmd, async ({ deps, actor }) => printJson(await getAccountProfile(deps, actor))));
  a.command('profile')
    .description('set the company profile (name, phone, postal address fill the legal footer)')
    .option('--company <name>')
    .option('--phone <phone>')
    .option('--address <postal address>')
    .option('--from <email>', 'default sender address for system messages')
    .option('--billing-verified', 'mark the payment account verified')
    .option('--billing-unverified', 'block sending until the payment account is verified')
    .option('--consent-expiry-hours <hours>', 'how long a double opt-in request stays open', (v) => Number(v))
    .action(async (opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const r = await updateAccountProfile(deps, actor, {
          company_name: opts.company,
          phone: opts.phone,
          postal_address: opts.address,
          default_from_email: opts.from,
          billing_verified: opts.billingVerified ? true : opts.billingUnverified ? false : undefined,
          consent_expiry_hours: opts.consentExpiryHours,
        });
        printJson(r);
      }),
    );
}
