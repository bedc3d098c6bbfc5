import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks, readFrameworks } from '../../src/frameworks/loader.js';
import { expectedAt, type Framework } from '../../src/frameworks/schema.js';

/**
 * The frameworks bundled from openly licensed projects: each one loads beside the others, says where
 * it comes from and under which licence, has a notice file with that licence, answers the lookups
 * people type, and carries the source's expected levels over unchanged.
 */

const ROOT = path.resolve(BUNDLED_FRAMEWORKS_DIR, '..');
const frameworks = await loadFrameworks([BUNDLED_FRAMEWORKS_DIR]);
const catalog = new Catalog(frameworks);

const FT = {
  url: 'https://github.com/Financial-Times/engineering-progression',
  licence: /MIT licence/,
  notice: 'frameworks/NOTICES/financial-times-engineering-progression.md',
  licenceText: ['MIT License', 'Copyright (c) 2019 Financial Times', 'Permission is hereby granted'],
};
const LADDERS = {
  url: 'https://github.com/jorgef/engineeringladders',
  licence: /Apache License 2\.0/,
  notice: 'frameworks/NOTICES/jorgef-engineeringladders.md',
  licenceText: ['Apache License', 'Version 2.0, January 2004', 'END OF TERMS AND CONDITIONS'],
};

const OPEN = [
  { id: 'engineer.software-engineering', ...FT },
  { id: 'developer.software-engineering', ...LADDERS },
  { id: 'tech-lead.software-engineering', ...LADDERS },
  { id: 'technical-program-manager.software-engineering', ...LADDERS },
  { id: 'engineering-manager.software-engineering', ...LADDERS },
] as const;

function framework(id: string): Framework {
  const f = catalog.get(id);
  if (!f) throw new Error(`the bundled framework ${id} did not load`);
  return f;
}

/** Expected levels by competency, one number per level in the framework's order. */
function table(f: Framework): Record<string, number[]> {
  return Object.fromEntries(
    f.competencies.map((c) => [c.id, f.levels.map((l) => expectedAt(c, l.id) ?? Number.NaN)]),
  );
}

describe('frameworks bundled from openly licensed projects', () => {
  it('load together with the existing framework, without clashing ids or aliases', async () => {
    const { problems } = await readFrameworks([BUNDLED_FRAMEWORKS_DIR]);
    expect(problems).toEqual([]);
    expect(frameworks.map((f) => f.id)).toEqual(
      expect.arrayContaining(['solutions-architect.e-commerce', ...OPEN.map((o) => o.id)]),
    );
  });

  describe.each(OPEN)('$id', (open) => {
    const f = framework(open.id);

    it('is loaded from its own file', () => {
      expect(path.basename(f.file)).toBe(`${open.id}.yml`);
    });

    it('links to its source repository and names its licence', () => {
      expect(f.source.url).toBe(open.url);
      expect(f.source.note).toMatch(open.licence);
      expect(f.source.publisher).toMatch(open.licence.source.includes('MIT') ? /MIT/ : /Apache/);
      expect(f.source.note).toMatch(/own words/);
    });

    it('has a notice file with the licence text, naming this framework file', () => {
      expect(f.source.note).toContain(open.notice);
      const notice = path.join(ROOT, open.notice);
      expect(existsSync(notice)).toBe(true);
      const text = readFileSync(notice, 'utf8');
      for (const line of open.licenceText) expect(text).toContain(line);
      expect(text).toContain(`frameworks/${open.id}.yml`);
      expect(text).toContain(open.url);
      expect(text).toMatch(/own words/);
    });

    it('is listed with its source and licence in the README', () => {
      const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
      const start = readme.indexOf('## Bundled frameworks');
      expect(start).toBeGreaterThan(-1);
      const end = readme.indexOf('\n## ', start + 1);
      const section = readme.slice(start, end === -1 ? undefined : end);
      expect(section).toContain(open.url);
      expect(section).toContain(`${open.id}.yml`);
    });
  });
});

