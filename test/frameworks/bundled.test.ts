import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import { SEED_COMPETENCIES } from '../fixtures/seed-facts.js';

const EXPECTED = SEED_COMPETENCIES;

const frameworks = await loadFrameworks([BUNDLED_FRAMEWORKS_DIR]);
const framework = new Catalog(frameworks).get('solutions-architect.e-commerce');

describe('bundled framework: Solutions Architect · E-commerce', () => {
  it('is loaded from frameworks/solutions-architect.e-commerce.yml', () => {
    expect(framework).toBeDefined();
    expect(framework?.file.endsWith('solutions-architect.e-commerce.yml')).toBe(true);
  });

  it('names the role and domain with their aliases', () => {
    expect(framework?.role).toMatchObject({
      id: 'solutions-architect',
      name: 'Solutions Architect',
      aliases: ['solution-architect', 'sa', 'solutions-architects'],
    });
    expect(framework?.domain).toEqual({
      id: 'e-commerce',
      name: 'E-commerce',
      aliases: ['ecommerce', 'ecom', 'commerce'],
    });
  });

  it('has the three levels in order, with their aliases', () => {
    expect(framework?.levels.map((l) => [l.id, l.name, l.aliases])).toEqual([
      ['mid-level', 'Mid-Level', ['mid', 'middle', 'intermediate']],
      ['senior', 'Senior', ['sr', 'snr']],
      ['lead-principal', 'Lead-Principal', ['lead', 'principal']],
    ]);
  });

  it('has the 1–5 scale with the page labels', () => {
    expect(framework?.scale.map((s) => [s.value, s.label])).toEqual([
      [1, 'Basic'],
      [2, 'Developing'],
      [3, 'Proficient'],
      [4, 'Advanced'],
      [5, 'Expert'],
    ]);
  });

  it('has the 8 competencies with their categories, tiers and expected levels', () => {
    expect(framework?.competencies).toHaveLength(8);
    const actual = framework?.competencies.map((c) => [
      c.name,
      c.category,
      c.tier,
      c.expected['mid-level'],
      c.expected.senior,
      c.expected['lead-principal'],
    ]);
    expect(actual).toEqual(EXPECTED.map((row) => [...row]));
  });

  it('keeps descriptions short enough for Slack and records its source', () => {
    for (const c of framework?.competencies ?? []) expect(c.description.length).toBeLessThan(300);
    expect(framework?.source).toMatchObject({
      publisher: 'Kaairo Competency Framework Generator',
      date: '2026-03-24',
    });
    expect(framework?.source.note).toMatch(/own words/);
  });
});
