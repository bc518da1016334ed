// The permission each CLI command needs when it acts as a user (--as), the same as the API route
// that does the same thing (src/http/routes/). Without --as the CLI is the account's owner and
// holds them all. A command missing here cannot be run with --as (test/users-auth.test.ts lists
// any that are missing). A command that shows without options and changes with them names both.
import type { Command } from 'commander';
import type { Permission } from '../app/permissions.ts';

/** Read without options, write when any of `options` is given (e.g. `campaigns schedule 7 [--cron …]`). */
function showOrSet(read: Permission, write: Permission, options: string[]): (cmd: Command) => Permission {
  return (cmd) => {
    const opts = cmd.opts() as Record<string, unknown>;
    return options.some((o) => opts[o] !== undefined) ? write : read;
  };
}

export const COMMAND_PERMISSIONS: Record<string, Permission | ((cmd: Command) => Permission)> = {
  'account show': 'settings:read',
  'account profile': 'settings:write',
  'bounces classify': 'settings:read',
  'campaigns list': 'campaigns:read',
  'campaigns show': 'campaigns:read',
  'campaigns stats': 'campaigns:read',
  'campaigns messages': 'campaigns:read',
  'campaigns watch': 'campaigns:read',
  'campaigns diagnose': 'campaigns:read',
  'campaigns preflight': 'campaigns:read',
  'campaigns create': 'campaigns:write',
  'campaigns update': 'campaigns:write',
  'campaigns send': 'deliveries:start',
  'campaigns pause': 'deliveries:start',
  'campaigns resume': 'deliveries:start',
  'campaigns cancel': 'deliveries:start',
  why: 'campaigns:read',
  'consent list': 'lists:read',
  'consent show': 'lists:read',
  'contacts list': 'contacts:read',
  'contacts get': 'contacts:read',
  'contacts history': 'contacts:read',
  'contacts add': 'contacts:write',
  'contacts import': 'contacts:write',
  'contacts delete': 'contacts:write',
  'lists list': 'lists:read',
  'lists show': 'lists:read',
  'lists create': 'lists:write',
  'lists delete': 'lists:write',
  'outbox list': 'outbox:read',
  'outbox show': 'outbox:read',
  'outbox clear': 'settings:write',
  'policy show': 'settings:read',
  'policy limits': 'settings:read',
  'policy set': 'settings:write',
  'segments list': 'contacts:read',
  'segments show': 'contacts:read',
  'segments count': 'contacts:read',
  'segments export': 'contacts:read',
  'segments audience': 'contacts:read',
  'segments create': 'contacts:write',
  'segments delete': 'contacts:write',
  'senders list': 'settings:read',
  'senders show': 'settings:read',
  'senders add': 'settings:write',
  'senders dkim': 'settings:write',
  'senders delete': 'settings:write',
  'suppressions list': 'contacts:read',
  'suppressions add': 'contacts:write',
  'suppressions remove': 'contacts:write',
  'suppressions import': 'contacts:write',
  audit: 'audit:read',
  'templates list': 'templates:read',
  'templates show': 'templates:read',
  'templates validate': 'templates:read',
  'templates preview': 'templates:read',
  'templates create': 'templates:write',
  'templates update': 'templates:write',
  'templates delete': 'templates:write',
  'webhooks list': 'settings:read',
  'webhooks show': 'settings:read',
  'webhooks deliveries': 'settings:read',
  'webhooks add': 'settings:write',
  'webhooks test': 'settings:write',
  'webhooks delete': 'settings:write',
  'webhooks provider list': 'settings:read',
  'webhooks provider show': 'settings:read',
  'webhooks provider set': 'settings:write',
  'webhooks enable': 'settings:write',
  'webhooks disable': 'settings:write',
  'account approval': showOrSet('settings:read', 'settings:write', ['required', 'notRequired', 'fourEyes']),
  approvals: 'campaigns:read',
  'campaigns approvals': 'campaigns:read',
  'campaigns launch': 'campaigns:write',
  'campaigns approve': 'deliveries:start',
  'campaigns reject': 'deliveries:start',
  // the route is campaigns:read; the use case lets only the requester or a campaigns:write holder withdraw
  'campaigns withdraw': 'campaigns:read',
  'campaigns schedule': showOrSet('campaigns:read', 'campaigns:write', ['cron']),
  'campaigns unschedule': 'campaigns:write',
  'campaigns runs': 'campaigns:read',
  'runs show': 'campaigns:read',
  'runs confirm': 'deliveries:start',
  'runs skip': 'deliveries:start',
  'campaigns trigger': showOrSet('campaigns:read', 'campaigns:write', ['event']),
  'campaigns untrigger': 'campaigns:write',
  'entities show': 'campaigns:read',
  'campaigns catch-up': showOrSet('campaigns:read', 'deliveries:start', ['send']),
  'event-types list': 'campaigns:read',
  'event-types add': 'settings:write',
  'event-types remove': 'settings:write',
  'events send': 'events:write',
  'events list': 'campaigns:read',
  'messages send': 'messages:send',
  'messages show': 'campaigns:read',
  'messages list': 'campaigns:read',
  'links verify': 'contacts:read',
  'notifications list': 'notifications:read',
  'notifications count': 'notifications:read',
  'notifications read': 'notifications:read',
  'notifications delete': 'notifications:read',
  // another user's subscription needs users:manage: the use case checks it, as for the API
  'notifications subscribe': 'notifications:read',
};

/** The permission `cmd` needs under --as, or undefined when the table has no entry for it. */
export function commandPermission(cmd: Command): Permission | undefined {
  const entry = COMMAND_PERMISSIONS[commandPath(cmd)];
  return typeof entry === 'function' ? entry(cmd) : entry;
}

/** "campaigns send" for the command object of `herald campaigns send 7`. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
