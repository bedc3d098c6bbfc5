import { type BurstSummary, CLICKS, isBaseline, ROUNDS } from '../burst.js';
import { GOALS, mb, ms, people, type Row, ratio, span, thousands } from './table.js';

/**
 * The rows of part 2, bursts of clicks: every configuration of the app beside the minimal Bolt app
 * (a reference: the goals held against it before are withdrawn; the app is held to the same-job app
 * and the floor in same-job.ts), and where the lowdb store stops meeting each goal as the number of
 * people grows.
 */

/** The goal a configuration's "all confirmed" figure is held to, if any. */
function burstGoal(b: BurstSummary): { goal: string; met?: (ms: number) => boolean } {
  if (b.store === 'lowdb' && b.people === 10_000)
    return { goal: `≤ ${GOALS.burstLowdbMs} ms`, met: (x) => x <= GOALS.burstLowdbMs };
  if (b.store === 'lowdb') return { goal: `— (${GOALS.burstLowdbMs} at 10,000)` };
  return { goal: '—' };
}

/** `pgSizes`: the numbers of people PostgreSQL was measured at. */
export function burstRows(bursts: BurstSummary[], pgSizes: readonly number[]): Row[] {
  const minimal = bursts.filter((b) => b.store === 'minimal');
  if (minimal.length === 0) return [];
  const minimalSpan = (pick: (b: BurstSummary) => { min: number; max: number }) => ({
    min: Math.min(...minimal.map((b) => pick(b).min)),
    max: Math.max(...minimal.map((b) => pick(b).max)),
  });
  const minConfirmed = minimalSpan((b) => b.confirmedMs);
  const minCommand = minimalSpan((b) => b.commandWorstMs);
  const minRss = minimalSpan((b) => b.rssBytes);
  const apps = bursts.filter((b) => !isBaseline(b.store));
  const rows: Row[] = [];

  rows.push({
    name: `burst: ${CLICKS} clicks at once, all confirmed (ms)`,
    app: '',
    baseline: `minimal: ${span(minConfirmed)}`,
    ratio: '',
    goal: '',
    met: undefined,
  });
  for (const b of apps) {
    const g = burstGoal(b);
    rows.push({
      name: `  ${b.label}`,
      group: 'burst, all confirmed',
      app: span(b.confirmedMs),
      baseline: `${ms(minConfirmed.max)} (minimal)`,
      ratio: ratio(b.confirmedMs.max, minConfirmed.max),
      goal: g.goal,
      met: g.met?.(b.confirmedMs.max),
    });
  }
  rows.push({
    name: 'burst: every click acknowledged, answered and stored',
    app: apps.every((b) => b.allConfirmed)
      ? 'all configurations'
      : apps
          .filter((b) => !b.allConfirmed)
          .map((b) => b.label)
          .join('; '),
    baseline: `${CLICKS} × ${ROUNDS} each`,
    ratio: '',
    goal: 'all',
    met: bursts.every((b) => b.allConfirmed),
  });

  rows.push({
    name: `a command typed during the burst, slowest answer (ms)`,
    app: '',
    baseline: `minimal: ${span(minCommand)} (median ${ms(Math.max(...minimal.map((b) => b.commandMedianMs.max)))})`,
    ratio: '',
    goal: '',
    met: undefined,
  });
  for (const b of apps) {
    rows.push({
      name: `  ${b.label}`,
      group: 'command during the burst',
      app: `${span(b.commandWorstMs)} (median ${ms(b.commandMedianMs.max)})`,
      baseline: `${ms(minCommand.max)} (minimal)`,
      ratio: ratio(b.commandWorstMs.max, minCommand.max),
      goal: '—',
      met: undefined,
    });
  }

  rows.push({
    name: 'resident memory of an instance after the burst',
    app: '',
    baseline: `minimal: ${span(minRss, mb)}`,
    ratio: '',
    goal: '',
    met: undefined,
  });
  const largestPg = Math.max(...pgSizes);
  const smallestPg = Math.min(...pgSizes);
  for (const b of apps) {
    rows.push({
      name: `  ${b.label}`,
      group: 'memory after the burst',
      app: span(b.rssBytes, mb),
      baseline: `${mb(minRss.max)} (minimal)`,
      ratio: ratio(b.rssBytes.max, minRss.max),
      goal: '—',
      met: undefined,
    });
  }
  for (const instances of [1, 2]) {
    const small = apps.find(
      (b) => b.store === 'postgres' && b.instances === instances && b.people === smallestPg,
    );
    const large = apps.find(
      (b) => b.store === 'postgres' && b.instances === instances && b.people === largestPg,
    );
    if (!small || !large || small === large) continue;
    rows.push({
      group: 'memory after the burst',
      name: `  PostgreSQL ×${instances}: growth from ${people(smallestPg)} to ${people(largestPg)} people`,
      app: mb(large.rssBytes.max),
      baseline: mb(small.rssBytes.max),
      ratio: ratio(large.rssBytes.max, small.rssBytes.max),
      goal: `no growth (≤ ${GOALS.postgresRssGrowth})`,
      met: large.rssBytes.max / small.rssBytes.max <= GOALS.postgresRssGrowth,
    });
  }

  // lowdb at 10,000 people, in more detail: the slowest acknowledgement, the event loop's delay, and
  // how many times the store wrote its file for the clicks (it writes many changes in one flush).
  const lowdb10k = apps.find((b) => b.store === 'lowdb' && b.people === 10_000);
  if (lowdb10k) {
    const flushes = Math.max(...lowdb10k.storeWrites);
    rows.push(
      {
        name: 'lowdb, 10,000 people: slowest ack (ms; Slack allows 3000)',
        app: span(lowdb10k.lastAckMs),
        baseline: `${ms(Math.max(...minimal.map((b) => b.lastAckMs.max)))} (minimal)`,
        ratio: ratio(lowdb10k.lastAckMs.max, Math.max(...minimal.map((b) => b.lastAckMs.max))),
        goal: '—',
        met: undefined,
      },
      {
        name: 'lowdb, 10,000 people: event-loop delay max (ms)',
        app: span(lowdb10k.eventLoopMaxMs),
        baseline: `${ms(Math.max(...minimal.map((b) => b.eventLoopMaxMs.max)))} (minimal)`,
        ratio: ratio(lowdb10k.eventLoopMaxMs.max, Math.max(...minimal.map((b) => b.eventLoopMaxMs.max))),
        goal: `≤ ${GOALS.eventLoopMaxMs} ms`,
        met: lowdb10k.eventLoopMaxMs.max <= GOALS.eventLoopMaxMs,
      },
      {
        name: `lowdb, 10,000 people: flushes for ${CLICKS} clicks`,
        app: lowdb10k.storeWrites.join(' / '),
        baseline: `${CLICKS} clicks`,
        ratio: ratio(flushes, CLICKS),
        goal: `≤ ${GOALS.flushesPerClick} per click`,
        met: flushes <= CLICKS * GOALS.flushesPerClick,
      },
    );
  }
  return rows;
}

