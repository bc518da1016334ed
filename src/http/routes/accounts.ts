// The calling account (its API keys: routes/api-keys.ts).
import { getAccountProfile, updateAccountProfile } from '../../app/accounts/account-profile.ts';
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
    method: 'GET',
    url: '/api/v1/account/profile',
    permission: 'settings:read',
    tag: 'account',
    summary: 'Company profile (fills the legal footer; a pre-flight requirement) and billing readiness',
    handler: ({ deps, actor }) => getAccountProfile(deps, actor),
  },
  {
    method: 'PUT',
    url: '/api/v1/account/profile',
    permission: 'settings:write',
    tag: 'account',
    summary: 'Change the company profile or billing readiness (only the fields given)',
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          company_name: { type: ['string', 'null'], maxLength: 200 },
          phone: { type: ['string', 'null'], maxLength: 40 },
          postal_address: { type: ['string', 'null'], maxLength: 500 },
          default_from_email: { type: ['string', 'null'], maxLength: 254 },
          billing_verified: { type: 'boolean' },
          consent_expiry_hours: { type: 'integer', minimum: 1, description: 'how long a double opt-in request stays open' },
        },
      },
    },
    handler: ({ deps, actor, body }) => updateAccountProfile(deps, actor, body),
  },
];