describe('lookups read naturally', () => {
  it('answers every example in the README table of bundled frameworks', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([\w.-]+)\.yml` \| `\/competency ([^`]+)` \|/gm)];
    expect(rows.map((r) => r[1])).toEqual(expect.arrayContaining(OPEN.map((o) => o.id)));
    for (const [, id, query] of rows) {
      const result = catalog.lookup(query ?? '');
      expect(result.kind === 'found' && result.framework.id, query).toBe(id);
    }
  });

  it.each([
    ['developer d3', 'developer.software-engineering', 'd3'],
    ['dev 3', 'developer.software-engineering', 'd3'],
    ['developer senior', 'developer.software-engineering', 'd4'],
    ['developer level 5', 'developer.software-engineering', 'd5'],
    ['tech lead tl5', 'tech-lead.software-engineering', 'tl5'],
    ['tl 6', 'tech-lead.software-engineering', 'tl6'],
    ['tpm tpm4', 'technical-program-manager.software-engineering', 'tpm4'],
    ['technical program manager 7', 'technical-program-manager.software-engineering', 'tpm7'],
    ['engineering manager em6', 'engineering-manager.software-engineering', 'em6'],
    ['em 5 software engineering', 'engineering-manager.software-engineering', 'em5'],
    ['engineer junior', 'engineer.software-engineering', 'junior'],
    ['engineer senior 1', 'engineer.software-engineering', 'senior-1'],
    ['engineer senior 2 ic', 'engineer.software-engineering', 'senior-2-ic'],
    ['engineer s2-pm', 'engineer.software-engineering', 'senior-2-pm'],
    ['engineer principal engineer ic', 'engineer.software-engineering', 'principal-ic'],
    ['engineer tech director', 'engineer.software-engineering', 'tech-director'],
    ['solutions-architect senior', 'solutions-architect.e-commerce', 'senior'],
  ])('/competency %s', (query, id, level) => {
    const result = catalog.lookup(query);
    expect(result.kind).toBe('found');
    if (result.kind !== 'found') return;
    expect([result.framework.id, result.level.id]).toEqual([id, level]);
  });

  it('offers both tracks when "senior" or "principal" alone is ambiguous for an Engineer', () => {
    const senior = catalog.lookup('engineer senior');
    expect(senior.kind).toBe('unknown-level');
    if (senior.kind === 'unknown-level') {
      expect(senior.suggestions.map((s) => s.query)).toEqual(
        expect.arrayContaining(['engineer senior-1', 'engineer senior-2-ic', 'engineer senior-2-pm']),
      );
    }
    const principal = catalog.lookup('engineer principal');
    expect(principal.kind === 'unknown-level' && principal.suggestions.map((s) => s.query)).toEqual([
      'engineer principal-ic',
      'engineer principal-pm',
    ]);
  });

  it("suggests the role's own levels for a level it does not have", () => {
    const result = catalog.lookup('engineering-manager d3');
    expect(result.kind === 'unknown-level' && result.suggestions.map((s) => s.query)).toEqual([
      'engineering-manager em5',
      'engineering-manager em6',
      'engineering-manager em7',
    ]);
  });
});

