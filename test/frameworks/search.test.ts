import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/frameworks/catalog.js';
import type { Framework } from '../../src/frameworks/schema.js';
import {
  MAX_WORD_LENGTH,
  MAX_WORDS,
  type SearchHit,
  SearchIndex,
  searchIndexOf,
  searchWords,
} from '../../src/frameworks/search.js';

type CompetencyRow = [name: string, category: string, description: string];

/** A framework with the given role, domain and competencies (levels Junior and Senior). */
function framework(
  role: { id: string; name: string; aliases?: string[]; summary?: string },
  domain: { id: string; name: string },
  competencies: CompetencyRow[],
): Framework {
  return {
    id: `${role.id}.${domain.id}`,
    file: `${role.id}.${domain.id}.yml`,
    role: { aliases: [], summary: `What a ${role.name} does.`, ...role },
    domain: { ...domain, aliases: [] },
    version: '1',
    source: { title: 'Test' },
    scale: ['Basic', 'Developing', 'Proficient', 'Advanced', 'Expert'].map((label, i) => ({
      value: i + 1,
      label,
      description: 'd',
    })),
    levels: [
      { id: 'junior', name: 'Junior', aliases: [] },
      { id: 'senior', name: 'Senior', aliases: [] },
    ],
    competencies: competencies.map(([name, category, description], i) => ({
      id: name.toLowerCase().replaceAll(' ', '-'),
      name,
      category,
      tier: 'primary' as const,
      description,
      expected: { junior: 1 + (i % 3), senior: 3 + (i % 3) },
    })),
  };
}

const architect = framework(
  { id: 'solutions-architect', name: 'Solutions Architect', aliases: ['sa'] },
  { id: 'e-commerce', name: 'E-commerce' },
  [
    ['Marketplace Architecture', 'technical', 'Designs platforms where many sellers list their goods.'],
    ['Omnichannel Architecture', 'technical', 'One shopping experience across web, app and stores.'],
    ['Technical Team Leadership', 'leadership', 'Guides engineers through design reviews and mentoring.'],
    ['Stakeholder Management', 'interpersonal', 'Keeps business owners aligned on the architecture.'],
  ],
);
const tester = framework(
  { id: 'tester', name: 'Tester', aliases: ['qa'], summary: 'Finds what breaks before customers do.' },
  { id: 'web', name: 'Web' },
  [
    ['Exploratory Testing', 'technical', 'Finds the bugs no script thought of, in any marketplace.'],
    ['Test Automation', 'technical', 'Writes tests that run on every change.'],
    ['Stakeholder Communication', 'interpersonal', 'Explains risks to the people who decide.'],
  ],
);
const frameworks = [architect, tester];
const index = new SearchIndex(frameworks);

/** A hit in short: `Solutions Architect` for a framework, `Marketplace Architecture` for a competency. */
const label = (hit: SearchHit) => hit.competency?.name ?? hit.framework.role.name;
const labels = (text: string, limit = 10) => index.search(text, limit).hits.map(label);

