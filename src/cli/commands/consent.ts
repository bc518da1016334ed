// `herald consent …`: the double opt-in confirmation requests and the evidence of each answer.
import type { Command } from 'commander';
import { getConsentRequest, listConsentRequests } from '../../app/consent/read-consent-requests.ts';
import { resolveList } from '../../app/lists/find-list.ts';
import { positiveInt, printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

export function registerConsentCommands(program: Command): void {
  const consent = program.command('consent').description('double opt-in confirmation requests');

  consent
    .command('list')
    .description('confirmation requests, oldest first')
    .option('--status <status>', 'only pending, confirmed, declined or expired')
    .option('--list <id|name>', 'only requests for this list')
    .option('--limit <n>', 'at most this many', '100')
    .option('--after <id>', 'only ids greater than this', '0')
    .action(async (opts: { status?: string; list?: string; limit: string; after: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const listId = opts.list ? Number((await resolveList(deps, actor, opts.list, '--list')).id) : undefined;
        const page = await listConsentRequests(deps, actor, {
          status: opts.status,
          list_id: listId,
          limit: positiveInt(opts.limit, '--limit'),
          after: Number(opts.after) || 0,
        });
        if (wantsJson(cmd)) return printJson(page);
        printTable(page.items as unknown as Record<string, unknown>[], ['id', 'email', 'list_name', 'status', 'requested_at', 'expires_at', 'sent_at', 'last_response']);
        if (page.next_after !== null) process.stdout.write(`more: --after ${page.next_after}\n`);
      });
    });

  consent
    .command('show <id>')
    .description('one confirmation request with the evidence of the answer')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const r = await getConsentRequest(deps, actor, positiveInt(id, 'id'));
        if (wantsJson(cmd)) return printJson(r);
        const e = r.evidence;
        process.stdout.write(
          `id:            ${r.id}\ncontact:       ${r.contact_id} ${r.email ?? ''}\nlist:          ${r.list_id} ${r.list_name}\nstatus:        ${r.status}\n` +
            `requested:     ${r.requested_at} (${r.source ?? 'unknown source'})\nexpires:       ${r.expires_at}\n` +
            `email sent:    ${r.sent_at ?? 'not yet'} (${r.send_attempts} attempts)${r.last_response ? `\nlast reply:    ${r.last_response}` : ''}\n` +
            (r.confirmed_at ? `confirmed:     ${r.confirmed_at}\n` : '') +
            (r.declined_at ? `declined:      ${r.declined_at}\n` : '') +
            (e ? `evidence:      ${e.time} via ${e.source} from ${e.ip ?? 'unknown ip'} (${e.user_agent ?? 'no user agent'})\n` : ''),
        );
      });
    });
}
