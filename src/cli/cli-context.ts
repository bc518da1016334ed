// What a CLI command works with: the app opened from the environment's configuration, acting
// for one account (--account, default: the first account), and helpers to print results.
import pino from 'pino';
import type { Command } from 'commander';
import type { Actor, AppDeps } from '../app/deps.ts';
import { AppError, invalid } from '../app/errors.ts';
import { openApp } from '../app/open-app.ts';
import { type Permission, roleHas, rolesWith } from '../app/permissions.ts';
import { actorForUser } from '../app/users/actor-for-user.ts';
import { loadConfig } from '../config/load-config.ts';
import { commandPath, commandPermission } from './command-permissions.ts';

export interface CliContext {
  deps: AppDeps;
  actor: Actor;
}

/**
 * Opens the app, runs fn, closes. Errors are printed as one clear line and exit code 1 or 2.
 * The actor is the account's owner ("cli"), or with --as <email> that user (their role; label
 * "user:<id>"). The role must hold `permission`, or else the command's entry in
 * command-permissions.ts — the same check as the API's route table.
 */
export async function withApp<T>(cmd: Command, fn: (ctx: CliContext) => Promise<T>, options: { permission?: Permission } = {}): Promise<T> {
  const opts = cmd.optsWithGlobals() as { account?: string; as?: string };
  const config = loadConfig();
  // The CLI prints results on stdout; logs go to stderr and only when something is wrong.
  const app = await openApp(config, { log: pino({ level: process.env.HERALD_LOG_LEVEL ?? 'warn' }, pino.destination(2)) });
  try {
    if (app.bootstrap.newApiKey) {
      process.stderr.write(`Created the default account's admin API key (shown once): ${app.bootstrap.newApiKey}\n`);
    }
    const admin = app.bootstrap.newAdmin;
    if (admin) {
      process.stderr.write(
        `Created the first dashboard user (owner) ${admin.email}${admin.password ? ` with the password (shown once): ${admin.password}` : ' with the password from HERALD_ADMIN_PASSWORD'}\n`,
      );
    }
    const actor = await cliActor(app.deps, opts, app.bootstrap.accountId);
    const permission = options.permission ?? (opts.as ? commandPermission(cmd) : undefined);
    if (opts.as && !permission) {
      // fail closed: a command nobody gave a permission would otherwise run unchecked as the user
      throw new AppError('forbidden', `herald ${commandPath(cmd)} cannot be run with --as: it has no permission in src/cli/command-permissions.ts`, '--as');
    }
    if (permission && !roleHas(actor.role, permission)) {
      const roles = rolesWith(permission);
      throw new AppError('forbidden', `this needs the permission ${permission}, held by the roles ${roles.join(', ')}; ${opts.as} has the role ${actor.role}`, '--as', {
        permission,
        roles,
      });
    }
    return await fn({ deps: app.deps, actor });
  } finally {
    await app.close();
  }
}

/** The CLI's actor: the account's owner, or the --as user (whose account it must be, when --account is given too). */
export async function cliActor(deps: AppDeps, opts: { account?: string; as?: string }, defaultAccountId: number): Promise<Actor> {
  if (opts.as) {
    const actor = await actorForUser(deps, opts.as);
    if (opts.account && Number(opts.account) !== actor.accountId) {
      throw invalid('--account', `${opts.as} belongs to account ${actor.accountId}, not ${opts.account}`);
    }
    return actor;
  }
  const accountId = opts.account ? Number(opts.account) : defaultAccountId;
  const exists = await deps.store.db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst();
  if (!exists) throw new AppError('not_found', `account ${opts.account} not found`, '--account');
  return { accountId, role: 'owner', label: 'cli' };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints rows as an aligned text table (for humans); --json prints JSON instead. */
export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => Math.min(60, cell(r[c]).length))));
  const line = (vals: string[]) => vals.map((v, i) => v.slice(0, 60).padEnd(widths[i])).join('  ').trimEnd();
  process.stdout.write(`${line(columns)}\n`);
  for (const r of rows) process.stdout.write(`${line(columns.map((c) => cell(r[c])))}\n`);
}

export function reportCliError(err: unknown): number {
  if (err instanceof AppError) {
    // Many messages already start with their field ("timezone: … is not an IANA time zone"): say it once.
    const prefix = err.field && !err.message.startsWith(`${err.field}: `) ? `${err.field}: ` : '';
    process.stderr.write(`error: ${prefix}${err.message}\n`);
    const details = err.details as { items?: unknown } | undefined;
    if (err.code === 'preflight_failed' && details?.items) {
      // A refused launch prints its checklist the way `herald campaigns preflight` does.
      process.stderr.write('pre-flight checklist (herald campaigns preflight <id>):\n');
      for (const i of details.items as Array<{ status: string; title: string; detail: string; fix: { hint: string; cli?: string } | null }>) {
        if (i.status === 'ok') continue;
        process.stderr.write(`  ${i.status === 'blocking' ? 'BLOCKS' : 'WARN  '} ${i.title}: ${i.detail}${i.fix ? `\n         fix: ${i.fix.hint}${i.fix.cli ? `  →  ${i.fix.cli}` : ''}` : ''}\n`);
      }
    } else if (err.details !== undefined) process.stderr.write(`${JSON.stringify(err.details, null, 2)}\n`);
    return 2;
  }
  process.stderr.write(`error: ${(err as Error)?.stack ?? String(err)}\n`);
  return 1;
}

/** Whether the global --json option is set. */
export function wantsJson(cmd: Command): boolean {
  return Boolean((cmd.optsWithGlobals() as { json?: boolean }).json);
}

/** Parses a positive whole number given on the command line; the error names the option. */
export function positiveInt(value: string, field: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw invalid(field, `must be a positive whole number, got "${value}"`);
  return n;
}
