import { own } from './own.js';

/** The value at a path such as `['competencies', 2, 'expected']` inside parsed data, if there is one. */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object' || typeof segment === 'symbol') return undefined;
    // Own properties only: a path through `constructor` must not find Object's.
    value = own(value as Record<string, unknown>, String(segment));
  }
  return value;
}
