// `herald senders …`: sender domains and their DKIM keys.
import fs from 'node:fs';
import type { Command } from 'commander';
import { AppError, invalid } from '../../app/errors.ts';
import { addSenderDomain } from '../../app/sender-domains/add-sender-domain.ts';
import { deleteSenderDomain } from '../../app/sender-domains/delete-sender-domain.ts';
import { getSenderDomain, listSenderDomains } from '../../app/sender-domains/read-sender-domains.ts';
import { rotateDkimKey } from '../../app/sender-domains/rotate-dkim-key.ts';
import type { SenderDomainView } from '../../app/sender-domains/sender-domain-view.ts';
import { printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

function positiveId(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw invalid('id', `must be a positive whole number, got "${value}"`);
  return n;
}

const CLI_FLAG_OF: Record<string, string> = {
  dkim_private_key: '--dkim-key-file',
  dkim_selector: '--dkim-selector',
  generate_dkim: '--generate-dkim',
};

function printDomain(d: SenderDomainView): void {
  const lines = [`id:        ${d.id}`, `domain:    ${d.domain}`, `dkim:      ${d.dkim_enabled ? `signing with selector ${d.dkim_selector}` : 'off (messages are not signed)'}`];
  if (d.dkim_dns_record) {
    lines.push(
      '',
      'Publish this DNS record so receivers can verify the signatures:',
      `  name:  ${d.dkim_dns_record.name}`,
      `  type:  ${d.dkim_dns_record.type}`,
      `  value: ${d.dkim_dns_record.value}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerSenderCommands(program: Command): void {
  const senders = program.command('senders').description('sender domains and DKIM signing keys');

  senders
    .command('list')
    .description('sender domains of the account')
    .action(async (_opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const items = await listSenderDomains(deps, actor);
        if (wantsJson(cmd)) return printJson({ items });
        printTable(
          items.map((d) => ({ ...d, dkim: d.dkim_enabled ? 'on' : 'off', dns_name: d.dkim_dns_record?.name ?? '' })),
          ['id', 'domain', 'dkim', 'dns_name', 'updated_at'],
        );
      });
    });

  senders
    .command('add <domain>')
    .description('add a sender domain (or update it), optionally with a DKIM key')
    .option('--dkim-selector <selector>', 'DKIM selector (default "herald" with --generate-dkim)')
    .option('--generate-dkim', 'generate a 2048-bit RSA key and print the DNS record to publish')
    .option('--dkim-key-file <file>', 'use this PEM private key (needs --dkim-selector)')
    .action(async (domain: string, opts: { dkimSelector?: string; generateDkim?: boolean; dkimKeyFile?: string }, cmd: Command) => {
      if (opts.generateDkim && opts.dkimKeyFile) throw invalid('--generate-dkim', 'choose --generate-dkim or --dkim-key-file, not both');
      let privateKey: string | undefined;
      if (opts.dkimKeyFile) {
        try {
          privateKey = fs.readFileSync(opts.dkimKeyFile, 'utf8');
        } catch (err) {
          throw invalid('--dkim-key-file', `cannot read ${opts.dkimKeyFile}: ${(err as Error).message}`);
        }
      }
      await withApp(cmd, async ({ deps, actor }) => {
        try {
          const d = await addSenderDomain(deps, actor, {
            domain,
            dkim_selector: opts.dkimSelector,
            dkim_private_key: privateKey,
            generate_dkim: opts.generateDkim,
          });
          if (wantsJson(cmd)) return printJson(d);
          printDomain(d);
        } catch (err) {
          // Name the CLI flag rather than the API field.
          const flag = err instanceof AppError && err.field ? CLI_FLAG_OF[err.field] : undefined;
          if (flag) throw new AppError((err as AppError).code, (err as AppError).message, flag, (err as AppError).details);
          throw err;
        }
      });
    });

  senders
    .command('show <id>')
    .description('a sender domain with its DKIM DNS record')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const d = await getSenderDomain(deps, actor, positiveId(id));
        if (wantsJson(cmd)) return printJson(d);
        printDomain(d);
      });
    });

  senders
    .command('dkim <id>')
    .description('generate a new DKIM key for the domain (publish the new record before sending)')
    .option('--dkim-selector <selector>', 'use a new selector so the old record stays valid meanwhile')
    .action(async (id: string, opts: { dkimSelector?: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const d = await rotateDkimKey(deps, actor, positiveId(id), { dkim_selector: opts.dkimSelector });
        if (wantsJson(cmd)) return printJson(d);
        printDomain(d);
      });
    });

  senders
    .command('delete <id>')
    .description('delete a sender domain and its DKIM key')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const n = positiveId(id);
        await deleteSenderDomain(deps, actor, n);
        if (wantsJson(cmd)) return printJson({ deleted: n });
        process.stdout.write(`deleted sender domain ${n}\n`);
      });
    });
}
