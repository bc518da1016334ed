// A real Fastify instance over a test store, with two accounts and a key for each, so that route
// tests can also prove that one account never sees another's data.
import type { FastifyInstance } from 'fastify';
import { createApiKey } from '../../src/app/accounts/api-keys.ts';
import { seedAccount } from './seed.ts';
import { buildServer } from '../../src/http/server.ts';
import type { TestEnv } from './dialects.ts';

export interface TestApi {
  app: FastifyInstance;
  accountId: number;
  key: string;
  otherAccountId: number;
  otherKey: string;
  /** inject with the first account's key; returns status and parsed JSON */
  call(method: string, url: string, body?: unknown, key?: string): Promise<{ status: number; json: any }>;
}

export async function createTestApi(env: TestEnv): Promise<TestApi> {
  const accountId = await seedAccount(env.deps, 'Acme');
  const otherAccountId = await seedAccount(env.deps, 'Other Corp');
  const { key } = await createApiKey(env.deps, { accountId, name: 'test', role: 'owner' });
  const { key: otherKey } = await createApiKey(env.deps, { accountId: otherAccountId, name: 'test', role: 'owner' });
  const app = await buildServer(env.deps);
  await app.ready();
  return {
    app,
    accountId,
    key,
    otherAccountId,
    otherKey,
    async call(method, url, body, useKey = key) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${useKey}` },
        ...(body === undefined ? {} : typeof body === 'string' ? { payload: body, headers: { authorization: `Bearer ${useKey}`, 'content-type': 'text/csv' } } : { payload: body as object }),
      });
      let json: any = null;
      try {
        json = res.json();
      } catch {
        json = res.body;
      }
      return { status: res.statusCode, json };
    },
  };
}
