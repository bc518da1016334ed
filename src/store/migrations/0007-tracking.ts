// Schema of the tracking work.
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import type { AnyDb } from './column-types.ts';

export function trackingMigration(_caps: DialectCapabilities) {
  return {
    async up(_db: AnyDb) {},
  };
}
