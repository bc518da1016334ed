// herald notifications …: the notification center from the command line (F2.1) — list, count,
// mark read, delete — and users' email subscriptions (F2.2). The CLI acts as the principal "cli":
// what it marks read or deletes is read or deleted for the CLI only, not for the users.
import type { Command } from 'commander';
import { countUnreadNotifications } from '../../app/notifications/count-unread-notifications.ts';
import { deleteNotification } from '../../app/notifications/delete-notification.ts';
import { listNotifications } from '../../app/notifications/list-notifications.ts';
import { markAllNotificationsRead, markNotificationRead } from '../../app/notifications/mark-notifications-read.ts';
import { setEmailSubscription } from '../../app/notifications/set-email-subscription.ts';
import { invalid } from '../../app/errors.ts';
import { positiveInt, printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

const int = (field: string) => (v: string) => positiveInt(v, field);

export function registerNotificationCommands(program: Command): void {
  const c = program.command('notifications').description('the notification center and email subscriptions');

  c.command('list', { isDefault: true })
    .description('notifications, newest first')
    .option('--unread', 'only unread ones')
    .option('--kind <kind>', 'only this kind (e.g. delivery_failed)')
    .option('--severity <severity>', 'info | warning | error')
    .option('--limit <n>', 'how many (default 50)', int('--limit'))
    .option('--before <id>', 'older than this id (paging)', int('--before'))
    .action(async (opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const page = await listNotifications(deps, actor, { unread: opts.unread, kind: opts.kind, severity: opts.severity, limit: opts.limit, before: opts.before });
        if (wantsJson(cmd)) return printJson(page);
        printTable(
          page.items.map((n) => ({ ...n, read: n.read ? '' : 'new' })),
          ['id', 'created_at', 'severity', 'kind', 'read', 'title'],
        );
        if (page.next_before) process.stdout.write(`more: herald notifications list --before ${page.next_before}\n`);
      }),
    );

  c.command('count')
    .description('how many are unread')
    .action(async (_opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const n = await countUnreadNotifications(deps, actor);
        if (wantsJson(cmd)) return printJson(n);
        process.stdout.write(`${n.unread} unread (${n.by_severity.error} errors, ${n.by_severity.warning} warnings, ${n.by_severity.info} info)\n`);
      }),
    );

  c.command('read [id]')
    .description('mark one notification read, or all with --all')
    .option('--all', 'mark every notification read')
    .action(async (id: string | undefined, opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        if (opts.all && id !== undefined) throw invalid('id', 'give a notification id or --all, not both');
        if (opts.all) {
          const r = await markAllNotificationsRead(deps, actor);
          if (wantsJson(cmd)) return printJson(r);
          process.stdout.write(`${r.marked} marked read\n`);
          return;
        }
        if (id === undefined) throw invalid('id', 'give a notification id, or --all');
        const n = await markNotificationRead(deps, actor, positiveInt(id, 'id'));
        if (wantsJson(cmd)) return printJson(n);
        process.stdout.write(`notification ${n.id} read\n`);
      }),
    );

  c.command('delete <id>')
    .description("remove a notification from the CLI's list (others still see it)")
    .action(async (id: string, _opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        await deleteNotification(deps, actor, positiveInt(id, 'id'));
        process.stdout.write(`notification ${id} deleted\n`);
      }),
    );

  c.command('subscribe')
    .description('send a user notifications by email (all they may see, or --kinds)')
    .option('--user <email>', "the user's sign-in email (default: the --as user)")
    .option('--off', 'stop the emails')
    .option('--kinds <kinds>', 'comma-separated kinds (default: all the user may see)')
    .action(async (opts, cmd) =>
      withApp(cmd, async ({ deps, actor }) => {
        const kinds = opts.kinds === undefined ? undefined : String(opts.kinds).split(',').map((k) => k.trim()).filter(Boolean);
        if (opts.user === undefined && actor.userId == null) throw invalid('--user', 'name the user: --user <email>, or act as them with --as <email>');
        const s = await setEmailSubscription(deps, actor, { enabled: !opts.off, kinds }, opts.user === undefined ? {} : { email: opts.user });
        if (wantsJson(cmd)) return printJson(s);
        process.stdout.write(
          s.enabled ? `${s.email} gets notifications by email: ${s.kinds.length ? s.kinds.join(', ') : `all they may see (${s.available_kinds.join(', ')})`}\n` : `${s.email} gets no notification emails\n`,
        );
      }),
    );
}
