// Memory of another process, read from /proc/<pid>/status (Linux). VmHWM is the kernel's own
// high-water mark of the resident set, so a peak between two samples is not missed as long as one
// sample is taken before the process exits (after that its status file is gone).
import { readFile } from 'node:fs/promises';

export interface ProcessMemory {
  rssMb: number;
  peakRssMb: number;
}

function kbField(status: string, name: string): number | null {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) / 1024 : null;
}

export async function readProcessMemory(pid: number): Promise<ProcessMemory | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const rss = kbField(status, 'VmRSS');
    const hwm = kbField(status, 'VmHWM');
    if (rss === null || hwm === null) return null;
    return { rssMb: Math.round(rss * 10) / 10, peakRssMb: Math.round(hwm * 10) / 10 };
  } catch {
    return null; // the process is gone
  }
}

export interface MemorySampler {
  /** The last reading of VmHWM (peak RSS) while the process was alive. */
  peakRssMb(): number | null;
  /** Takes a final reading now (call before stopping the process), then stops sampling. */
  stop(): Promise<number | null>;
}

export function sampleMemory(pid: number, everyMs = 250): MemorySampler {
  let peak: number | null = null;
  const take = async () => {
    const m = await readProcessMemory(pid);
    if (m) peak = Math.max(peak ?? 0, m.peakRssMb);
  };
  const timer = setInterval(() => void take(), everyMs);
  return {
    peakRssMb: () => peak,
    async stop() {
      clearInterval(timer);
      await take();
      return peak;
    },
  };
}
