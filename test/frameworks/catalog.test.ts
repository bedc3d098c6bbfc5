import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Catalog, type LookupResult } from '../../src/frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import type { Framework } from '../../src/frameworks/schema.js';
import {
  compareSorted,
  editDistance,
  normalizeKey,
  prefixDistance,
} from '../../src/frameworks/text-match.js';

// The bundled Solutions Architect framework (other bundled frameworks may sit beside it).
const bundledSa = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).find(
  (f) => f.id === 'solutions-architect.e-commerce',
);
if (!bundledSa) throw new Error('the bundled Solutions Architect framework did not load');
const sa: Framework = bundledSa;

/** The same role in a second domain, so the domain has to be chosen. */
const retail: Framework = {
  ...sa,
  domain: { id: 'retail', name: 'Retail', aliases: ['stores', 'brick-and-mortar'] },
  id: 'solutions-architect.retail',
  file: 'retail.yml',
};

const oneDomain = new Catalog([sa]);
const twoDomains = new Catalog([retail, sa]);

/** What a lookup found, in short: `found e-commerce senior`. */
function found(result: LookupResult): string {
  return result.kind === 'found' ? `found ${result.framework.domain.id} ${result.level.id}` : result.kind;
}

const queries = (result: LookupResult) =>
  'suggestions' in result ? result.suggestions.map((s) => s.query) : [];

describe('normalizeKey', () => {
  it.each([
    ['Solutions Architect', 'solutions-architect'],
    ['  solution_architect ', 'solution-architect'],
    ['lead--principal', 'lead-principal'],
    ['Lead - Principal', 'lead-principal'],
    ['E-Commerce!', 'e-commerce'],
    ['Café', 'cafe'],
    ['-sa-', 'sa'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeKey(input)).toBe(expected);
  });
});

