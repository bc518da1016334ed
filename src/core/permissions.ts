// Permissions are checked at the edge (one per route, see src/http/route-table.ts). Roles are
// named sets of permissions; API keys and users each carry one role.
export const PERMISSIONS = [
  'contacts:read',
  'contacts:write',
  'lists:read',
  'lists:write',
  'templates:read',
  'templates:write',
  'campaigns:read',
  'campaigns:write',
  /** Launch, approve, confirm, pause, resume and cancel deliveries (F4.2). */
  'deliveries:start',
  /** One-off messages to one contact (F0.8). */
  'messages:send',
  /** Trigger events from the customer's systems (POST /api/v1/events). */
  'events:write',
  'outbox:read',
  'settings:read',
  'settings:write',
  /** Users, their roles and API keys. */
  'users:manage',
  'notifications:read',
  'audit:read',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = PERMISSIONS.filter((p) => p.endsWith(':read'));

export const ROLES: Record<string, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS,
  // Editors build campaigns, templates and audiences but cannot send them or change settings.
  editor: PERMISSIONS.filter((p) => !['deliveries:start', 'messages:send', 'settings:write', 'users:manage'].includes(p)),
  sender: [...READ, 'deliveries:start', 'messages:send'],
  analyst: READ,
  // For the customer's systems: report events, keep contacts in sync, send one-off messages.
  integration: ['contacts:read', 'contacts:write', 'lists:read', 'templates:read', 'campaigns:read', 'events:write', 'messages:send', 'notifications:read'],
};

export const ROLE_NAMES = Object.keys(ROLES);

export function roleHas(role: string, permission: Permission): boolean {
  return ROLES[role]?.includes(permission) ?? false;
}

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

/** The roles that hold a permission, for "you need role X" messages (F4.2). */
export function rolesWith(permission: Permission): string[] {
  return Object.entries(ROLES)
    .filter(([, perms]) => perms.includes(permission))
    .map(([role]) => role);
}
