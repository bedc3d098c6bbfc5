// Preloaded into the app (`node --import ./bench/probe.mjs …`): measures event-loop delay from the
// start, and on SIGUSR2 writes { maxMs, p99Ms, meanMs, rssBytes, heapMB, oldUsedMB } to $BENCH_PROBE_FILE, then starts
// a fresh measurement. Values from monitorEventLoopDelay include the 10 ms sampling interval.
import { renameSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';

const file = process.env.BENCH_PROBE_FILE;
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
let sequence = 0;

if (file) {
  process.on('SIGUSR2', () => {
    sequence += 1;
    const spaces = v8.getHeapSpaceStatistics();
    const figures = {
      sequence,
      maxMs: histogram.max / 1e6,
      p99Ms: histogram.percentile(99) / 1e6,
      meanMs: histogram.mean / 1e6,
      samples: histogram.count,
      rssBytes: process.memoryUsage().rss,
      // What V8 holds, by space (MB committed; used in old space), to tell live data from room to grow.
      heapMB: Object.fromEntries(
        spaces
          .filter((space) => space.space_size > 0)
          .map((space) => [space.space_name.replace('_space', ''), Math.round(space.space_size / 2 ** 20)]),
      ),
      oldUsedMB: Math.round(
        (spaces.find((space) => space.space_name === 'old_space')?.space_used_size ?? 0) / 2 ** 20,
      ),
    };
    // Written whole, then renamed, so the reader never sees half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify(figures));
    renameSync(`${file}.tmp`, file);
    histogram.reset();
  });
}
