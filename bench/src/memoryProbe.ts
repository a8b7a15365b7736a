import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { sleep } from './stats';

const MB = 2 ** 20;

/**
 * RSS once the process is quiet: two full collections, then a pause in
 * which V8 gives back the pages the collections emptied (read at once after a
 * burst of work, RSS still counts tens of MB of garbage V8 frees a moment
 * later), then another collection. Every reading of the memory benchmark is
 * taken this way, the baseline too.
 */
export async function settledRssMb(settleMs = 2000): Promise<number> {
  const gc = (globalThis as any).gc as (() => void) | undefined;
  gc?.();
  gc?.();
  await sleep(settleMs);
  gc?.();
  return process.memoryUsage().rss / MB;
}

export function heapUsedMb(): number {
  return process.memoryUsage().heapUsed / MB;
}

/** BENCH_HEAP_SNAPSHOTS=<dir>: a heap snapshot named `name` (for diffing readings). */
export function heapSnapshot(name: string) {
  const dir = process.env.BENCH_HEAP_SNAPSHOTS;
  if (dir) writeHeapSnapshot(join(dir, `memory-${name}.heapsnapshot`));
}

/** The highest RSS seen (sampled every 20 ms) until `stop`. */
export function peakRss() {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss / MB);
  };
  const timer = setInterval(sample, 20);
  return {
    stop(): number {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/**
 * BENCH_ALLOC_PROFILE=<file>: a sampling heap profile of everything allocated
 * (collected objects included) until `stop`, to open in Chrome DevTools:
 * where the garbage that makes the heap grow during a sync comes from.
 */
export async function allocationProfile() {
  const file = process.env.BENCH_ALLOC_PROFILE;
  if (!file) return { stop: async () => {} };
  const session = new Session();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) =>
      session.post(method, params, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
  session.connect();
  await post('HeapProfiler.enable');
  await post('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return {
    async stop() {
      const { profile } = await post('HeapProfiler.stopSampling');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
