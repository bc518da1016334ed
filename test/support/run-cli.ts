// Runs the real `herald` command line as a child process against a test's database, the way an
// operator would, and collects what it printed. Password hashing is turned down to the minimum so
// that commands creating users or keys stay quick; nothing here tests its cost.
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface CliRun {
  /** The exit code (-1 when the process ended by a signal). */
  code: number;
  stdout: string;
  stderr: string;
}

/** `herald <args…>` on `databaseUrl`; `stdin`, when given, is piped in (e.g. for --password-stdin). */
export async function runCli(databaseUrl: string, args: string[], stdin?: string): Promise<CliRun> {
  const child = spawn(process.execPath, [path.join(ROOT, 'src/main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, HERALD_DATABASE_URL: databaseUrl, HERALD_LOG_LEVEL: 'warn', HERALD_ARGON2_MEMORY_KIB: '64', HERALD_ARGON2_TIME_COST: '1' },
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  if (stdin !== undefined) child.stdin?.end(stdin);
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return { code, stdout, stderr };
}