describe('editDistance', () => {
  it('counts typos, including two swapped letters as one', () => {
    expect(editDistance('senior', 'senior')).toBe(0);
    expect(editDistance('seinor', 'senior')).toBe(1);
    expect(editDistance('senir', 'senior')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('with a most distance, gives the same answer up to it and one more beyond it', () => {
    expect(editDistance('kitten', 'sitting', 3)).toBe(3);
    expect(editDistance('kitten', 'sitting', 2)).toBe(3);
    expect(editDistance('sr-sr-sr-sr', 'bench-role-001', 3)).toBe(4);
    expect(editDistance('x'.repeat(40_000), 'senior', 3)).toBe(4);
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-'), maxLength: 12 }),
        fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-'), maxLength: 12 }),
        fc.integer({ min: 0, max: 4 }),
        (a, b, max) => {
          expect(editDistance(a, b, max)).toBe(Math.min(editDistance(a, b), max + 1));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('Catalog basics', () => {
  it('sorts frameworks by role name then domain name, and finds them by id', () => {
    expect(twoDomains.frameworks.map((f) => f.id)).toEqual([
      'solutions-architect.e-commerce',
      'solutions-architect.retail',
    ]);
    expect(twoDomains.get('solutions-architect.retail')).toBe(retail);
    expect(twoDomains.get('nope')).toBeUndefined();
  });

  it('groups frameworks per role', () => {
    const roles = twoDomains.roles();
    expect(roles.map((r) => [r.id, r.name, r.frameworks.map((f) => f.domain.id)])).toEqual([
      ['solutions-architect', 'Solutions Architect', ['e-commerce', 'retail']],
    ]);
  });
});

describe('lookup: one domain', () => {
  it.each([
    ['solutions-architect senior', 'senior'],
    ['Solutions Architect SR', 'senior'],
    ['sa lead', 'lead-principal'],
    ['solution_architect mid-level e-commerce', 'mid-level'],
    ['solutions architect senior ecommerce', 'senior'],
    ['sa ecommerce senior', 'senior'],
    ['SOLUTIONS-ARCHITECT LEAD-PRINCIPAL', 'lead-principal'],
    ['solutions  architect   mid   level', 'mid-level'],
    ['sa lead principal', 'lead-principal'],
    ['sa lead_principal commerce', 'lead-principal'],
    ['  sa   snr  ', 'senior'],
  ])('%j → %s', (text, level) => {
    expect(found(oneDomain.lookup(text))).toBe(`found e-commerce ${level}`);
  });

  it.each(['solutions-architect', 'solution-architect', 'sa', 'solutions-architects', 'Solutions Architect'])(
    'role alias %j',
    (role) => {
      expect(found(oneDomain.lookup(`${role} senior`))).toBe('found e-commerce senior');
    },
  );

  it.each([
    ['mid-level', 'mid-level'],
    ['mid', 'mid-level'],
    ['middle', 'mid-level'],
    ['intermediate', 'mid-level'],
    ['Mid Level', 'mid-level'],
    ['senior', 'senior'],
    ['sr', 'senior'],
    ['snr', 'senior'],
    ['lead-principal', 'lead-principal'],
    ['lead', 'lead-principal'],
    ['principal', 'lead-principal'],
  ])('level alias %j', (level, id) => {
    expect(found(oneDomain.lookup(`sa ${level}`))).toBe(`found e-commerce ${id}`);
  });

  it.each(['e-commerce', 'ecommerce', 'ecom', 'commerce', 'E Commerce'])(
    'domain alias %j, before or after the level',
    (domain) => {
      expect(found(oneDomain.lookup(`sa senior ${domain}`))).toBe('found e-commerce senior');
      expect(found(oneDomain.lookup(`sa ${domain} senior`))).toBe('found e-commerce senior');
    },
  );

  it('nothing typed', () => {
    expect(oneDomain.lookup('')).toEqual({ kind: 'empty' });
    expect(oneDomain.lookup('   ')).toEqual({ kind: 'empty' });
  });

  it('missing level', () => {
    expect(oneDomain.lookup('solutions-architect')).toEqual({ kind: 'missing-level', framework: sa });
    expect(oneDomain.lookup('sa ecommerce')).toEqual({ kind: 'missing-level', framework: sa });
  });

  it('unknown role: suggests the closest role and keeps the level', () => {
    const result = oneDomain.lookup('solutons-architect senior');
    expect(result).toEqual({
      kind: 'unknown-role',
      input: 'solutons-architect',
      suggestions: [{ label: 'Solutions Architect', query: 'solutions-architect senior' }],
    });
    expect(queries(oneDomain.lookup('Solutions Architekt SR'))).toEqual(['solutions-architect senior']);
    expect(oneDomain.lookup('Solutions Architekt SR')).toMatchObject({ input: 'Solutions Architekt' });
    expect(queries(oneDomain.lookup('solutions'))).toEqual(['solutions-architect']);
  });

  it('unknown role: only a level typed suggests the roles that have it', () => {
    expect(oneDomain.lookup('senior')).toEqual({
      kind: 'unknown-role',
      input: 'senior',
      suggestions: [{ label: 'Solutions Architect', query: 'solutions-architect senior' }],
    });
  });

  it('unknown role with nothing close', () => {
    expect(oneDomain.lookup('astronaut lead')).toEqual({
      kind: 'unknown-role',
      input: 'astronaut',
      suggestions: [],
    });
  });

  it('unknown level: suggests the closest level', () => {
    expect(oneDomain.lookup('sa seinor')).toEqual({
      kind: 'unknown-level',
      framework: sa,
      input: 'seinor',
      suggestions: [{ label: 'Senior', query: 'solutions-architect senior' }],
    });
    expect(queries(oneDomain.lookup('sa princpal'))).toEqual(['solutions-architect lead-principal']);
    // The domain the user typed stays in the suggestion.
    expect(queries(oneDomain.lookup('sa ecommerce seniro'))).toEqual([
      'solutions-architect senior e-commerce',
    ]);
  });

  it('unknown level: lists every level when nothing is close', () => {
    const result = oneDomain.lookup('sa wizard');
    expect(result.kind).toBe('unknown-level');
    expect(result).toMatchObject({ input: 'wizard' });
    expect('suggestions' in result && result.suggestions.map((s) => s.label)).toEqual([
      'Mid-Level',
      'Senior',
      'Lead-Principal',
    ]);
  });

  it('extra words after role and level are reported, not ignored', () => {
    const result = oneDomain.lookup('sa senior ecomerce');
    expect(result).toMatchObject({
      kind: 'unknown-domain',
      roleName: 'Solutions Architect',
      input: 'ecomerce',
    });
    expect(queries(result)).toEqual(['solutions-architect senior e-commerce']);
    expect(oneDomain.lookup('sa senior ecommerce please')).toMatchObject({
      kind: 'unknown-domain',
      input: 'please',
    });
    expect(oneDomain.lookup('sa banana')).toMatchObject({ kind: 'unknown-level', input: 'banana' });
  });
});

describe('lookup: a role with two domains', () => {
  it('needs the domain', () => {
    const result = twoDomains.lookup('sa senior');
    expect(result).toEqual({
      kind: 'missing-domain',
      roleName: 'Solutions Architect',
      frameworks: [sa, retail],
      suggestions: [
        { label: 'E-commerce', query: 'solutions-architect senior e-commerce' },
        { label: 'Retail', query: 'solutions-architect senior retail' },
      ],
    });
    expect(queries(twoDomains.lookup('sa'))).toEqual([
      'solutions-architect e-commerce',
      'solutions-architect retail',
    ]);
  });

  it('finds it with the domain before or after the level', () => {
    expect(found(twoDomains.lookup('sa senior retail'))).toBe('found retail senior');
    expect(found(twoDomains.lookup('sa retail senior'))).toBe('found retail senior');
    expect(found(twoDomains.lookup('solutions architect brick and mortar lead principal'))).toBe(
      'found retail lead-principal',
    );
    expect(found(twoDomains.lookup('sa ecom mid'))).toBe('found e-commerce mid-level');
  });

  it('unknown domain: suggests the closest domain, keeping the level', () => {
    const result = twoDomains.lookup('sa senior retial');
    expect(result).toEqual({
      kind: 'unknown-domain',
      roleName: 'Solutions Architect',
      input: 'retial',
      frameworks: [sa, retail],
      suggestions: [{ label: 'Retail', query: 'solutions-architect senior retail' }],
    });
    expect(queries(twoDomains.lookup('sa lead banking'))).toEqual([
      'solutions-architect lead-principal e-commerce',
      'solutions-architect lead-principal retail',
    ]);
  });

  it('a misspelled level without a domain asks for the domain, with the level corrected', () => {
    const result = twoDomains.lookup('sa seniro');
    expect(result.kind).toBe('missing-domain');
    expect(queries(result)).toEqual([
      'solutions-architect senior e-commerce',
      'solutions-architect senior retail',
    ]);
  });

  it('domain known, level missing or unknown', () => {
    expect(twoDomains.lookup('sa retail')).toEqual({ kind: 'missing-level', framework: retail });
    expect(queries(twoDomains.lookup('sa retail seinor'))).toEqual(['solutions-architect senior retail']);
  });

  it('an unknown role keeps level and domain in the suggestion', () => {
    expect(queries(twoDomains.lookup('solutons-architect senior retail'))).toEqual([
      'solutions-architect senior retail',
    ]);
  });
});

describe('lookup: suggestions', () => {
  it.each([
    'solutons-architect senior',
    'senior',
    'sa seinor',
    'sa wizard',
    'sa senior ecomerce',
    'sa seniro',
    'sa lead banking',
    'solutons-architect senior retail',
  ])('every suggestion for %j leads somewhere', (text) => {
    for (const query of queries(twoDomains.lookup(text))) {
      expect(['found', 'missing-domain', 'missing-level']).toContain(twoDomains.lookup(query).kind);
    }
  });

  it('accepts a framework id as typed in the catalog', () => {
    expect(found(twoDomains.lookup('solutions-architect.retail senior'))).toBe('found retail senior');
  });
});

// Speed is measured by `npm run bench`, not asserted here (shared machines are noisy).
describe('remembering recent lookups', () => {
  it('gives the same answer again for the same text, and still tells different texts apart', () => {
    const first = twoDomains.lookup('sa senior retail');
    expect(twoDomains.lookup('sa senior retail')).toBe(first);
    expect(found(first)).toBe('found retail senior');
    expect(found(twoDomains.lookup('sa senior ecommerce'))).not.toBe(found(first));
  });

  it('does not remember very long texts', () => {
    const long = `sa ${'x '.repeat(150)}`;
    expect(twoDomains.lookup(long)).not.toBe(twoDomains.lookup(long));
  });
});

/** `count` roles named `role-000`, `role-001`, …: copies of the bundled framework, one role each. */
function numberedRoles(count: number): Framework[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(3, '0');
    return {
      ...sa,
      role: { ...sa.role, id: `role-${n}`, name: `Role ${n}`, aliases: [] },
      id: `role-${n}.e-commerce`,
      file: `role-${n}.e-commerce.yml`,
    };
  });
}

describe('lookup: the closest names come first among many alike', () => {
  const catalogs = [200, 500].map((n) => ({ n, catalog: new Catalog([sa, ...numberedRoles(n)]) }));

  it.each(catalogs)(
    '$n roles: a typo in the role suggests that role first, keeping the level',
    ({ catalog }) => {
      expect(queries(catalog.lookup('rol-150 senior'))).toEqual([
        'role-150 senior',
        expect.any(String),
        expect.any(String),
      ]);
      expect(catalog.lookup('rol-150 senior')).toMatchObject({ kind: 'unknown-role', input: 'rol-150' });
      expect(queries(catalog.lookup('rloe-150 senior'))[0]).toBe('role-150 senior');
      expect(queries(catalog.lookup('role150 senior'))[0]).toBe('role-150 senior');
      expect(queries(catalog.lookup('role-1500 senior'))[0]).toBe('role-150 senior');
      expect(queries(catalog.lookup('Role 15O senior'))[0]).toBe('role-150 senior');
      expect(queries(catalog.lookup('rol-199 lead'))[0]).toBe('role-199 lead-principal');
    },
  );

  it.each(catalogs)('$n roles: the start of a name suggests the names it starts, in order', ({ catalog }) => {
    expect(queries(catalog.lookup('role-15 senior'))).toEqual([
      'role-150 senior',
      'role-151 senior',
      'role-152 senior',
    ]);
    // With a typo in that start too.
    expect(queries(catalog.lookup('rol-15 senior'))).toEqual([
      'role-150 senior',
      'role-151 senior',
      'role-152 senior',
    ]);
    // Nothing more to go by than "rol": the first ones by name.
    expect(queries(catalog.lookup('rol senior'))).toEqual([
      'role-000 senior',
      'role-001 senior',
      'role-002 senior',
    ]);
  });

  it('500 roles: the numbers past 199 too', () => {
    const catalog = catalogs[1]?.catalog ?? new Catalog([sa]);
    expect(queries(catalog.lookup('rol-450 senior'))[0]).toBe('role-450 senior');
    expect(queries(catalog.lookup('role-49 mid'))).toEqual([
      'role-490 mid-level',
      'role-491 mid-level',
      'role-492 mid-level',
    ]);
  });

  it.each(catalogs)(
    '$n roles: the real role is still found among them, and its typo suggests it',
    ({ catalog }) => {
      expect(found(catalog.lookup('sa senior'))).toBe('found e-commerce senior');
      expect(queries(catalog.lookup('solutons-architect senior'))[0]).toBe('solutions-architect senior');
      expect(found(catalog.lookup('role-150 senior'))).toBe('found e-commerce senior');
    },
  );

  it.each(['rol-150 senior', 'role-15 senior', 'rol senior'])(
    'every suggestion for %j leads to a framework',
    (text) => {
      for (const { catalog } of catalogs) {
        for (const query of queries(catalog.lookup(text)))
          expect(found(catalog.lookup(query))).toMatch(/^found/);
      }
    },
  );
});

describe('prefixDistance', () => {
  it('is the distance to the nearest start of the name', () => {
    expect(prefixDistance('rol-15', 'role-150')).toBe(1);
    expect(prefixDistance('role-15', 'role-150')).toBe(0);
    expect(prefixDistance('rol-15', 'role-150', 0)).toBe(1);
    expect(prefixDistance('xyz', 'role-150', 2)).toBe(3);
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-'), maxLength: 10 }),
        fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-'), maxLength: 14 }),
        fc.integer({ min: 0, max: 4 }),
        (a, b, max) => {
          let nearest = Number.POSITIVE_INFINITY;
          for (let end = 0; end <= b.length; end++)
            nearest = Math.min(nearest, editDistance(a, b.slice(0, end)));
          expect(prefixDistance(a, b, max)).toBe(Math.min(nearest, max + 1));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('compareSorted: many names at once, sharing the work of their common starts', () => {
  const allowed = (typed: string) =>
    typed.length <= 1 ? 0 : typed.length <= 4 ? 1 : typed.length <= 8 ? 2 : 3;
  /** What comparing one typed key with one name should give, from editDistance and prefixDistance. */
  function expected(typed: string, key: string): number | undefined {
    if (typed === key) return 0;
    if (typed.length >= 2 && key.startsWith(typed)) return 0.5;
    const most = allowed(typed);
    const whole = editDistance(typed, key, most);
    const start = prefixDistance(typed, key, most);
    if (typed.length >= 4 && typed[0] === key[0] && start < whole && start <= most) return start + 0.5;
    return whole <= most ? whole : undefined;
  }

  it('gives each name the same score as comparing it alone', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-'), maxLength: 12 });
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 30 }), (typed, keys) => {
        const sorted = [...keys].sort().map((key, target) => ({ key, target }));
        const got = new Map<number, number>();
        compareSorted(
          typed,
          sorted,
          { wordsRead: 0, keyReads: 0, comparisons: 0, distanceCells: 0 },
          (t, c) => got.set(t, c.score),
        );
        for (const { key, target } of sorted)
          expect(got.get(target), `${typed} ~ ${key}`).toBe(expected(typed, key));
      }),
      { numRuns: 3000 },
    );
  });
});
