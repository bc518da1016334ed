// API keys of the account: created with any role (the key is shown once), listed by prefix, and
// revoked. Managing keys is managing who may act for the account, hence `users:manage`.
import { createApiKey, listApiKeys, revokeApiKey } from '../../app/accounts/api-keys.ts';
import { ROLE_NAMES } from '../../app/permissions.ts';
import { idParams, type RouteDef } from '../route-def.ts';

export const apiKeyRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/api-keys',
    permission: 'users:manage',
    tag: 'account',
    summary: "The account's API keys: prefix, role, created, last used, revoked (never the key)",
    handler: ({ deps, actor }) => listApiKeys(deps, actor),
  },
  {
    method: 'POST',
    url: '/api/v1/api-keys',
    permission: 'users:manage',
    tag: 'account',
    summary: 'Create an API key with a role (default admin); the key is shown once',
    successStatus: 201,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, role: { type: 'string', enum: ROLE_NAMES, default: 'admin' } },
      },
    },
    handler: async ({ deps, actor, body }) => createApiKey(deps, { accountId: actor.accountId, name: body.name, role: body.role }, actor),
  },
  {
    method: 'DELETE',
    url: '/api/v1/api-keys/:id',
    permission: 'users:manage',
    tag: 'account',
    summary: 'Revoke an API key (at once; revoking twice changes nothing)',
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => revokeApiKey(deps, actor, params.id),
  },
];
