// Routes of this resource (filled in as the resource is built).
import type { RouteDef } from '../route-def.ts';

export const listRoutes: RouteDef[] = [];
