// herald users … and herald api-keys …: who may act for the account. Every command needs
// users:manage, checked against the --as user's role (without --as the CLI is the owner).
import type { Command } from 'commander';
import { createApiKey, listApiKeys, revokeApiKey } from '../../app/accounts/api-keys.ts';
import { invalid } from '../../app/errors.ts';
import { createUser } from '../../app/users/create-user.ts';
import { deleteUser } from '../../app/users/delete-user.ts';
import { findUserByEmail, listUsers } from '../../app/users/read-users.ts';
import { setUserPassword } from '../../app/users/set-password.ts';
import { updateUser } from '../../app/users/update-user.ts';
import { positiveInt, printJson, printTable, wantsJson, withApp } from '../cli-context.ts';

const MANAGE = { permission: 'users:manage' } as const;

/** The password piped on stdin (`--password-stdin`), without its final line break. */
async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) throw invalid('--password-stdin', 'pipe the password in, e.g. printf %s "$PASSWORD" | herald users passwd …');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function printGenerated(email: string, password: string | null): void {
  if (password) process.stderr.write(`password of ${email} (shown once): ${password}\n`);
}

export function registerUserCommands(program: Command): void {
  const u = program.command('users').description('people who sign in to the dashboard, and their roles');

  u.command('list').description("the account's users").action(async (_o, cmd) =>
    withApp(
      cmd,
      async ({ deps, actor }) => {
        const page = await listUsers(deps, actor);
        if (wantsJson(cmd)) return printJson(page);
        printTable(page.items as unknown as Record<string, unknown>[], ['id', 'email', 'name', 'role', 'disabled', 'last_login_at', 'created_at']);
      },
      MANAGE,
    ),
  );

  u.command('add <email>')
    .description('add a user; without --password-stdin a password is generated and printed once')
    .requiredOption('--role <role>', 'owner, admin, editor, sender, analyst or integration')
    .option('--name <name>')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (email: string, opts, cmd) =>
      withApp(
        cmd,
        async ({ deps, actor }) => {
          const password = opts.passwordStdin ? await readPasswordFromStdin() : undefined;
          const r = await createUser(deps, actor, { email, name: opts.name, role: opts.role, password });
          if (wantsJson(cmd)) return printJson(r);
          process.stdout.write(`user ${r.user.id} ${r.user.email} (${r.user.role}) created\n`);
          printGenerated(r.user.email, r.password);
        },
        MANAGE,
      ),
    );

  u.command('set-role <email> <role>').description('change a user’s role (the last active owner keeps theirs)').action(async (email: string, role: string, _o, cmd) =>
    withApp(
      cmd,
      async ({ deps, actor }) => {
        const user = await findUserByEmail(deps, actor, email);
        const r = await updateUser(deps, actor, user.id, { role });
        if (wantsJson(cmd)) return printJson(r);
        process.stdout.write(`${r.email} now has the role ${r.role}\n`);
      },
      MANAGE,
    ),
  );

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    u.command(`${name} <email>`)
      .description(disabled ? 'stop a user from signing in (their sessions end at once)' : 'let a disabled user sign in again')
      .action(async (email: string, _o, cmd) =>
        withApp(
          cmd,
          async ({ deps, actor }) => {
            const user = await findUserByEmail(deps, actor, email);
            const r = await updateUser(deps, actor, user.id, { disabled });
            if (wantsJson(cmd)) return printJson(r);
            process.stdout.write(`${r.email} is ${r.disabled ? 'disabled' : 'enabled'}\n`);
          },
          MANAGE,
        ),
      );
  }

  u.command('delete <email>')
    .description('delete a user (sessions end; the audit log keeps who they were)')
    .action(async (email: string, _o, cmd) =>
      withApp(
        cmd,
        async ({ deps, actor }) => {
          const user = await findUserByEmail(deps, actor, email);
          const r = await deleteUser(deps, actor, user.id);
          if (wantsJson(cmd)) return printJson(r);
          process.stdout.write(`${user.email} deleted\n`);
        },
        MANAGE,
      ),
    );

  u.command('passwd <email>')
    .description("set a user's password (generated and printed once without --password-stdin); their sessions end")
    .option('--password-stdin', 'read the password from standard input')
    .action(async (email: string, opts, cmd) =>
      withApp(
        cmd,
        async ({ deps, actor }) => {
          const user = await findUserByEmail(deps, actor, email);
          const password = opts.passwordStdin ? await readPasswordFromStdin() : undefined;
          const r = await setUserPassword(deps, actor, user.id, password);
          if (wantsJson(cmd)) return printJson(r);
          process.stdout.write(`password of ${r.user.email} changed\n`);
          printGenerated(r.user.email, r.password);
        },
        MANAGE,
      ),
    );

  const k = program.command('api-keys').description("the account's API keys");
  k.command('list').description('keys by prefix, role, created, last used, revoked').action(async (_o, cmd) =>
    withApp(
      cmd,
      async ({ deps, actor }) => {
        const page = await listApiKeys(deps, actor);
        if (wantsJson(cmd)) return printJson(page);
        printTable(page.items as unknown as Record<string, unknown>[], ['id', 'name', 'prefix', 'role', 'created_at', 'last_used_at', 'revoked_at']);
      },
      MANAGE,
    ),
  );
  k.command('create')
    .description('create a key (printed once)')
    .requiredOption('--name <name>')
    .option('--role <role>', 'the role the key acts with', 'admin')
    .action(async (opts, cmd) =>
      withApp(
        cmd,
        async ({ deps, actor }) => {
          const r = await createApiKey(deps, { accountId: actor.accountId, name: opts.name, role: opts.role }, actor);
          if (wantsJson(cmd)) return printJson(r);
          process.stdout.write(`API key ${r.id} (${r.role}), shown once:\n${r.key}\n`);
        },
        MANAGE,
      ),
    );
  k.command('revoke <id>').description('revoke a key at once').action(async (id: string, _o, cmd) =>
    withApp(
      cmd,
      async ({ deps, actor }) => {
        const r = await revokeApiKey(deps, actor, positiveInt(id, 'id'));
        if (wantsJson(cmd)) return printJson(r);
        process.stdout.write(`API key ${r.id} (${r.prefix}…) revoked at ${r.revoked_at}\n`);
      },
      MANAGE,
    ),
  );
}
