// Opens the store named by the configuration, brings its schema up to date and makes sure the
// default account exists. Used by every process role (serve, worker, start) and by the CLI.
import pino, { type Logger } from 'pino';
import type { HeraldConfig } from '../config/load-config.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { openDatabase } from '../store/open-database.ts';
import { type BootstrapResult, bootstrapDefaultAccount } from './accounts/bootstrap.ts';
import type { AppDeps } from './deps.ts';

export interface OpenedApp {
  deps: AppDeps;
  bootstrap: BootstrapResult;
  close(): Promise<void>;
}

export async function openApp(config: HeraldConfig, options: { clock?: Clock; log?: Logger } = {}): Promise<OpenedApp> {
  const log = options.log ?? pino({ level: config.logLevel });
  const store = openDatabase(config.databaseUrl);
  await migrateToLatest(store);
  const deps: AppDeps = { store, clock: options.clock ?? systemClock, config, log };
  const bootstrap = await bootstrapDefaultAccount(deps);
  return { deps, bootstrap, close: () => store.close() };
}
