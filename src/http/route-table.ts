// Every API route, in one table. Each resource keeps its routes in src/http/routes/<resource>.ts;
// this file only lists them, so that "which permission guards X?" has one place to look.
import type { RouteDef } from './route-def.ts';
import { accountRoutes } from './routes/accounts.ts';

export function buildRouteTable(): RouteDef[] {
  return [...accountRoutes];
}