describe('find: what matches', () => {
  it('finds a competency by a word of its name, and a framework by its role', () => {
    expect(labels('marketplace')[0]).toBe('Marketplace Architecture');
    expect(labels('tester')[0]).toBe('Tester');
    expect(labels('qa')[0]).toBe('Tester');
  });

  it('finds by category and by description too, below name matches', () => {
    const found = labels('marketplace');
    // The name match first, the description match (Exploratory Testing) after it.
    expect(found).toEqual(['Marketplace Architecture', 'Exploratory Testing']);
    expect(labels('leadership')).toEqual(['Technical Team Leadership']);
    const interpersonal = labels('interpersonal');
    expect(interpersonal).toContain('Stakeholder Management');
    expect(interpersonal).toContain('Stakeholder Communication');
  });

  it('ranks things that have all the words above things that have some', () => {
    expect(labels('stakeholder communication')[0]).toBe('Stakeholder Communication');
    expect(labels('stakeholder communication')[1]).toBe('Stakeholder Management');
    expect(labels('technical leadership')[0]).toBe('Technical Team Leadership');
    const result = index.search('technical leadership');
    expect(result.allWords).toBe(1);
    expect(result.total).toBeGreaterThan(1);
  });

  it('tolerates the start of a word and small typos', () => {
    expect(labels('omni')[0]).toBe('Omnichannel Architecture');
    expect(labels('omnichanel')[0]).toBe('Omnichannel Architecture');
    expect(labels('stakeholdr managment')[0]).toBe('Stakeholder Management');
    expect(labels('Exploratry')[0]).toBe('Exploratory Testing');
    expect(labels('ecommerce')[0]).toBe('Solutions Architect');
  });

  it("finds a competency by its framework's role as well as its own words", () => {
    // "tester" alone is the framework; with "stakeholder", the tester's stakeholder competency.
    expect(labels('tester stakeholder')[0]).toBe('Stakeholder Communication');
    // A competency is never found by its framework's names alone.
    expect(labels('tester')).toEqual(['Tester']);
  });

  it('ignores case, accents, punctuation, repeats and words such as "the"', () => {
    expect(searchWords('The Stakeholder, stakeholder; MANAGEMENT of café')).toEqual([
      'stakeholder',
      'management',
      'cafe',
    ]);
    expect(labels('MARKETPLACE!')[0]).toBe('Marketplace Architecture');
    expect(index.search('the and of').hits).toEqual([]);
  });

  it('finds nothing for words that are nowhere', () => {
    expect(index.search('zebra unicorn')).toMatchObject({ total: 0, allWords: 0, hits: [] });
    expect(index.search('').words).toEqual([]);
  });
});

describe('find: order and size', () => {
  /** 500 more frameworks: the tester with a role of its own, numbered. */
  const copies = Array.from({ length: 500 }, (_, i) => {
    const n = String(i).padStart(3, '0');
    return { ...tester, role: { ...tester.role, id: `role-${n}`, name: `Role ${n}` }, id: `role-${n}.web` };
  });
  const large = new Catalog([architect, tester, ...copies]);

  it('gives equal results in a fixed order: frameworks first, then by name, then by catalog order', () => {
    const result = searchIndexOf(large).search('stakeholder', 600);
    expect(result.total).toBe(502);
    const hits = result.hits;
    expect(hits.map(label).slice(0, 2)).toEqual(['Stakeholder Communication', 'Stakeholder Communication']);
    const communications = hits.filter((h) => h.competency?.name === 'Stakeholder Communication');
    expect(communications.map((h) => h.framework.id)).toEqual(
      large.frameworks.filter((f) => f.role.id !== 'solutions-architect').map((f) => f.id),
    );
    expect(hits.at(-1)?.competency?.name).toBe('Stakeholder Management');
    expect(searchIndexOf(large).search('stakeholder', 600)).toEqual(result);
  });

  it('with 500 frameworks, finds one role by its number, first', () => {
    expect(searchIndexOf(large).search('role 150').hits[0]?.framework.id).toBe('role-150.web');
    expect(searchIndexOf(large).search('rol 150 automation').hits[0]).toMatchObject({
      framework: { id: 'role-150.web' },
      competency: { name: 'Test Automation' },
    });
  });

  it('returns at most `limit`, and says how many matched', () => {
    const result = searchIndexOf(large).search('automation', 5);
    expect(result.hits).toHaveLength(5);
    expect(result.total).toBe(501);
  });

  it('builds the index once per catalog', () => {
    expect(searchIndexOf(large)).toBe(searchIndexOf(large));
    expect(searchIndexOf(large).size).toBe(502 + 502 * 3 + 1);
  });

  it('reads a bounded number of words, whatever is typed', () => {
    const words = searchWords(
      `${'stakeholder '.repeat(5)}${'abcdefghij'.repeat(10)} ${'x y '.repeat(20_000)}`,
    );
    expect(words.length).toBeLessThanOrEqual(MAX_WORDS);
    expect(Math.max(...words.map((w) => w.length))).toBeLessThanOrEqual(MAX_WORD_LENGTH);
    const many = searchWords(Array.from({ length: 5_000 }, (_, i) => `word${i}`).join(' '));
    expect(many).toHaveLength(MAX_WORDS);
  });
});
