// Permissions are checked at the edge (one per route, see src/http/route-table.ts). Roles are
// named sets of permissions; the orchestration work extends them with users and approval.
export const PERMISSIONS = [
  'contacts:read',
  'contacts:write',
  'lists:read',
  'lists:write',
  'templates:read',
  'templates:write',
  'campaigns:read',
  'campaigns:write',
  'deliveries:start',
  'outbox:read',
  'settings:read',
  'settings:write',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = PERMISSIONS.filter((p) => p.endsWith(':read'));

export const ROLES: Record<string, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS,
  editor: PERMISSIONS.filter((p) => p !== 'deliveries:start' && p !== 'settings:write'),
  sender: [...READ, 'deliveries:start'],
  analyst: READ,
};

export function roleHas(role: string, permission: Permission): boolean {
  return ROLES[role]?.includes(permission) ?? false;
}

/** The roles that hold a permission, for "you need role X" messages (F4.2). */
export function rolesWith(permission: Permission): string[] {
  return Object.entries(ROLES)
    .filter(([, perms]) => perms.includes(permission))
    .map(([role]) => role);
}
