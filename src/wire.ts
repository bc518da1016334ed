// The one place that wires adapters together for each process role:
//   start  = API + worker + built-in mail catcher in one process (the embedded default)
//   serve  = API only;  worker = dispatch loops only (many of each on PostgreSQL).
import type { FastifyInstance } from 'fastify';
import type { HeraldConfig } from './config/load-config.ts';
import { buildServer } from './http/server.ts';
import { type OpenedApp, openApp } from './app/open-app.ts';

export interface RunningHerald {
  app: OpenedApp;
  http: FastifyInstance | null;
  url: string | null;
  stop(): Promise<void>;
}

export async function startHerald(config: HeraldConfig, roles: { http: boolean; worker: boolean; catcher: boolean }): Promise<RunningHerald> {
  const app = await openApp(config);
  const stops: Array<() => Promise<void>> = [];
  let http: FastifyInstance | null = null;
  let url: string | null = null;
  if (roles.http) {
    http = await buildServer(app.deps);
    url = await http.listen({ host: config.host, port: config.port });
    stops.push(() => http!.close());
  }
  return {
    app,
    http,
    url,
    async stop() {
      for (const stop of stops.reverse()) await stop();
      await app.close();
    },
  };
}
