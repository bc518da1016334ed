// A small HTTP/1.1 load generator in the spirit of autocannon (which is not a dependency): many
// keep-alive connections over raw sockets, one request in flight on each, every latency kept.
// It runs as its own process so it gets its own core; the result is one JSON line on stdout.
//   node bench/support/load-generator.ts options.json   ({"port":1234,"paths":["/a"],"connections":32,"seconds":10,"warmupSeconds":2})
import fs from 'node:fs';
import net from 'node:net';

export interface LoadOptions {
  host?: string;
  port: number;
  /** Requested in turn, spread over the connections. */
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

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function runLoad(o: LoadOptions): Promise<LoadResult> {
  const host = o.host ?? '127.0.0.1';
  const method = o.method ?? 'GET';
  const requests = o.paths.map((p) =>
    Buffer.from(`${method} ${p} HTTP/1.1\r\nHost: ${host}:${o.port}\r\nUser-Agent: ${o.userAgent ?? 'herald-bench'}\r\nConnection: keep-alive\r\n\r\n`),
  );
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let next = 0;
  let measuring = false;
  let stopped = false;
  const sockets: net.Socket[] = [];

  return new Promise((resolve) => {
    for (let c = 0; c < o.connections; c++) {
      const socket = net.connect({ host, port: o.port, noDelay: true });
      sockets.push(socket);
      let buffered: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      const send = () => {
        if (stopped) return;
        sentAt = performance.now();
        socket.write(requests[next++ % requests.length]);
      };
      socket.on('connect', send);
      socket.on('error', () => {
        errors++;
      });
      socket.on('data', (chunk: Buffer) => {
        buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
        for (;;) {
          const end = buffered.indexOf('\r\n\r\n');
          if (end === -1) return;
          const head = buffered.subarray(0, end).toString('latin1');
          const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
          // HEAD answers carry a Content-Length but no body.
          const bodyLength = method === 'HEAD' || !m ? 0 : Number(m[1]);
          if (buffered.length < end + 4 + bodyLength) return;
          buffered = buffered.subarray(end + 4 + bodyLength);
          if (measuring) {
            latencies.push(performance.now() - sentAt);
            const status = head.slice(9, 12);
            statuses[status] = (statuses[status] ?? 0) + 1;
          }
          send();
        }
      });
    }
    setTimeout(() => {
      measuring = true;
      const t0 = performance.now();
      setTimeout(() => {
        measuring = false;
        stopped = true;
        const seconds = (performance.now() - t0) / 1000;
        for (const s of sockets) s.destroy();
        const sorted = Float64Array.from(latencies).sort();
        const sum = latencies.reduce((a, b) => a + b, 0);
        const r = (n: number) => Math.round(n * 100) / 100;
        resolve({
          requests: latencies.length,
          requests_per_second: Math.round(latencies.length / seconds),
          latency_ms: {
            p50: r(percentile(sorted, 50)),
            p90: r(percentile(sorted, 90)),
            p99: r(percentile(sorted, 99)),
            max: r(sorted[sorted.length - 1] ?? 0),
            mean: r(sum / Math.max(1, latencies.length)),
          },
          statuses,
          errors,
        });
      }, o.seconds * 1000);
    }, o.warmupSeconds * 1000);
  });
}

if (import.meta.main) {
  const options = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as LoadOptions;
  runLoad(options).then((result) => process.stdout.write(`${JSON.stringify(result)}\n`));
}
