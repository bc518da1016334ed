// `npm run bench` runs every benchmark; `npm run bench -- send` (or prepare, import) runs one;
// `--quick` (or BENCH_SCALE=0.1) scales the sizes down for a smoke run. Results are JSON lines on
// stdout, one per measurement, each with its reference measured in the same run; progress is on
// stderr. Benchmarks are not tests: they measure this machine and never fail on a missed target
// (the line says target_met: false); they fail only when something did not work.
import os from 'node:os';
import { runImportBench } from './import.ts';
import { runPrepareBench } from './prepare.ts';
import { progress, scaleFactor } from './support/report.ts';
import { runSendBench } from './send.ts';
import { runTrackingBench } from './tracking.ts';

const BENCHES: Record<string, (scale: number) => Promise<void>> = {
  send: runSendBench,
  prepare: runPrepareBench,
  import: runImportBench,
  tracking: runTrackingBench,
};

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const names = argv.filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length) {
    throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  }
  const unknownFlags = argv.filter((a) => a.startsWith('-') && a !== '--quick');
  if (unknownFlags.length) throw new Error(`unknown option ${unknownFlags.join(', ')}; the only option is --quick`);
  const scale = scaleFactor(argv, process.env);
  const selected = names.length ? names : Object.keys(BENCHES);
  progress(`running ${selected.join(', ')} at scale ${scale} on ${process.version}`);
  for (const name of selected) {
    const t0 = performance.now();
    // Other work on the machine shows here: the numbers are only as good as the machine was quiet.
    progress(`${name}: load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`);
    await BENCHES[name](scale);
    progress(`${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
