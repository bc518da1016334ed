// The SMTP sink every sender in the send benchmark talks to: Postfix's smtp-sink when it is
// installed (a C event loop that discards everything, so the sink is never what is measured), else
// the test sink built on the smtp-server package with keepMessages:false, which runs in this
// process and shares its CPU — its numbers say so through `kind`.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { startSmtpSink } from '../../test/support/smtp-sink.ts';

// Overridable to point at another Postfix build (or at nothing, to try the fallbacks).
export const POSTFIX_SMTP_SINK = process.env.BENCH_SMTP_SINK || '/usr/sbin/smtp-sink';
export const POSTFIX_SMTP_SOURCE = process.env.BENCH_SMTP_SOURCE || '/usr/sbin/smtp-source';

export interface BenchSink {
  kind: 'postfix-smtp-sink' | 'node-smtp-server';
  host: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForListener(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`smtp-sink exited with code ${child.exitCode} before listening`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`smtp-sink did not listen on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startPostfixSink(): Promise<BenchSink> {
  const port = await freePort();
  // smtp-sink refuses to keep root privileges; as root it must be told whom to become.
  const args = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
  // A backlog of 256 and at most 256 sessions: far more than any sender here opens.
  const child = spawn(POSTFIX_SMTP_SINK, [...args, '-m', '256', `127.0.0.1:${port}`, '256'], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForListener(port, child, 5000);
  return {
    kind: 'postfix-smtp-sink',
    host: '127.0.0.1',
    port,
    url: `smtp://127.0.0.1:${port}`,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function startBenchSink(): Promise<BenchSink> {
  if (isExecutable(POSTFIX_SMTP_SINK)) return startPostfixSink();
  const sink = await startSmtpSink({ keepMessages: false });
  return { kind: 'node-smtp-server', host: '127.0.0.1', port: sink.port, url: sink.url, close: () => sink.close() };
}
