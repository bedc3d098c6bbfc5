import { APP_VARIANT } from '../apps.js';
import { COPIES, type startAndMemory } from '../start.js';
import { GOALS, mb, ms, type Row, ratio } from './table.js';

/** The rows of part 3, start time and memory: more frameworks beside the bundled ones only. */

export type Start = Awaited<ReturnType<typeof startAndMemory>>;

export function startRows(start: Start): Row[] {
  const rows: Row[] = [
    {
      name: `start to /healthz 200 (ms), +${COPIES} frameworks, ${APP_VARIANT === 'production' ? 'production build' : 'from source'}`,
      app: `${ms(start.withCopies.medianMs)} (${ms(start.withCopies.minMs)}–${ms(start.withCopies.maxMs)})`,
      baseline: `${ms(start.bundledOnly.medianMs)} (bundled only)`,
      ratio: ratio(start.withCopies.medianMs, start.bundledOnly.medianMs),
      goal: `≤ ${GOALS.startMs} ms`,
      met: start.withCopies.medianMs <= GOALS.startMs,
    },
  ];
  rows.push({
    name: `  the same, first start (nothing in the frameworks cache)`,
    app: `${ms(start.withCopiesFirstStart.medianMs)} (${ms(start.withCopiesFirstStart.minMs)}–${ms(start.withCopiesFirstStart.maxMs)})`,
    baseline: `${ms(start.withCopies.medianMs)} (restart)`,
    ratio: ratio(start.withCopiesFirstStart.medianMs, start.withCopies.medianMs),
    goal: '—',
    met: undefined,
  });
  if (start.fromSourceWithCopies) {
    rows.push({
      name: `  the same from source (tsx src/main.ts, npm start)`,
      app: `${ms(start.fromSourceWithCopies.medianMs)} (${ms(start.fromSourceWithCopies.minMs)}–${ms(start.fromSourceWithCopies.maxMs)})`,
      baseline: `${ms(start.withCopies.medianMs)} (production)`,
      ratio: ratio(start.fromSourceWithCopies.medianMs, start.withCopies.medianMs),
      goal: '—',
      met: undefined,
    });
  }
  rows.push({
    name: `start to /healthz 200 (ms), +${start.largeCopies} frameworks, ${APP_VARIANT === 'production' ? 'production build' : 'from source'}`,
    app: `${ms(start.withLargeCopies.medianMs)} (${ms(start.withLargeCopies.minMs)}–${ms(start.withLargeCopies.maxMs)})`,
    baseline: `${ms(start.bundledOnly.medianMs)} (bundled only)`,
    ratio: ratio(start.withLargeCopies.medianMs, start.bundledOnly.medianMs),
    goal: `≤ ${GOALS.startMs} ms`,
    met: start.withLargeCopies.medianMs <= GOALS.startMs,
  });
  rows.push({
    name: `resident memory after start, empty store (bundled / +${COPIES} / +${start.largeCopies} fw)`,
    app: `${mb(start.bundledOnly.rssBytes)} / ${mb(start.withCopies.rssBytes)} / ${mb(start.withLargeCopies.rssBytes)}`,
    baseline: '',
    ratio: '',
    goal: '—',
    met: undefined,
  });
  return rows;
}
