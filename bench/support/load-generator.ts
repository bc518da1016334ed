// The load generator of the tracking bench: autocannon, in its own process so that it gets its own
// core. A warm-up run, then the measured run; the result is one JSON line on stdout.
//   node bench/support/load-generator.ts options.json   ({"port":1234,"paths":["/a"],"connections":32,"seconds":10,"warmupSeconds":2})
import fs from 'node:fs';
import autocannon from 'autocannon';

export interface LoadOptions {
  host?: string;
  port: number;
  /** Requested in turn by every connection. */
  paths: string[];
  method?: 'GET' | 'HEAD';
  userAgent?: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  requests: number;
  requests_per_second: number;
  latency_ms: { p50: number; p90: number; p99: number; max: number; mean: number };
  statuses: Record<string, number>;
  errors: number;
}

function run(o: LoadOptions, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://${o.host ?? '127.0.0.1'}:${o.port}`,
    connections: o.connections,
    pipelining: 1,
    duration: seconds,
    headers: { 'user-agent': o.userAgent ?? 'herald-bench' },
    requests: o.paths.map((path) => ({ method: o.method ?? 'GET', path })),
  });
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  if (o.warmupSeconds > 0) await run(o, o.warmupSeconds);
  const r = await run(o, o.seconds);
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = (stat as { count: number }).count;
  return {
    requests: r.requests.total,
    requests_per_second: Math.round(r.requests.total / r.duration),
    latency_ms: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.mean },
    statuses,
    errors: r.errors + r.timeouts,
  };
}

if (process.argv[1]?.endsWith('load-generator.ts')) {
  const options = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as LoadOptions;
  process.stdout.write(`${JSON.stringify(await runLoad(options))}\n`);
}