/**
 * The number of people at which a figure that grows with people crosses `goal`, by linear
 * interpolation between the last size that met it and the first that did not. When the sizes that
 * meet it are not all below the sizes that miss it, the figure does not follow the number of people
 * (it follows the run): that is said instead.
 */
function crossover(points: { people: number; value: number }[], goal: number) {
  const sorted = [...points].sort((a, b) => a.people - b.people);
  if (sorted.length === 0) return { text: 'n/a', people: Number.NaN };
  const met = sorted.map((p) => p.value <= goal);
  const list = (want: boolean) =>
    sorted
      .filter((_, i) => met[i] === want)
      .map((p) => thousands(p.people))
      .join(' ');
  const firstMiss = met.indexOf(false);
  if (firstMiss === -1) {
    return {
      text: `above ${people(sorted.at(-1)?.people ?? 0)} (met at every size)`,
      people: Number.POSITIVE_INFINITY,
    };
  }
  if (met.slice(firstMiss).some((m) => m)) {
    return { text: `not by people: met at ${list(true)}, missed at ${list(false)}`, people: Number.NaN };
  }
  if (firstMiss === 0)
    return { text: `below ${people(sorted[0]?.people ?? 0)} (missed at every size)`, people: 0 };
  const a = sorted[firstMiss - 1] as { people: number; value: number };
  const b = sorted[firstMiss] as { people: number; value: number };
  const at = a.people + ((goal - a.value) * (b.people - a.people)) / (b.value - a.value);
  const rounded = Math.round(at / 1000) * 1000;
  return {
    text: `≈ ${people(rounded)} (met at ${list(true)}, missed at ${list(false)})`,
    people: rounded,
  };
}

