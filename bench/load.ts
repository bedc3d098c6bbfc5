import autocannon from 'autocannon';

/**
 * Runs autocannon in its own process, so the load generator does not share an event loop with
 * the benchmark or the app. Takes its options as JSON in BENCH_LOAD_OPTIONS and prints one JSON
 * line with the figures the benchmark needs.
 */

type LoadOptions = {
  /** One URL, or several: autocannon spreads the connections over them in turn. */
  url: string | string[];
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
};

const options = JSON.parse(process.env.BENCH_LOAD_OPTIONS ?? '') as LoadOptions;

const result = await autocannon({
  url: options.url,
  method: 'POST',
  headers: options.headers,
  body: options.body,
  connections: options.connections,
  duration: options.durationSeconds,
  warmup: { connections: options.connections, duration: options.warmupSeconds },
});

const summary = {
  durationSeconds: result.duration,
  requests: result.requests.total,
  requestsPerSecond: result.requests.total / result.duration,
  requestsPerSecondAverage: result.requests.average,
  latencyMs: {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    mean: result.latency.average,
  },
  bytesPerResponse: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
  warmup: result.warmup
    ? {
        requests: result.warmup.requests.total,
        non2xx: result.warmup.non2xx,
        errors: result.warmup.errors,
      }
    : undefined,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
