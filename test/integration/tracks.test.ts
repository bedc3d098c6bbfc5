import { describe, expect } from 'vitest';
import { it } from '../support/fixtures.js';
import { findButton, type Harness, textOf } from './harness.js';

/**
 * Career tracks end to end, with the bundled Financial Times framework (an individual contributor
 * and a people manager track above three shared levels): the real app against the local Slack, as a
 * person rates themselves one competency at a time. What was seen before tracks: the summary of an
 * individual contributor at Senior Engineer 2 said how many already met "Senior Engineer 2 (People
 * Manager)" expectations, and Compare levels showed the people manager level as the next step.
 */

const ME = 'U0TRACKS001';
/** The FT scale's words, as the rating buttons show them. */
const WORDS = ['', 'Awareness', 'Foundational', 'Working knowledge', 'Practitioner', 'Expert'];

let h: Harness;
/** One app for the whole file, started and closed by the fixture: the tests build on each other's data. */
it.beforeAll(({ sharedHarness }) => {
  h = sharedHarness;
});

/** Rates every competency of `engineer <level>` with `rating`; the summary the app answered with. */
async function rateEverything(level: string, rating: number): Promise<unknown> {
  const answer = (await h.command(`engineer ${level}`, { userId: ME })).json;
  let step: unknown = await h.press(answer, 'Rate yourself', { userId: ME });
  for (let i = 0; i < 9; i++) step = await h.press(step, `${rating} · ${WORDS[rating]}`, { userId: ME });
  return step;
}

describe('career tracks, end to end with the Financial Times framework', () => {
  it('an individual contributor at Senior Engineer 2 is measured against the next level on that track', async () => {
    const summary = await rateEverything('senior-2-ic', 4);
    const text = textOf(summary);
    expect(text).toContain('Senior Engineer 2 (Individual Contributor)');
    expect(text).toContain('Principal Engineer (Individual Contributor)');
    expect(text).not.toContain('People Manager');
    const [record] = (await h.store.get(`T0LOCAL0001:${ME}`)).history.slice(-1);
    expect(record?.nextLevelName).toBe('Principal Engineer (Individual Contributor)');
  });

  it('at Senior Engineer 1, below the fork, no single next level is claimed', async () => {
    const summary = await rateEverything('senior-1', 3);
    expect(textOf(summary)).not.toMatch(/Senior Engineer 2|Principal Engineer/);
    const [record] = (await h.store.get(`T0LOCAL0001:${ME}`)).history.slice(-1);
    expect(record?.levelName).toBe('Senior Engineer 1');
    expect(record?.nextLevelName).toBeNull();
    expect(record?.competencies.every((c) => c.nextExpected === null)).toBe(true);
  });

  it('the framework answer shows the ladder of its track, and Compare levels the next step on it', async () => {
    const answer = (await h.command('engineer s2-ic', { userId: ME })).json;
    const text = textOf(answer);
    expect(text).toContain('Track: Individual Contributor');
    expect(text).toMatch(
      /Senior Engineer 1: Foundational \(2\/5\) → \*Senior Engineer 2 \(Individual Contributor\): [^*]+\* → Principal Engineer \(Individual Contributor\)/,
    );
    expect(text).not.toMatch(/Senior Engineer 2 \(People Manager\): /);
    const compared = textOf(await h.press(answer, 'Compare levels', { userId: ME }));
    expect(compared).toContain(
      '*What changes from Senior Engineer 2 (Individual Contributor) to Principal Engineer (Individual Contributor)*',
    );
    expect(compared).not.toMatch(/What changes from [^*]* to Senior Engineer 2 \(People Manager\)/);
    expect(findButton(answer, 'Compare levels')).toBeDefined();
  });

  it('below the fork, the answer shows both tracks that follow', async () => {
    const text = textOf((await h.command('engineer s1', { userId: ME })).json);
    expect(text).toContain(
      'then Senior Engineer 2 (Individual Contributor): Working knowledge (3/5) or Senior Engineer 2 (People Manager): Working knowledge (3/5)',
    );
  });
});
