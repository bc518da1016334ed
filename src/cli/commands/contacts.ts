// `herald contacts …`: import a CSV with a progress bar, and list, show, add or delete contacts.
import fs from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { deleteContact } from '../../app/contacts/delete-contact.ts';
import { contactHistory } from '../../app/contacts/contact-history.ts';
import { findContact } from '../../app/contacts/get-contact.ts';
import { listContacts } from '../../app/contacts/list-contacts.ts';
import { saveContact } from '../../app/contacts/save-contact.ts';
import { invalid } from '../../app/errors.ts';
import type { ImportJobView } from '../../app/imports/import-job-view.ts';
import { importContactsCsv } from '../../app/imports/import-contacts-csv.ts';
import { resolveList } from '../../app/lists/find-list.ts';
import { positiveInt, printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

const count = (n: number) => n.toLocaleString('en-US');

/** "key=value" options of `contacts add --attr`; numbers and booleans stay text, as in a CSV. */
function parseAttributes(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw invalid('--attr', `"${pair}" is not key=value`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  return out;
}

const ERRORS_SHOWN = 20;

function printImportSummary(job: ImportJobView, listName: string | null, seconds: number): void {
  const rate = seconds > 0 ? Math.round(job.total_rows / seconds) : job.total_rows;
  const into = listName ? ` into list "${listName}"` : '';
  process.stdout.write(
    `import ${job.id} ${job.status}: ${count(job.imported_rows)} of ${count(job.total_rows)} rows imported${into}, ` +
      `${count(job.failed_rows)} failed (${seconds.toFixed(1)} s, ${count(rate)} rows/s)\n`,
  );
  if (job.errors.length === 0) return;
  for (const e of job.errors.slice(0, ERRORS_SHOWN)) process.stdout.write(`  line ${e.line}, ${e.field}: ${e.reason}\n`);
  const more = Math.max(job.failed_rows, job.errors.length) - ERRORS_SHOWN;
  if (more > 0) process.stdout.write(`  … and more: the first 1,000 errors are in GET /api/v1/imports/${job.id}\n`);
}

export function registerContactCommands(program: Command): void {
  const contacts = program.command('contacts').description('contacts: the people campaigns reach (email, phone, messenger, postal address)');

  contacts
    .command('import <file>')
    .description('import contacts from a CSV file (header row: email and/or phone, first_name, last_name, timezone, locale, more columns become attributes)')
    .option('--list <id|name>', 'subscribe every imported contact to this list')
    .option('--status <status>', "status of new subscriptions: subscribed, unconfirmed or unsubscribed (default: the list's opt-in decides)")
    .action(async (file: string, opts: { list?: string; status?: string }, cmd: Command) => {
      let size: number;
      try {
        size = fs.statSync(file).size;
      } catch (err) {
        throw invalid('file', `cannot read ${file}: ${(err as Error).message}`);
      }
      await withApp(cmd, async ({ deps, actor }) => {
        const list = opts.list ? await resolveList(deps, actor, opts.list, '--list') : null;
        const stream = fs.createReadStream(file);
        const showBar = !wantsJson(cmd) && process.stderr.isTTY;
        const bar = new cliProgress.SingleBar(
          {
            format: ' {bar} {percentage}% | {rows} rows | {imported} imported | {failed} failed | {rate} rows/s',
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        );
        const started = performance.now();
        if (showBar) bar.start(size, 0, { rows: 0, imported: 0, failed: 0, rate: 0 });
        let job: ImportJobView;
        try {
          job = await importContactsCsv(deps, actor, {
            stream,
            listId: list ? list.id : null,
            status: opts.status ?? null,
            source: 'cli',
            onProgress: (p) => {
              if (!showBar) return;
              const seconds = (performance.now() - started) / 1000;
              bar.update(stream.bytesRead, { rows: count(p.rows), imported: count(p.imported), failed: count(p.failed), rate: count(Math.round(p.rows / seconds)) });
            },
          });
        } finally {
          if (showBar) bar.stop();
        }
        const seconds = (performance.now() - started) / 1000;
        if (wantsJson(cmd)) printJson(job);
        else printImportSummary(job, list?.name ?? null, seconds);
        if (job.status === 'failed') process.exitCode = 2;
      });
    });

  contacts
    .command('list')
    .description('list contacts by id')
    .option('--q <text>', 'only contacts whose email or phone contains this')
    .option('--list <id|name>', 'only contacts on this list')
    .option('--limit <n>', 'at most this many', '100')
    .option('--after <id>', 'only ids greater than this', '0')
    .action(async (opts: { q?: string; list?: string; limit: string; after: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const list = opts.list ? await resolveList(deps, actor, opts.list, '--list') : null;
        const page = await listContacts(deps, actor, {
          q: opts.q,
          list_id: list ? Number(list.id) : undefined,
          limit: positiveInt(opts.limit, '--limit'),
          after: Number(opts.after) || 0,
        });
        if (wantsJson(cmd)) return printJson(page);
        printTable(page.items as unknown as Record<string, unknown>[], ['id', 'email', 'phone', 'first_name', 'last_name', 'timezone', 'locale']);
        if (page.next_after !== null) process.stdout.write(`more: --after ${page.next_after}\n`);
      });
    });

  contacts
    .command('history <id|email>')
    .description("the contact's timeline: every message with its status and reason, and every event, newest first")
    .option('--limit <n>', 'items', (v: string) => positiveInt(v, '--limit'), 50)
    .option('--before <time>', 'items older than this time')
    .action(async (idOrEmail: string, opts: { limit: number; before?: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const h = await contactHistory(deps, actor, idOrEmail, { limit: opts.limit, before: opts.before });
        if (wantsJson(cmd)) return printJson(h);
        process.stdout.write(`contact ${h.contact.id} ${h.contact.email ?? h.contact.phone ?? ''}\n`);
        for (const i of h.items) {
          const what = i.kind === 'message' ? `message ${i.message_id} ${i.type}${i.reason ? ` (${i.reason})` : ''}` : `${i.type}${i.machine ? ' (machine)' : ''}`;
          process.stdout.write(`  ${i.at}  ${(i.campaign_name ?? '').padEnd(24).slice(0, 24)}  ${what}\n`);
        }
        if (h.next_before) process.stdout.write(`… more: --before ${h.next_before}\n`);
      });
    });

  contacts
    .command('get <id|email>')
    .description('one contact with its attributes and list subscriptions')
    .action(async (idOrEmail: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const c = await findContact(deps, actor, idOrEmail);
        if (wantsJson(cmd)) return printJson(c);
        const name = [c.first_name, c.last_name].filter(Boolean).join(' ');
        const lines = [
          `id:         ${c.id}`,
          `name:       ${name}`,
          `email:      ${c.email ?? '(none: not reachable by email)'}`,
          `phone:      ${c.phone ?? '(none)'}`,
          `timezone:   ${c.timezone ?? ''}`,
          `locale:     ${c.locale ?? ''}`,
          `messenger:  ${Object.entries(c.messenger).map(([k, v]) => `${k}=${v}`).join(', ')}`,
          `postal:     ${c.postal_address ? Object.values(c.postal_address).join(', ') : ''}`,
          `attributes: ${Object.entries(c.attributes).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`,
          `updated:    ${c.updated_at}`,
          'lists:',
          ...c.subscriptions.map((s) => `  ${s.list_id} ${s.list_name}: ${s.status} (${s.source ?? 'unknown source'}, ${s.updated_at})`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });

  contacts
    .command('add')
    .description('create or update one contact (keyed by email, else phone)')
    .option('--email <email>')
    .option('--phone <phone>', 'E.164, e.g. +4915112345678')
    .option('--first-name <name>')
    .option('--last-name <name>')
    .option('--timezone <zone>', 'IANA time zone, e.g. Europe/Berlin')
    .option('--locale <tag>', 'e.g. de-DE')
    .option('--attr <key=value>', 'an attribute (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--list <id|name>', 'subscribe the contact to this list')
    .action(
      async (
        opts: { email?: string; phone?: string; firstName?: string; lastName?: string; timezone?: string; locale?: string; attr: string[]; list?: string },
        cmd: Command,
      ) => {
        await withApp(cmd, async ({ deps, actor }) => {
          const list = opts.list ? await resolveList(deps, actor, opts.list, '--list') : null;
          const { contact, created } = await saveContact(deps, actor, {
            email: opts.email,
            phone: opts.phone,
            first_name: opts.firstName,
            last_name: opts.lastName,
            timezone: opts.timezone,
            locale: opts.locale,
            ...(opts.attr.length ? { attributes: parseAttributes(opts.attr) } : {}),
            ...(list ? { list_ids: [Number(list.id)] } : {}),
            source: 'cli',
          });
          if (wantsJson(cmd)) return printJson({ ...contact, created });
          process.stdout.write(`${created ? 'created' : 'updated'} contact ${contact.id} (${contact.email ?? contact.phone})\n`);
        });
      },
    );

  contacts
    .command('delete <id>')
    .description('delete a contact and its subscriptions')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const result = await deleteContact(deps, actor, positiveInt(id, 'id'));
        if (wantsJson(cmd)) return printJson(result);
        process.stdout.write(`deleted contact ${result.id}\n`);
      });
    });
}
