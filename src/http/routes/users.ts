// People: the account's users (all `users:manage`), the roles and what each may do, and the
// signed-in principal's own view and password (any principal: every role holds notifications:read).
import { changeOwnPassword } from '../../app/auth/change-own-password.ts';
import { rolesTable, whoAmI } from '../../app/auth/principal.ts';
import { PERMISSIONS, ROLE_NAMES } from '../../app/permissions.ts';
import { createUser } from '../../app/users/create-user.ts';
import { deleteUser } from '../../app/users/delete-user.ts';
import { getUser, listUsers } from '../../app/users/read-users.ts';
import { setUserPassword } from '../../app/users/set-password.ts';
import { updateUser } from '../../app/users/update-user.ts';
import { idParams, type RouteDef } from '../route-def.ts';

const role = { type: 'string', enum: ROLE_NAMES };
const password = { type: 'string', minLength: 1, maxLength: 1000 };

export const userRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/users',
    permission: 'users:manage',
    tag: 'users',
    summary: "The account's users (never their password hashes)",
    handler: ({ deps, actor }) => listUsers(deps, actor),
  },
  {
    method: 'POST',
    url: '/api/v1/users',
    permission: 'users:manage',
    tag: 'users',
    summary: 'Add a user; without a password one is generated and returned this once',
    successStatus: 201,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['email', 'role'],
        properties: { email: { type: 'string', minLength: 1, maxLength: 254 }, name: { type: ['string', 'null'], maxLength: 200 }, role, password },
      },
    },
    handler: ({ deps, actor, body }) => createUser(deps, actor, body),
  },
  {
    method: 'GET',
    url: '/api/v1/users/:id',
    permission: 'users:manage',
    tag: 'users',
    summary: 'One user',
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => getUser(deps, actor, params.id),
  },
  {
    method: 'PATCH',
    url: '/api/v1/users/:id',
    permission: 'users:manage',
    tag: 'users',
    summary: "Change a user's name, role or disabled state (disabling ends their sessions); the last active owner stays",
    schema: {
      params: idParams,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: { name: { type: ['string', 'null'], maxLength: 200 }, role, disabled: { type: 'boolean' } },
      },
    },
    handler: ({ deps, actor, params, body }) => updateUser(deps, actor, params.id, body),
  },
  {
    method: 'DELETE',
    url: '/api/v1/users/:id',
    permission: 'users:manage',
    tag: 'users',
    summary: 'Delete a user (their sessions end; the audit log keeps who they were); the last active owner stays',
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => deleteUser(deps, actor, params.id),
  },
  {
    method: 'POST',
    url: '/api/v1/users/:id/password',
    permission: 'users:manage',
    tag: 'users',
    summary: "Set a user's password (generated and returned once when none is given); their sessions end",
    schema: { params: idParams, body: { type: 'object', additionalProperties: false, properties: { password } } },
    handler: ({ deps, actor, params, body }) => setUserPassword(deps, actor, params.id, body.password),
  },
  {
    method: 'GET',
    url: '/api/v1/roles',
    permission: 'notifications:read',
    tag: 'users',
    summary: 'Every role and its permissions',
    handler: async () => ({ roles: rolesTable(), permissions: PERMISSIONS }),
  },
  {
    method: 'GET',
    url: '/api/v1/auth/me',
    permission: 'notifications:read',
    tag: 'auth',
    summary: 'Who is calling: the user (or API key), role, permissions, account, and every role’s permissions',
    handler: ({ deps, actor }) => whoAmI(deps, actor),
  },
  {
    method: 'POST',
    url: '/api/v1/auth/password',
    permission: 'notifications:read',
    tag: 'auth',
    summary: 'A signed-in user changes their own password (the current one is required); their other sessions end',
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['current_password', 'new_password'],
        properties: { current_password: password, new_password: password },
      },
    },
    handler: ({ deps, actor, body, request }) => changeOwnPassword(deps, actor, request.sessionId, body),
  },
];
