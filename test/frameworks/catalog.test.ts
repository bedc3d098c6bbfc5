import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Catalog, editDistance, type LookupResult, normalizeKey } from '../../src/frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import type { Framework } from '../../src/frameworks/schema.js';

const [sa] = await loadFrameworks([BUNDLED_FRAMEWORKS_DIR]);
if (!sa) throw new Error('the bundled Solutions Architect framework did not load');

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