describe('the source facts, on the 1–5 scale', () => {
  it('Engineer uses the Financial Times proficiency words, numbered 1 to 5 as the source numbers them', () => {
    expect(framework('engineer.software-engineering').scale.map((s) => [s.value, s.label])).toEqual([
      [1, 'Awareness'],
      [2, 'Foundational'],
      [3, 'Working knowledge'],
      [4, 'Practitioner'],
      [5, 'Expert'],
    ]);
  });

  it('Engineer has the eight levels and nine competencies of the source, with their proficiencies', () => {
    const f = framework('engineer.software-engineering');
    expect(f.levels.map((l) => l.name)).toEqual([
      'Junior Engineer',
      'Engineer',
      'Senior Engineer 1',
      'Senior Engineer 2 (Individual Contributor)',
      'Senior Engineer 2 (People Manager)',
      'Principal Engineer (Individual Contributor)',
      'Principal Engineer (People Manager)',
      'Technology Director',
    ]);
    expect(table(f)).toEqual({
      'planning-organising': [1, 2, 2, 3, 3, 4, 4, 5],
      'independent-working': [1, 2, 3, 3, 4, 4, 5, 5],
      'problem-solving-decision-making': [1, 2, 3, 3, 4, 4, 4, 5],
      'business-impact': [1, 1, 2, 2, 3, 4, 4, 5],
      communication: [1, 1, 2, 3, 3, 4, 4, 5],
      'team-work': [1, 2, 2, 3, 3, 4, 5, 5],
      'curiosity-learning': [1, 2, 2, 3, 3, 5, 4, 5],
      leadership: [1, 1, 2, 2, 3, 4, 5, 5],
      technical: [2, 2, 3, 3, 3, 5, 4, 5],
    });
  });

  it('the ladders have the five dimensions, at the step each level reaches in the source', () => {
    const dimensions = ['technology', 'system', 'people', 'process', 'influence'];
    for (const o of OPEN.filter((x) => x.url === LADDERS.url)) {
      expect(framework(o.id).competencies.map((c) => c.id)).toEqual(dimensions);
    }
    expect(table(framework('developer.software-engineering'))).toEqual({
      technology: [1, 1, 2, 3, 4, 5, 5],
      system: [1, 2, 2, 3, 4, 5, 5],
      people: [1, 2, 2, 3, 3, 3, 3],
      process: [1, 2, 3, 3, 4, 4, 4],
      influence: [1, 1, 2, 2, 3, 4, 5],
    });
    expect(table(framework('tech-lead.software-engineering'))).toEqual({
      technology: [2, 3, 4, 4],
      system: [3, 4, 5, 5],
      people: [4, 4, 4, 4],
      process: [4, 5, 5, 5],
      influence: [1, 2, 3, 4],
    });
    expect(table(framework('technical-program-manager.software-engineering'))).toEqual({
      technology: [2, 2, 2, 2],
      system: [2, 2, 3, 4],
      people: [4, 4, 5, 5],
      process: [4, 5, 5, 5],
      influence: [3, 3, 4, 5],
    });
    expect(table(framework('engineering-manager.software-engineering'))).toEqual({
      technology: [3, 3, 3],
      system: [3, 4, 4],
      people: [5, 5, 5],
      process: [4, 5, 5],
      influence: [2, 2, 3],
    });
  });

  /** Levels one above the other; the Engineer's two tracks are climbed separately. */
  const ladders: [string, string[]][] = [
    ['developer.software-engineering', ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7']],
    ['tech-lead.software-engineering', ['tl4', 'tl5', 'tl6', 'tl7']],
    ['technical-program-manager.software-engineering', ['tpm4', 'tpm5', 'tpm6', 'tpm7']],
    ['engineering-manager.software-engineering', ['em5', 'em6', 'em7']],
    [
      'engineer.software-engineering',
      ['junior', 'engineer', 'senior-1', 'senior-2-ic', 'principal-ic', 'tech-director'],
    ],
    [
      'engineer.software-engineering',
      ['junior', 'engineer', 'senior-1', 'senior-2-pm', 'principal-pm', 'tech-director'],
    ],
  ];

  it.each(ladders)('expected levels never go down from junior to senior in %s (%j)', (id, levels) => {
    const f = framework(id);
    expect(f.levels.map((l) => l.id)).toEqual(expect.arrayContaining(levels));
    for (const c of f.competencies) {
      const values = levels.map((l) => expectedAt(c, l) ?? 0);
      expect(values, c.name).toEqual([...values].sort((a, b) => a - b));
    }
  });
});
