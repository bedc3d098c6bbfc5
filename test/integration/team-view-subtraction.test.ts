import { describe, expect } from 'vitest';
import type { RatingValue } from '../../src/model/records.js';
import { LOCAL_CHANNEL } from '../../src/sandbox/defaults.js';
import { it } from '../support/fixtures.js';
import { findButton, type Harness, type Posted, textOf } from './harness.js';

/**
 * The attack a review reproduced on team views, end to end (the real app, signed HTTP, the local
 * Slack), and what now holds. Five people include their assessment; someone asks `/competency team`
 * in a channel with those five, then again after inviting a sixth (the target), and presses
 * **See it as a chart** both times. Subtracting the first answer from the second used to give the
 * target's rating on every competency. Now the second answer shows nothing of that role and level,
 * in whichever order, from the same asker or from another, and the chart shows no more than the
 * message. K is the default, 5.
 */

const SA = 'solutions-architect.e-commerce';
const ASKER = 'U0ASKER0001';
const OTHER_ASKER = 'U0ASKER0002';
const TARGET = 'U0TARGET001';
const FIVE = ['U0SHARE0001', 'U0SHARE0002', 'U0SHARE0003', 'U0SHARE0004', 'U0SHARE0005'];
/** Everyone's ratings, by competency in framework order; the target's are all 1 (easy to spot). */
const RATINGS: Record<string, RatingValue[]> = {
  U0SHARE0001: [4, 4, 4, 4, 3, 4, 3, 3],
  U0SHARE0002: [5, 4, 3, 4, 3, 4, 3, 3],
  U0SHARE0003: [3, 4, 4, 4, 3, 4, 3, 3],
  U0SHARE0004: [4, 5, 2, 4, 3, 4, 3, 3],
  U0SHARE0005: [2, 4, 4, 4, 3, 4, 3, 3],
  [TARGET]: [1, 1, 1, 1, 1, 1, 1, 1],
};

/** The five and the target each finish and include a self-assessment, in `harness`'s app. */
async function withSharers(harness: Harness): Promise<Harness> {
  const framework = harness.catalog.get(SA);
  if (!framework) throw new Error('the bundled framework is missing');
  for (const [userId, ratings] of Object.entries(RATINGS)) {
    const person = `T0LOCAL0001:${userId}`;
    const finished = await harness.deps.assessments.rateAll(person, {
      frameworkId: SA,
      frameworkVersion: framework.version,
      levelId: 'senior',
      ratings: Object.fromEntries(framework.competencies.map((c, i) => [c.id, ratings[i] ?? null])),
      submissionId: `form-${userId}`,
    });
    if (finished.kind !== 'finished') throw new Error(`could not rate as ${userId}`);
    await harness.deps.assessments.setInTeamViews(person, finished.record.id, true);
  }
  return harness;
}

/** `/competency <text>` in the local channel as `userId`; what replaced "Working it out…". */
async function ask(harness: Harness, text: string, userId: string): Promise<Posted> {
  const responseUrl = harness.slack.newResponseUrl();
  const res = await harness.command(text, { userId, responseUrl });
  expect(res.status).toBe(200);
  const posted = await harness.slack.waitForResponseTo(responseUrl, 10_000);
  expect(posted.ok, JSON.stringify(posted.problems)).toBe(true);
  return posted.body as Posted;
}

/** Presses See it as a chart on `answer` as `userId`; the alt text of what reached their DMs, if anything. */
async function chart(
  harness: Harness,
  answer: Posted,
  userId: string,
): Promise<{ reply: Posted; alt: string[] }> {
  const before = harness.slack.files.length;
  const reply = (await harness.press(answer, 'See it as a chart', { userId })) as Posted;
  return { reply, alt: harness.slack.files.slice(before).map((f) => f.altText ?? '') };
}

/** Every number in a text, in order (what someone would subtract). */
const numbersOf = (text: string) => text.match(/\d+(\.\d+)?/g) ?? [];

const SHOWN = 'Based on 5 people who chose to share.';
const HELD_BACK = 'Not shown this time: *Solutions Architect · Senior*.';

