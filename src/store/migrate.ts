// One set of migrations for both dialects, applied at start and by `herald migrate`.
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import { initialMigration } from './migrations/0001-initial.ts';
import { suppressionsMigration } from './migrations/0002-suppressions.ts';
import { segmentsMigration } from './migrations/0003-segments.ts';
import { consentMigration } from './migrations/0004-consent.ts';
import { pacingMigration } from './migrations/0005-pacing.ts';
import { eventsMigration } from './migrations/0006-events.ts';
import { trackingMigration } from './migrations/0007-tracking.ts';
import { bouncesMigration } from './migrations/0008-bounces.ts';
import { webhooksMigration } from './migrations/0009-webhooks.ts';
import { orchestrationMigration } from './migrations/0010-orchestration.ts';
import { approvalsMigration } from './migrations/0012-approvals.ts';
import { messagesMigration } from './migrations/0015-messages.ts';
import { schedulesMigration } from './migrations/0013-schedules.ts';
import { sessionsMigration } from './migrations/0011-sessions.ts';
import { keyOwnersMigration } from './migrations/0017-key-owners.ts';
import { notificationEmailsMigration } from './migrations/0016-notification-emails.ts';
import { triggersMigration } from './migrations/0014-triggers.ts';
import type { Store } from './open-database.ts';

function provider(store: Store): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001-initial': initialMigration(store.caps),
        '0002-suppressions': suppressionsMigration(store.caps),
        '0003-segments': segmentsMigration(store.caps),
        '0004-consent': consentMigration(store.caps),
        '0005-pacing': pacingMigration(store.caps),
        '0006-events': eventsMigration(store.caps),
        '0007-tracking': trackingMigration(store.caps),
        '0008-bounces': bouncesMigration(store.caps),
        '0009-webhooks': webhooksMigration(store.caps),
        '0010-orchestration': orchestrationMigration(store.caps),
        '0012-approvals': approvalsMigration(store.caps),
        '0015-messages': messagesMigration(store.caps),
        '0013-schedules': schedulesMigration(store.caps),
        '0011-sessions': sessionsMigration(store.caps),
        '0016-notification-emails': notificationEmailsMigration(store.caps),
        '0017-key-owners': keyOwnersMigration(store.caps),
        '0014-triggers': triggersMigration(store.caps),
      };
    },
  };
}

export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider: provider(store) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
