// Real `herald worker` child processes for the tests that need what only separate processes show:
// a kill -9 mid-send, a restart, several workers competing for one database. They run the real
// entry point on the real clock, against the test's database and SMTP sink.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Starts `herald worker` on the database and SMTP server given. `settings` adds or overrides
 * environment variables (poll interval, batch, lease…), so each test names the ones it relies on.
 * Its stderr goes to the test's, so a crash in the child is seen.
 */
export function startWorkerProcess(databaseUrl: string, smtpUrl: string, settings: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [path.join(ROOT, 'src/main.ts'), 'worker'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HERALD_DATABASE_URL: databaseUrl,
      HERALD_SMTP_URL: smtpUrl,
      HERALD_LOG_LEVEL: 'warn',
      ...settings,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Asks the worker to stop (SIGTERM: it finishes its batch) and resolves once it has exited. */
export async function stopWorkerProcess(child: ChildProcess): Promise<void> {
  // Already gone: by its own exit (exitCode) or by a signal such as an earlier kill (signalCode).
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** For afterAll: ends the workers a failed test left running, so they do not outlive the run. */
export function killWorkerProcesses(children: ChildProcess[]): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
