// What every use case receives: the store, the clock, the configuration and the logger.
// Wired once in src/main.ts (and by tests with their own clock and store).
import type { Logger } from 'pino';
import type { HeraldConfig } from '../config/load-config.ts';
import type { Clock } from '../core/clock.ts';
import type { Store } from '../store/open-database.ts';

export interface AppDeps {
  store: Store;
  clock: Clock;
  config: HeraldConfig;
  log: Logger;
}

/** The account a request or command acts for; every query is scoped by it. */
export interface Actor {
  accountId: number;
  role: string;
  /** e.g. "user:7", "api_key:3" or "cli" — recorded in audit trails; who "the author" is under four-eyes. */
  label: string;
  /** The signed-in user (dashboard session, or the CLI's --as), when the actor is a person. */
  userId?: number | null;
}
