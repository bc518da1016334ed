// Schema of the webhooks work.
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import type { AnyDb } from './column-types.ts';

export function webhooksMigration(_caps: DialectCapabilities) {
  return {
    async up(_db: AnyDb) {},
  };
}
