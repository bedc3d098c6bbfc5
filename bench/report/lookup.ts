import { FIND_QUERY, type lookupCost, ROLE_MENU_TYPING, TYPO_COMMAND } from '../lookup.js';
import { COPIES } from '../start.js';
import { GOALS, ms, patternLabel, type Row, ratio } from './table.js';

/**
 * The rows of part 4, the framework lookup: the costliest long texts beside a normal command, a
 * mistyped role, `/competency find` and the shortcut's role menu, per catalog; and a long command
 * sent to the app.
 */

type Lookup = Awaited<ReturnType<typeof lookupCost>>;

export function lookupRows(lookup: Lookup): Row[] {
  const fw = (c: Lookup['inProcess'][number]) => (c.added > 0 ? `, +${c.added} fw` : '');
  const bundled = lookup.inProcess.find((c) => c.added === 0);
  const previous = (c: Lookup['inProcess'][number]) => {
    const smaller = lookup.inProcess.filter((o) => o.added < c.added);
    return smaller[smaller.length - 1];
  };
  return [
    ...lookup.inProcess.flatMap((c) =>
      c.worst.map((w) => ({
        name: `lookup CPU (ms): ${w.length.toLocaleString('en')} chars of ${patternLabel(w.pattern)}${fw(c)}`,
        app: w.ms.toFixed(3),
        baseline: `${c.normalMs.toFixed(3)} (normal)`,
        ratio: ratio(w.ms, c.normalMs),
        goal: `≤ ${GOALS.lookupCpuMs} ms`,
        met: w.ms <= GOALS.lookupCpuMs,
      })),
    ),
    ...lookup.inProcess
      .filter((c) => c.added > 0)
      .flatMap((c): Row[] => {
        const before = previous(c);
        const large = c.added >= 500;
        return [
          {
            name: `lookup CPU (ms): normal command${fw(c)}`,
            app: c.normalMs.toFixed(3),
            baseline: bundled ? `${bundled.normalMs.toFixed(3)} (bundled)` : '',
            ratio: bundled ? ratio(c.normalMs, bundled.normalMs) : '',
            goal: large ? `≤ ${GOALS.lookupLargeMs} ms` : '—',
            met: large ? c.normalMs <= GOALS.lookupLargeMs : undefined,
          },
          {
            name: `lookup CPU (ms): mistyped role "${TYPO_COMMAND}"${fw(c)}`,
            app: c.typoMs.toFixed(3),
            baseline: before
              ? `${before.typoMs.toFixed(3)} (${before.added > 0 ? `+${before.added}` : 'bundled'})`
              : '',
            ratio: before ? ratio(c.typoMs, before.typoMs) : '',
            goal: large ? `≤ ${GOALS.lookupLargeMs} ms` : '—',
            met: large ? c.typoMs <= GOALS.lookupLargeMs : undefined,
          },
          {
            name: `find CPU (ms): "${FIND_QUERY}" (${c.findTotal} matches)${fw(c)}`,
            app: c.findMs.toFixed(3),
            baseline: before
              ? `${before.findMs.toFixed(3)} (${before.added > 0 ? `+${before.added}` : 'bundled'})`
              : '',
            ratio: before ? ratio(c.findMs, before.findMs) : '',
            goal: large ? `≤ ${GOALS.findCpuMs} ms` : '—',
            met: large ? c.findMs <= GOALS.findCpuMs : undefined,
          },
          {
            name: `  find index, built by the first find (ms)${fw(c)}`,
            app: c.findIndexMs.toFixed(1),
            baseline: before
              ? `${before.findIndexMs.toFixed(1)} (${before.added > 0 ? `+${before.added}` : 'bundled'})`
              : '',
            ratio: before ? ratio(c.findIndexMs, before.findIndexMs) : '',
            goal: '—',
            met: undefined,
          },
          {
            name: `role menu CPU (ms): costliest letter of "${ROLE_MENU_TYPING}", ${c.roleMenu.roles} roles${fw(c)}`,
            app: c.roleMenu.costliestMs.toFixed(3),
            baseline: bundled
              ? `${bundled.roleMenu.costliestMs.toFixed(3)} (bundled, ${bundled.roleMenu.roles} roles)`
              : '',
            ratio: bundled ? ratio(c.roleMenu.costliestMs, bundled.roleMenu.costliestMs) : '',
            // role-options.ts promises "well under a millisecond for 500 frameworks".
            goal: large ? `≤ ${GOALS.lookupLargeMs} ms` : '—',
            met: large ? c.roleMenu.costliestMs <= GOALS.lookupLargeMs : undefined,
          },
        ];
      }),
    {
      name: `long command p50 (ms): 4,000 chars, +${COPIES} fw`,
      app: ms(lookup.app.worst.p50Ms),
      baseline: `${ms(lookup.app.normal.p50Ms)} (normal)`,
      ratio: ratio(lookup.app.worst.p50Ms, lookup.app.normal.p50Ms),
      goal: `≤ ${GOALS.longCommandP50Ms} ms`,
      met: lookup.app.worst.p50Ms <= GOALS.longCommandP50Ms,
    },
    {
      name: '  app CPU per command (ms)',
      app: ms(lookup.app.worst.cpuMsPerCommand),
      baseline: `${ms(lookup.app.normal.cpuMsPerCommand)} (normal)`,
      ratio: ratio(lookup.app.worst.cpuMsPerCommand, lookup.app.normal.cpuMsPerCommand),
      goal: '—',
      met: undefined,
    },
  ];
}
