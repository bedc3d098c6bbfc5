import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guardCell, unguardCell } from '../../src/util/csv-guard.js';

/** Texts made mostly of the characters that matter here, so that every case comes up often. */
const tricky = fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', ' ', 'a', '1', '"') });

describe('the spreadsheet formula guard', () => {
  it('shows as text every cell a spreadsheet would run as a formula', () => {
    for (const text of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1'])
      expect(guardCell(text)).toBe(`'${text}`);
    for (const text of ['plain', '1', '', ' =1', 'a=1', "'tis"]) expect(guardCell(text)).toBe(text);
    fc.assert(fc.property(tricky, (text) => !/^[=+\-@\t\r]/.test(guardCell(text))));
  });

  it('is undone exactly, including for texts that themselves begin with the guard', () => {
    expect(guardCell("'=1")).toBe("''=1");
    expect(unguardCell("''=1")).toBe("'=1");
    expect(unguardCell("'tis")).toBe("'tis");
    fc.assert(fc.property(tricky, (text) => unguardCell(guardCell(text)) === text));
    fc.assert(fc.property(fc.string(), (text) => unguardCell(guardCell(text)) === text));
    // What import reads, export writes again: a guarded cell stays as it was written.
    fc.assert(fc.property(tricky, (cell) => guardCell(unguardCell(guardCell(cell))) === guardCell(cell)));
  });
});
