import { describe, expect, it } from 'vitest';
import { Catalog, type LookupResult } from '../../src/frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import type { Framework } from '../../src/frameworks/schema.js';
import type { LookupWork } from '../../src/frameworks/text-match.js';

/**
 * What a lookup costs must not grow with what is typed: `/competency` followed by 4,000 characters of
 * `sr sr sr …` used to keep the event loop busy for about 10 s. Speed itself is measured by
 * `npm run bench`; here the catalog counts the work it does (words read, keys built and looked up,
 * comparisons, cells of edit-distance tables), which does not depend on how busy the machine is.
 */

// The bundled Solutions Architect framework (other bundled frameworks may sit beside it).
const bundled = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).find(
  (f) => f.id === 'solutions-architect.e-commerce',
);
if (!bundled) throw new Error('the bundled Solutions Architect framework did not load');
const sa: Framework = bundled;

/** 500 more roles, as `npm run bench` loads them: each a copy of the bundled one with a role of its own. */
const copies: Framework[] = Array.from({ length: 500 }, (_, i) => {
  const n = String(i + 1).padStart(3, '0');
  return {
    ...sa,
    role: { ...sa.role, id: `bench-role-${n}`, name: `Bench Role ${n}`, aliases: [] },
    id: `bench-role-${n}.e-commerce`,
  };
});

const newWork = (): LookupWork => ({ wordsRead: 0, keyReads: 0, comparisons: 0, distanceCells: 0 });
const total = (w: LookupWork) => w.wordsRead + w.keyReads + w.comparisons + w.distanceCells;

function catalogs() {
  return [
    { name: 'bundled', frameworks: [sa] },
    { name: '201 frameworks', frameworks: [sa, ...copies.slice(0, 200)] },
    { name: '501 frameworks', frameworks: [sa, ...copies] },
  ].map(({ name, frameworks }) => {
    const work = newWork();
    return { name, catalog: new Catalog(frameworks, { work }), work, size: frameworks.length };
  });
}

/** The work one lookup of `text` took. */
function workOf(entry: ReturnType<typeof catalogs>[number], text: string): number {
  const before = total(entry.work);
  entry.catalog.lookup(text);
  return total(entry.work) - before;
}

/** `unit` repeated to about `length` characters (whole units, so longer texts start with the same words). */
const fill = (unit: string, length: number) => unit.repeat(Math.round(length / unit.length));

/** Texts that used to cost the most: repeated levels, roles, near-misses, words that read as nothing. */
const PATTERNS = [
  'sr ',
  'senior ',
  'x ',
  'sa sr ',
  'solutions architect ',
  'lead principal ecommerce ',
  'solutons archtect ',
  'bench role ',
  'benchrole ',
  'bench rol 150 ',
  'bnch ',
  '- ',
  'é ',
];

describe('a lookup costs little whatever is typed', () => {
  it('counts its work (the counter is wired)', () => {
    for (const entry of catalogs()) {
      expect(workOf(entry, 'solutions-architect senior')).toBeGreaterThan(0);
      expect(workOf(entry, 'solutons-architect seinor')).toBeGreaterThan(0);
    }
  });

  it.each(PATTERNS)(
    '%j repeated to 4,000 and 40,000 characters costs no more than 400 characters',
    (unit) => {
      for (const entry of catalogs()) {
        const short = workOf(entry, fill(unit, 400));
        for (const length of [4_000, 40_000]) {
          const long = workOf(entry, fill(unit, length));
          expect(long, `${entry.name}, ${length} characters of ${JSON.stringify(unit)}`).toBeLessThanOrEqual(
            short,
          );
        }
      }
    },
  );

  it('stays within a budget that grows with the catalog, not with the text', () => {
    for (const entry of catalogs()) {
      // A unit is a few tens of nanoseconds: 2,000 units and 250 more per framework stay well under
      // a few milliseconds. Before the bound, 1,000 characters of "sr " took about ten million.
      const budget = 2_000 + 250 * entry.size;
      for (const unit of PATTERNS) {
        for (const length of [4_000, 40_000]) {
          const work = workOf(entry, fill(unit, length));
          expect(work, `${entry.name}, ${length} characters of ${JSON.stringify(unit)}`).toBeLessThanOrEqual(
            budget,
          );
        }
      }
    }
  });
});

describe('long texts still get a true answer', () => {
  const one = new Catalog([sa]);
  const kind = (r: LookupResult) => r.kind;

  it('reports what follows a known role, level and domain as not understood, up to the end', () => {
    const text = `sa senior ecommerce ${'x '.repeat(20_000)}please`;
    const result = one.lookup(text);
    expect(result).toMatchObject({ kind: 'unknown-domain', roleName: 'Solutions Architect' });
    const input = 'input' in result ? result.input : '';
    expect(input.startsWith('x x x')).toBe(true);
    expect(input.endsWith('x please')).toBe(true);
  });

  it('does not find a role in a long run of levels', () => {
    expect(kind(one.lookup('senior '.repeat(5_700)))).toBe('unknown-role');
    expect(kind(one.lookup('x '.repeat(20_000)))).toBe('unknown-role');
  });
});
