import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../../src/assessments/assessments.js';
import { analyse } from '../../src/assessments/gaps.js';
import {
  type AssessedCompetency,
  type AssessmentRecord,
  emptyPerson,
  type RatingValue,
} from '../../src/model/records.js';
import { validateMessage, validateView } from '../../src/sandbox/block-kit.js';
import { summaryMessage } from '../../src/slack/views/assessment.js';
import { historyMessage } from '../../src/slack/views/history.js';
import { homeView } from '../../src/slack/views/home.js';
import { sharedMessage, sharePreviewMessage } from '../../src/slack/views/share.js';
import type { Message } from '../../src/slack/views/types.js';
import { largestFramework } from './fixtures.js';

const AT = '2026-11-27T10:00:00.000Z';

/**
 * Issue 19: what the app says about gaps is the same on every surface. Each test here is one of the
 * contradictions people saw, and failed on the code before the gap language was defined once
 * (src/assessments/gaps.ts).
 */

function competency(
  name: string,
  rating: AssessedCompetency['rating'],
  expected: number,
  tier: AssessedCompetency['tier'] = 'primary',
  nextExpected: number | null = 5,
): AssessedCompetency {
  return { id: name.toLowerCase(), name, category: 'technical', tier, expected, nextExpected, rating };
}

function record(competencies: AssessedCompetency[], nextLevelName: string | null = 'Lead'): AssessmentRecord {
  return {
    id: 'r1',
    frameworkId: 'role.domain',
    frameworkVersion: '1',
    roleName: 'Role',
    domainName: 'Domain',
    levelId: 'senior',
    levelName: 'Senior',
    nextLevelName,
    finishedAt: '2026-11-27T10:00:00.000Z',
    competencies,
  };
}

/** The mrkdwn of each section, in order. */
function sections(message: Message): string[] {
  return message.blocks.flatMap((b) =>
    b.type === 'section' && b.text?.type === 'mrkdwn' ? [b.text.text] : [],
  );
}

/** The section that lists focus areas (whatever its heading says). */
const focusSection = (message: Message) => sections(message).find((t) => /^\*(Top )?focus areas\*/i.test(t));

const allText = (message: Message) => [message.text, ...sections(message)].join('\n');

describe('one language for gaps (issue 19)', () => {
  const mixed = record([
    competency('Alpha', 3, 4), // one below: worth a conversation
    competency('Bravo', 2, 4), // two below: a focus area
    competency('Charlie', 4, 4), // meets
    competency('Delta', 5, 4), // above
  ]);

  it('focus areas hold only competencies two or more below; one below is listed as worth a conversation', () => {
    const message = summaryMessage(mixed);
    expect(validateMessage(message)).toEqual([]);
    expect(focusSection(message)).toBe(
      '*Focus areas* · two or more below\n1. *Bravo* (primary): rated 2/5, expected 4/5',
    );
    expect(sections(message)).toContain(
      '*Worth a conversation* · one below\n1. *Alpha* (primary): rated 3/5, expected 4/5',
    );
  });

  it('5 against an expected 4 reads "above", not "meets"', () => {
    const rows = sections(summaryMessage(mixed));
    expect(rows).toContain('*Delta*  ·  :large_blue_circle: 1 above\nYou ▰▰▰▰▰ 5/5  ·  Expected ▰▰▰▰▱ 4/5');
    expect(rows).toContain('*Charlie*  ·  :white_check_mark: meets\nYou ▰▰▰▰▱ 4/5  ·  Expected ▰▰▰▰▱ 4/5');
  });

  it('the overall line counts each status exactly, with the same words', () => {
    expect(sections(summaryMessage(mixed))[0]).toBe(
      '*2 of 4 at or above Senior expectations*: 1 above, 1 meets, 1 worth a conversation (one below), 1 focus area (two or more below). 1 already at or above Lead expectations.',
    );
  });

  it("history's count of focus areas is exact: four two or more below is 4, not capped at 3", () => {
    const four = record([
      competency('A', 1, 4),
      competency('B', 2, 4),
      competency('C', 1, 3),
      competency('D', 2, 5),
      competency('E', 3, 4), // one below: not a focus area
      competency('F', 4, 4),
    ]);
    const text = allText(historyMessage([{ record: four, changes: null }]));
    expect(text).not.toMatch(/\b3 focus areas\b/);
    expect(text).toContain('4 focus areas (two or more below)');
    expect(text).toContain('1 worth a conversation (one below)');
    // And the summary lists all four, largest gap first, none of them the one below.
    expect(focusSection(summaryMessage(four))).toBe(
      [
        '*Focus areas* · two or more below',
        '1. *A* (primary): rated 1/5, expected 4/5',
        '2. *D* (primary): rated 2/5, expected 5/5',
        '3. *B* (primary): rated 2/5, expected 4/5',
        '4. *C* (primary): rated 1/5, expected 3/5',
      ].join('\n'),
    );
  });

  it('prints no zero that says nothing: no "0 already meet", no "0 above"', () => {
    const none = record([competency('A', 3, 4), competency('B', 4, 4), competency('C', 2, 4)]);
    for (const message of [
      summaryMessage(none),
      sharedMessage(none, 'U0SAM00001'),
      historyMessage([{ record: none, changes: null }]),
    ]) {
      const text = allText(message);
      expect(text).not.toMatch(/\b0 already\b/);
      expect(text).not.toMatch(/\b0 (above|meet|meets|worth|focus)\b/);
    }
    // Where a list is expected, "none" says so.
    const fine = record([competency('A', 4, 4), competency('B', 5, 4)]);
    expect(focusSection(summaryMessage(fine))).toBe(
      '*Focus areas* · two or more below\nNone. No gaps at this level. :tada:',
    );
    expect(sections(summaryMessage(fine)).join('\n')).not.toContain('Worth a conversation');
  });

  it('the shared post speaks of the person, never "You"', () => {
    const post = sharedMessage(mixed, 'U0SAM00001');
    expect(validateMessage(post)).toEqual([]);
    const text = allText(post);
    expect(text).toContain('<@U0SAM00001> shared their self-assessment');
    expect(text).not.toMatch(/\byou(r|rs|rself)?\b/i);
    expect(sections(post)).toContain(
      '*Delta*  ·  :large_blue_circle: 1 above\nRated ▰▰▰▰▰ 5/5  ·  Expected ▰▰▰▰▱ 4/5',
    );
  });
});

