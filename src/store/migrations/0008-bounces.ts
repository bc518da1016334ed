// Schema of the bounces work.
import type { DialectCapabilities } from '../dialect-capabilities.ts';
import type { AnyDb } from './column-types.ts';

export function bouncesMigration(_caps: DialectCapabilities) {
  return {
    async up(_db: AnyDb) {},
  };
}
