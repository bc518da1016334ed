// The one place that wires adapters together for each process role:
//   start   = API + worker + built-in mail catcher + bounce receiver in one process (the embedded default)
//   serve   = API only;  worker = delivery worker only (many of each on PostgreSQL);
//   inbound = the bounce and complaint receiver only (one per deployment).
import type { FastifyInstance } from 'fastify';
import { type OpenedApp, openApp } from './app/open-app.ts';
import type { HeraldConfig } from './config/load-config.ts';
import type { EmailTransport } from './transports/email/email-transport.ts';
import { createDeliveryWorker } from './workers/delivery-worker.ts';

export interface Roles {
  http: boolean;
  worker: boolean;
  catcher: boolean;
  /** The bounce and complaint receiver (one per deployment: it owns a port). */
  inbound: boolean;
}

export interface RunningHerald {
  app: OpenedApp;
  http: FastifyInstance | null;
  url: string | null;
  catcherPort: number | null;
  stop(): Promise<void>;
}

/** Where email goes: the configured relay, or else the built-in catcher on loopback. */
// Each role's modules are imported only when the role runs: a `herald worker` never loads the
// HTTP server or nodemailer (~20 MB of RSS and a quarter second of start-up).
export async function emailTransportFor(config: HeraldConfig, catcherPort: number | null, log: OpenedApp['deps']['log']): Promise<EmailTransport> {
  const url = config.smtpUrl ?? `smtp://127.0.0.1:${catcherPort ?? config.catcherPort}`;
  // The pipelining client sends ~15,000-22,000 msgs/s where nodemailer's pool sends ~1,500-1,900
  // (Postfix smtp-sink, 5 connections, same run; bench/support/lean-loop.ts), with the same
  // outcomes; nodemailer stays available as HERALD_SMTP_CLIENT=nodemailer.
  if (config.smtpClient === 'lean') {
    const { createLeanSmtpTransport } = await import('./transports/email/lean-smtp-transport.ts');
    return createLeanSmtpTransport({ url, log });
  }
  const { createSmtpTransport } = await import('./transports/email/smtp-transport.ts');
  return createSmtpTransport({ url, log });
}

export async function startHerald(config: HeraldConfig, roles: Roles): Promise<RunningHerald> {
  const app = await openApp(config);
  const { deps } = app;
  // Stopped in reverse order: the worker finishes its batch before the catcher and store close.
  const stops: Array<() => Promise<void>> = [];
  let catcherPort: number | null = null;
  let http: FastifyInstance | null = null;
  let url: string | null = null;
  try {
    if (roles.catcher) {
      const { startMailCatcher } = await import('./inbound/mail-catcher.ts');
      const catcher = await startMailCatcher(deps, { host: '127.0.0.1', port: config.catcherPort, keep: config.catcherKeep });
      catcherPort = catcher.port;
      stops.push(() => catcher.close());
      deps.log.info({ port: catcher.port }, 'built-in mail catcher listening (messages are kept, see /api/v1/outbox)');
    }
    if (roles.inbound) {
      {
        const { startBounceReceiver } = await import('./inbound/bounce-receiver.ts');
        const receiver = await startBounceReceiver(deps, { host: config.inboundHost, port: config.inboundPort, domain: config.bounceDomain });
        stops.push(() => receiver.close());
        deps.log.info({ port: receiver.port }, 'bounce and complaint receiver listening');
      }
    }
    if (roles.http) {
      const { buildServer } = await import('./http/server.ts');
      http = await buildServer(deps);
      url = await http.listen({ host: config.host, port: config.port });
      stops.push(() => http!.close());
    }
    if (roles.worker) {
      const transport = await emailTransportFor(config, catcherPort, deps.log);
      const worker = createDeliveryWorker(deps, transport);
      worker.start();
      stops.push(async () => {
        await worker.stop();
        await transport.close();
      });
      deps.log.info({ owner: worker.owner, transport: config.smtpUrl ? 'relay' : 'built-in catcher' }, 'delivery worker started');
    }
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await app.close();
    throw err;
  }
  return {
    app,
    http,
    url,
    catcherPort,
    async stop() {
      for (const stop of stops.reverse()) await stop();
      await app.close();
    },
  };
}
