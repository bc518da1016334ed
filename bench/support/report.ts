// How benchmarks talk: one JSON line per result on stdout (machine-readable, for CI or a
// spreadsheet), human progress on stderr only, and the scale factor every size is multiplied by.

/** Writes one result line to stdout. */
export function emit(result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const started = Date.now();

/** A progress line on stderr, stamped with seconds since the run began. */
export function progress(message: string): void {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}\n`);
}

/**
 * `--quick` means BENCH_SCALE=0.1 (a smoke run); BENCH_SCALE may set any factor in (0, 1].
 * Sizes never drop below `min`, so a tiny scale still measures something.
 */
export function scaleFactor(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  if (argv.includes('--quick')) return 0.1;
  const raw = env.BENCH_SCALE;
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!(n > 0 && n <= 1)) throw new Error(`BENCH_SCALE must be a number in (0, 1], got "${raw}"`);
  return n;
}

export function scaled(size: number, scale: number, min = 1000): number {
  return Math.max(min, Math.round(size * scale));
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Seconds since `t0` (a performance.now() reading). */
export function secondsSince(t0: number): number {
  return (performance.now() - t0) / 1000;
}

export function mb(bytes: number): number {
  return round(bytes / (1024 * 1024), 1);
}
