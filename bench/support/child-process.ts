// Child processes of a benchmark: the Herald worker, the reference sender, smtp-source. Each is
// started with its memory sampled; stdout is collected when the child reports through it, and
// everything else goes to our stderr so that our stdout stays result lines only.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { type MemorySampler, sampleMemory } from './process-memory.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface RunningChild {
  child: ChildProcess;
  memory: MemorySampler;
  /** Resolves with the exit code and whatever the child wrote to stdout (when collected). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>;
}

export function startChild(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; collectStdout?: boolean } = {},
): RunningChild {
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.collectStdout ? 'pipe' : process.stderr, process.stderr],
  });
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout }));
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return { child, memory: sampleMemory(child.pid), exited };
}

/** Runs this Node (the one running the benchmark, so Node 24) on a TypeScript file of the repo. */
export function startNode(
  script: string,
  args: string[],
  options: { env?: Record<string, string>; collectStdout?: boolean; nodeArgs?: string[] } = {},
): RunningChild {
  return startChild(process.execPath, [...(options.nodeArgs ?? []), script, ...args], options);
}
