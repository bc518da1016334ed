// `herald lists …`: list, create, show and delete lists (named by id or by name).
import type { Command } from 'commander';
import { deleteList } from '../../app/lists/delete-list.ts';
import { resolveList } from '../../app/lists/find-list.ts';
import { listMembers } from '../../app/lists/list-members.ts';
import { getList, listLists } from '../../app/lists/read-lists.ts';
import { createList } from '../../app/lists/save-list.ts';
import { positiveInt, printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

export function registerListCommands(program: Command): void {
  const lists = program.command('lists').description('lists of contacts and their subscriptions');

  lists
    .command('list')
    .description('all lists with their subscription counts')
    .option('--limit <n>', 'at most this many', '100')
    .option('--after <id>', 'only ids greater than this', '0')
    .action(async (opts: { limit: string; after: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const page = await listLists(deps, actor, { limit: positiveInt(opts.limit, '--limit'), after: Number(opts.after) || 0 });
        if (wantsJson(cmd)) return printJson(page);
        printTable(
          page.items.map((l) => ({ ...l, ...l.counts })),
          ['id', 'name', 'opt_in', 'subscribed', 'unconfirmed', 'unsubscribed', 'total'],
        );
        if (page.next_after !== null) process.stdout.write(`more: --after ${page.next_after}\n`);
      });
    });

  lists
    .command('create <name>')
    .description('create a list')
    .option('--description <text>')
    .option('--double-opt-in', 'new subscribers stay "unconfirmed" until they confirm')
    .action(async (name: string, opts: { description?: string; doubleOptIn?: boolean }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const list = await createList(deps, actor, { name, description: opts.description, opt_in: opts.doubleOptIn ? 'double' : 'single' });
        if (wantsJson(cmd)) return printJson(list);
        process.stdout.write(`created list ${list.id} "${list.name}" (${list.opt_in} opt-in)\n`);
      });
    });

  lists
    .command('show <id|name>')
    .description('a list with its counts per status and its first members')
    .option('--status <status>', 'only members with this status: subscribed, unconfirmed or unsubscribed')
    .option('--limit <n>', 'members to show', '20')
    .action(async (idOrName: string, opts: { status?: string; limit: string }, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const row = await resolveList(deps, actor, idOrName, 'list');
        const list = await getList(deps, actor, Number(row.id));
        const members = await listMembers(deps, actor, list.id, { status: opts.status, limit: positiveInt(opts.limit, '--limit') });
        if (wantsJson(cmd)) return printJson({ ...list, members: members.items });
        const c = list.counts;
        process.stdout.write(
          `id:          ${list.id}\nname:        ${list.name}\ndescription: ${list.description ?? ''}\nopt-in:      ${list.opt_in}\n` +
            `members:     ${c.total} (${c.subscribed} subscribed, ${c.unconfirmed} unconfirmed, ${c.unsubscribed} unsubscribed)\n\n`,
        );
        printTable(members.items as unknown as Record<string, unknown>[], ['contact_id', 'email', 'phone', 'first_name', 'last_name', 'status', 'source']);
      });
    });

  lists
    .command('delete <id|name>')
    .description('delete a list and its subscriptions (the contacts stay)')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      await withApp(cmd, async ({ deps, actor }) => {
        const row = await resolveList(deps, actor, idOrName, 'list');
        const result = await deleteList(deps, actor, Number(row.id));
        if (wantsJson(cmd)) return printJson(result);
        process.stdout.write(`deleted list ${result.id} "${row.name}" and its ${result.subscriptions_removed} subscriptions\n`);
      });
    });
}
