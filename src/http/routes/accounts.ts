// The calling account and its API keys.
import { createApiKey } from '../../app/accounts/api-keys.ts';
import type { RouteDef } from '../route-def.ts';

export const accountRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/account',
    permission: 'settings:read',
    tag: 'account',
    summary: 'The account this API key belongs to',
    handler: async ({ deps, actor }) => {
      const row = await deps.store.db
        .selectFrom('accounts')
        .select(['id', 'name', 'parent_id', 'created_at'])
        .where('id', '=', actor.accountId)
        .executeTakeFirstOrThrow();
      return { ...row, role: actor.role };
    },
  },
  {
    method: 'POST',
    url: '/api/v1/api-keys',
    permission: 'settings:write',
    tag: 'account',
    summary: 'Create an API key for this account (the key is shown once)',
    successStatus: 201,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, role: { type: 'string', default: 'admin' } },
      },
    },
    handler: async ({ deps, actor, body }) => createApiKey(deps, { accountId: actor.accountId, name: body.name, role: body.role }),
  },
];