describe('asking before and after the target joins gives nothing to subtract', () => {
  it('K then K+1, the same asker, with the chart both times', async ({ harness: h }) => {
    await withSharers(h);
    h.slack.setChannelMembers(LOCAL_CHANNEL.id, [ASKER, ...FIVE]);
    const first = await ask(h, 'team', ASKER);
    expect(textOf(first)).toContain(SHOWN);
    const firstChart = await chart(h, first, ASKER);
    expect(firstChart.alt).toHaveLength(1);
    // The chart says what the message says, nothing more: no count by rating.
    expect(firstChart.alt[0]).toContain(
      'Composable Commerce Strategy: 2 meet, 1 above, 2 below the expected level 4; median 4',
    );
    expect(firstChart.alt[0]).not.toMatch(/\bat [1-5]\b/);

    h.slack.setChannelMembers(LOCAL_CHANNEL.id, [ASKER, ...FIVE, TARGET]);
    const second = await ask(h, 'team', ASKER);
    const text = textOf(second);
    expect(text).toContain(HELD_BACK);
    expect(text).toContain('differ by fewer than 5 from those of a team view given in the last 30 days');
    expect(text).not.toMatch(/Based on|meet {2}·|median \d/);
    expect(() => findButton(second, 'See it as a chart')).toThrow();
    // The first answer's chart button, pressed again now, draws the team as it is now: held back too.
    const again = await chart(h, first, ASKER);
    expect(again.alt).toEqual([]);
    expect(textOf(again.reply)).toContain(HELD_BACK);
  });

  it('K+1 then K, the same asker', async ({ harness: h }) => {
    await withSharers(h);
    h.slack.setChannelMembers(LOCAL_CHANNEL.id, [ASKER, ...FIVE, TARGET]);
    const first = await ask(h, 'team', ASKER);
    expect(textOf(first)).toContain('Based on 6 people who chose to share.');
    expect((await chart(h, first, ASKER)).alt).toHaveLength(1);

    h.slack.setChannelMembers(LOCAL_CHANNEL.id, [ASKER, ...FIVE]);
    const second = await ask(h, 'team', ASKER);
    expect(textOf(second)).toContain(HELD_BACK);
    expect(textOf(second)).not.toContain('Based on');
  });

  it('two askers in one org, each with a user group of their own, in both orders', async ({
    harness: h,
    startHarness,
  }) => {
    await withSharers(h);
    h.slack.setUserGroup('S0FIVE00001', FIVE, { handle: 'five', name: 'Five' });
    h.slack.setUserGroup('S0SIX000001', [...FIVE, TARGET], { handle: 'six', name: 'Six' });
    const byOne = await ask(h, 'team @five', ASKER);
    expect(textOf(byOne)).toContain(SHOWN);
    const byOther = await ask(h, 'team @six', OTHER_ASKER);
    expect(textOf(byOther)).toContain(HELD_BACK);
    // No count of anything: the only numbers are K and the window.
    expect(new Set(numbersOf(textOf(byOther)))).toEqual(new Set(['5', '30']));
    // The first group, asked again by anyone, is answered as before: identical people, nothing new.
    expect(textOf(await ask(h, 'team @five', OTHER_ASKER))).toContain(SHOWN);

    // The other order, on another store.
    const other = await withSharers(await startHarness());
    other.slack.setUserGroup('S0FIVE00001', FIVE, { handle: 'five', name: 'Five' });
    other.slack.setUserGroup('S0SIX000001', [...FIVE, TARGET], { handle: 'six', name: 'Six' });
    expect(textOf(await ask(other, 'team @six', OTHER_ASKER))).toContain('Based on 6 people');
    expect(textOf(await ask(other, 'team @five', ASKER))).toContain(HELD_BACK);
  });

  it('what was kept survives a restart of the app', async ({ harness: h }) => {
    await withSharers(h);
    h.slack.setChannelMembers(LOCAL_CHANNEL.id, [ASKER, ...FIVE]);
    expect(textOf(await ask(h, 'team', ASKER))).toContain(SHOWN);
    await h.restart();
    h.slack.setChannelMembers(LOCAL_CHANNEL.id, [ASKER, ...FIVE, TARGET]);
    expect(textOf(await ask(h, 'team', ASKER))).toContain(HELD_BACK);
  });
});

describe('below K, nothing names a role, a level or a number', () => {
  it('a two-person channel where the other person shared reads exactly as one where nobody did', async ({
    harness: h,
  }) => {
    await withSharers(h);
    h.slack.setChannelMembers(LOCAL_CHANNEL.id, [ASKER, TARGET]);
    const withTarget = await ask(h, 'team', ASKER);
    h.slack.setChannelMembers(LOCAL_CHANNEL.id, [ASKER, 'U0NEVERUSED']);
    const withNobody = await ask(h, 'team', ASKER);
    expect(withTarget).toEqual(withNobody);
    const text = JSON.stringify(withTarget);
    expect(text).not.toMatch(/Solutions Architect|Senior|E-commerce/);
    expect(numbersOf(text.replace(/(at least|until) 5 people/g, ''))).toEqual([]);
  });
});
