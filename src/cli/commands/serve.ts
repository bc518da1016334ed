// Process roles: start (everything in one process), serve (API), worker (dispatch), migrate.
import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.ts';
import { openApp } from '../../app/open-app.ts';
import { type Roles, startHerald } from '../../wire.ts';

async function runUntilSignal(roles: Roles) {
  const config = loadConfig();
  const herald = await startHerald(config, roles);
  const log = herald.app.deps.log;
  if (herald.app.bootstrap.newApiKey) {
    process.stdout.write(
      `\nHerald created the default account and its admin API key. It is shown only this once:\n\n  ${herald.app.bootstrap.newApiKey}\n\n` +
        'Keep it: the API wants it as "Authorization: Bearer <key>". (The herald CLI works on the database directly and needs no key.)\n\n',
    );
  }
  const admin = herald.app.bootstrap.newAdmin;
  if (admin) {
    process.stdout.write(
      admin.password
        ? `Herald created the first dashboard user (owner). The password is shown only this once:\n\n  email:    ${admin.email}\n  password: ${admin.password}\n\nSign in with POST /api/v1/auth/login (or the dashboard); change it with POST /api/v1/auth/password.\n\n`
        : `Herald created the first dashboard user (owner) ${admin.email} with the password from HERALD_ADMIN_PASSWORD.\n\n`,
    );
  }
  if (herald.url) {
    log.info({ url: herald.url, openapi: `${herald.url}/api/v1/openapi.json` }, 'Herald API listening');
    // The one line a newcomer looks for after `npm start`.
    process.stdout.write(`Dashboard: ${herald.url}/  (API: ${herald.url}/api/v1, OpenAPI: ${herald.url}/api/v1/openapi.json)\n`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await herald.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

export function registerServeCommands(program: Command): void {
  program
    .command('start')
    .description('API, worker and built-in mail catcher in one process (the embedded default)')
    .action(() => {
      const config = loadConfig();
      return runUntilSignal({ http: true, worker: true, catcher: config.catcherEnabled, inbound: config.inboundEnabled });
    });
  program
    .command('serve')
    .description('the HTTP API only (run workers separately)')
    .action(() => runUntilSignal({ http: true, worker: false, catcher: false, inbound: false }));
  program
    .command('worker')
    .description('the dispatch worker only (many may run against one PostgreSQL database)')
    .action(() => runUntilSignal({ http: false, worker: true, catcher: false, inbound: false }));
  program
    .command('inbound')
    .description('the bounce and complaint receiver only (SMTP on HERALD_INBOUND_PORT; run one per deployment)')
    .action(() => runUntilSignal({ http: false, worker: false, catcher: false, inbound: true }));
  program
    .command('migrate')
    .description('bring the database schema up to date and exit')
    .action(async () => {
      const app = await openApp(loadConfig());
      await app.close();
      process.stdout.write('schema is up to date\n');
    });
}