describe('every view of an assessment stays within Block Kit limits with the lists in full', () => {
  /** The largest framework, and the same with names made of the character escaping lengthens most. */
  const frameworks = [
    largestFramework(),
    {
      ...largestFramework('escaped'),
      competencies: largestFramework().competencies.map((c) => ({ ...c, name: '&'.repeat(60) })),
    },
  ];
  const patterns: ((i: number) => RatingValue | null)[] = [
    () => 1, // every competency a focus area
    (i) => (i % 2 === 0 ? 1 : 4), // half focus areas, half worth a conversation at the top level
    (i) => ((i % 5) + 1) as RatingValue,
    (i) => (i % 3 === 0 ? null : i % 3 === 1 ? 'na' : 2),
  ];

  it('summary, preview, post, history and Home', () => {
    for (const framework of frameworks) {
      for (const level of framework.levels) {
        for (const pattern of patterns) {
          const data = emptyPerson();
          data.ratings[framework.id] = Object.fromEntries(
            framework.competencies.flatMap((c, i) => {
              const value = pattern(i);
              return value === null ? [] : [[c.id, { value, at: AT, frameworkVersion: framework.version }]];
            }),
          );
          const assessment = snapshotOf(framework, level, data, 's', AT);
          const where = `${framework.id} ${level.id}`;
          expect(validateMessage(summaryMessage(assessment)), where).toEqual([]);
          expect(validateMessage(sharedMessage(assessment, 'U0SAM00001')), where).toEqual([]);
          expect(validateMessage(sharePreviewMessage(assessment, 'U0SAM00001')), where).toEqual([]);
          const history = [{ record: assessment, changes: null }];
          expect(validateMessage(historyMessage(history)), where).toEqual([]);
          expect(validateView(homeView({ frameworks: [framework], unfinished: [], history })), where).toEqual(
            [],
          );
          // Each focus area is listed, or the list says how many more are marked below.
          const focus = focusSection(summaryMessage(assessment)) ?? '';
          const listed = focus.split('\n').filter((line) => /^\d+\. /.test(line)).length;
          const more = Number(/…and (\d+) more/.exec(focus)?.[1] ?? 0);
          expect(listed + more, where).toBe(analyse(assessment).counts.focus);
        }
      }
    }
  });
});