/** V8's longest string (2^29 − 24 characters): lowdb reads the whole file as one string at start. */
const LONGEST_STRING = 2 ** 29 - 24;

/** Where the lowdb store stops meeting each goal, from the sizes measured. */
export function lowdbCrossover(bursts: BurstSummary[]) {
  const lowdb = bursts.filter((b) => b.store === 'lowdb').sort((a, b) => a.people - b.people);
  if (lowdb.length === 0) return { rows: [] as Row[], figures: undefined };
  const points = (pick: (b: BurstSummary) => number) =>
    lowdb.map((b) => ({ people: b.people, value: pick(b) }));
  const largest = lowdb.at(-1) as BurstSummary;
  const bytesPerPerson = (largest.dataFile?.bytes ?? Number.NaN) / largest.people;
  const openable = Math.floor(LONGEST_STRING / bytesPerPerson);
  const figures = {
    sizes: lowdb.map((b) => ({
      people: b.people,
      fileBytes: b.dataFile?.bytes,
      confirmedMaxMs: b.confirmedMs.max,
      commandWorstMs: b.commandWorstMs.max,
      rssMaxBytes: b.rssBytes.max,
      startMs: b.startMs,
    })),
    confirmed: crossover(
      points((b) => b.confirmedMs.max),
      GOALS.burstLowdbMs,
    ),
    /** The PostgreSQL goal, for comparison: where lowdb stops being as quick as PostgreSQL ×2 has to be. */
    confirmedPostgresGoal: crossover(
      points((b) => b.confirmedMs.max),
      GOALS.burstPostgresMs,
    ),
    command: crossover(
      points((b) => b.commandWorstMs.max),
      GOALS.commandDuringBurstMs,
    ),
    memory: crossover(
      points((b) => b.rssBytes.max),
      GOALS.postgresRssBytes,
    ),
    start: crossover(
      points((b) => b.startMs),
      GOALS.startMs,
    ),
    bytesPerPerson,
    largestOpenablePeople: openable,
  };
  const sizesText = lowdb.map((b) => thousands(b.people)).join(' ');
  const row = (name: string, c: { text: string }, goal: string): Row => ({
    name: `lowdb crossover: ${name}`,
    app: c.text,
    baseline: `sizes ${sizesText}`,
    ratio: '',
    goal,
    met: undefined,
  });
  return {
    figures,
    rows: [
      row('all confirmed ≤ 3 s', figures.confirmed, 'people'),
      row('all confirmed ≤ 1.5 s (the PG goal)', figures.confirmedPostgresGoal, 'people'),
      row('command during burst ≤ 1 s', figures.command, 'people'),
      row('memory after burst ≤ 200 MB', figures.memory, 'people'),
      row('start to /healthz ≤ 1 s', figures.start, 'people'),
      {
        name: 'lowdb: largest data file it can open (V8 string limit)',
        app: `≈ ${people(Math.round(openable / 1000) * 1000)} people`,
        baseline: `${bytesPerPerson.toFixed(0)} bytes/person`,
        ratio: '',
        goal: '—',
        met: undefined,
      },
    ],
  };
}
