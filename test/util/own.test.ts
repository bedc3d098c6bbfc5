import { describe, expect, it } from 'vitest';
import { own } from '../../src/util/own.js';
import { valueAt } from '../../src/util/value-at.js';

describe('keys that come from data are read as own properties only', () => {
  it('own() finds nothing where a plain object would find what Object.prototype has', () => {
    const ratings: Record<string, { value: number }> = { design: { value: 4 } };
    expect(own(ratings, 'design')).toEqual({ value: 4 });
    for (const key of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      expect(own(ratings, key), key).toBeUndefined();
    }
    expect(own(undefined, 'design')).toBeUndefined();
    // A key that is really there is found, whatever its name.
    expect(
      own(JSON.parse('{"constructor": 3, "__proto__": 5}') as Record<string, number>, 'constructor'),
    ).toBe(3);
    expect(own(JSON.parse('{"__proto__": 5}') as Record<string, number>, '__proto__')).toBe(5);
  });

  it('valueAt() does not walk through inherited properties', () => {
    const data = { competencies: [{ expected: { senior: 4 } }] };
    expect(valueAt(data, ['competencies', 0, 'expected', 'senior'])).toBe(4);
    expect(valueAt(data, ['competencies', 0, 'expected', 'constructor'])).toBeUndefined();
    expect(valueAt(data, ['constructor', 'name'])).toBeUndefined();
  });
});
