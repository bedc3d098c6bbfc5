import type { importCost } from '../import.js';
import { ms, people, type Row, ratio } from './table.js';

/** The rows of part 5, `competency import`: tables refused at a framework's limits, and many small frameworks. */

type Imports = Awaited<ReturnType<typeof importCost>>;

export function importRows(imports: Imports): Row[] {
  const largest = `${ms(imports.largest.ms)} (largest framework, ${imports.largest.rows} rows)`;
  const [fewer, more] = imports.frameworks;
  return [
    {
      name: `import (ms): ${people(imports.competencies.rows)} rows of one role, refused at the 25th competency`,
      app: ms(imports.competencies.ms),
      baseline: largest,
      ratio: ratio(imports.competencies.ms, imports.largest.ms),
      goal: '—',
      met: undefined,
    },
    {
      name: `import (ms): ${people(imports.levels.rows)} rows of one competency, refused at the 9th level`,
      app: ms(imports.levels.ms),
      baseline: largest,
      ratio: ratio(imports.levels.ms, imports.largest.ms),
      goal: '—',
      met: undefined,
    },
    ...(fewer && more
      ? [
          {
            name: `import (ms): ${people(more.count)} one-row frameworks`,
            app: ms(more.ms),
            baseline: `${ms(fewer.ms)} (${people(fewer.count)})`,
            ratio: ratio(more.ms, fewer.ms),
            goal: `— (linear: ${(more.count / fewer.count).toFixed(0)})`,
            met: undefined,
          },
        ]
      : []),
  ];
}
