import type { Button, KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { HistoryEntry, LastRole, Unfinished } from '../../src/assessments/assessments.js';
import { movesSince } from '../../src/assessments/gaps.js';
import type { RequestInfo, RequestSummary, ReviewToGive } from '../../src/assessments/reviews.js';
import type { AssessedCompetency, AssessmentRecord, Review } from '../../src/model/records.js';
import { validateMessage, validateView } from '../../src/sandbox/block-kit.js';
import { suggestSubcommand } from '../../src/slack/command-text.js';
import { ActionId, ActionRoute, routeMatches } from '../../src/slack/ids.js';
import { CommandValue, decodeValue, RecordValue } from '../../src/slack/values.js';
import { summaryMessage } from '../../src/slack/views/assessment.js';
import { compareUsageMessage } from '../../src/slack/views/compare.js';
import { helpMessage } from '../../src/slack/views/help.js';
import { historyMessage, openedNote } from '../../src/slack/views/history.js';
import { homeView } from '../../src/slack/views/home.js';
import { lookupProblemMessage } from '../../src/slack/views/lookup-problem.js';
import { movesLine } from '../../src/slack/views/reminders.js';
import { largestFramework } from './fixtures.js';

/**
 * Fewer dead ends (issue 19, part 6), in the views and the parsing: a mistyped subcommand is
 * suggested with a button, `/competency compare` alone offers the person's last role, help and the
 * Home tab offer buttons, history opens any past assessment, a check-in's summary says what moved.
 * Each test failed on the code before this part (most of what they call did not exist).
 */

const largest = largestFramework();
const level = largest.levels[1];
if (!level) throw new Error('fixture');

type Block = KnownBlock & { block_id?: string };

/** Every button of a message or view, in order. */
function buttonsOf(all: readonly unknown[]): Button[] {
  return (all as Block[]).flatMap((b) => {
    if (b.type === 'actions') return b.elements.filter((e): e is Button => e.type === 'button');
    if (b.type === 'section' && b.accessory?.type === 'button') return [b.accessory];
    return [];
  });
}

const labels = (blocks: readonly unknown[]) => buttonsOf(blocks).map((b) => b.text.text);

/** The mrkdwn of each section, in order. */
const sections = (blocks: readonly unknown[]) =>
  (blocks as Block[]).flatMap((b) =>
    b.type === 'section' && b.text?.type === 'mrkdwn' ? [b.text.text] : [],
  );

/** Every button's id is one a listener claims (ids.ts). */
function expectRouted(blocks: readonly unknown[]): void {
  for (const button of buttonsOf(blocks)) {
    const id = button.action_id ?? '';
    const claimed = Object.values(ActionRoute).some((route) => routeMatches(route, id));
    expect(claimed, id).toBe(true);
  }
}

function record(id: string, finishedAt: string, ratings: AssessedCompetency['rating'][]): AssessmentRecord {
  return {
    id,
    frameworkId: largest.id,
    frameworkVersion: largest.version,
    roleName: largest.role.name,
    domainName: largest.domain.name,
    levelId: level?.id ?? '',
    levelName: level?.name ?? '',
    nextLevelName: largest.levels[2]?.name ?? null,
    finishedAt,
    competencies: largest.competencies.map((c, i) => ({
      id: c.id,
      name: c.name,
      category: c.category,
      tier: c.tier,
      expected: 4,
      nextExpected: 5,
      rating: ratings[i % ratings.length] ?? null,
    })),
  };
}

describe('a mistyped subcommand is suggested before any role', () => {
  it.each([
    ['hlep', 'help', 'help'],
    ['histroy', 'history', 'history'],
    ['reveiws', 'reviews', 'reviews'],
    ['exprot', 'export', 'export'],
    ['shaer', 'share', 'share'],
    ['fogret', 'forget', 'forget'],
    ['lsit', 'list', 'list'],
    ['fnid x', 'find x', 'find'],
    ['comapre sa', 'compare sa', 'compare'],
    ['hist', 'history', 'history'],
    ['taem @devs', 'team @devs', 'team'],
  ])('"%s" → "%s"', (typed, text, kind) => {
    const suggestion = suggestSubcommand(typed);
    expect(suggestion?.text).toBe(text);
    expect(suggestion?.request.kind).toBe(kind);
  });

  it.each(['help', 'solutions-architect', 'senior', 'for everyone', 'sa', 'tema lead senior', 'x'])(
    '"%s" is no mistyped subcommand',
    (typed) => {
      expect(suggestSubcommand(typed)).toBeUndefined();
    },
  );

  it('says "Did you mean `/competency help`?" with a button that runs it, then the roles it might be', () => {
    const message = lookupProblemMessage(
      {
        kind: 'unknown-role',
        input: 'hlep',
        suggestions: [{ label: 'Help Desk Lead', query: 'help-desk-lead senior' }],
      },
      { typed: 'hlep', text: 'help', value: { c: 'help' } },
    );
    expect(validateMessage(message)).toEqual([]);
    expect(sections(message.blocks)).toEqual([
      "I don't know `/competency hlep`.",
      'Did you mean `/competency help`?',
      'Or the role `/competency help-desk-lead senior`?',
    ]);
    const [command, role] = buttonsOf(message.blocks);
    expect(command?.text.text).toBe('/competency help');
    expect(command?.action_id).toBe(`${ActionId.runCommand}:help`);
    expect(decodeValue(CommandValue, command?.value)).toEqual({ c: 'help' });
    expect(role?.value).toBe('help-desk-lead senior');
    expect(message.text).toContain('Did you mean /competency help?');
    expectRouted(message.blocks);
  });

  it('a correction no button may run (team, ask) is said without a button', () => {
    const message = lookupProblemMessage(
      { kind: 'unknown-role', input: 'taem', suggestions: [] },
      { typed: 'taem', text: 'team' },
    );
    expect(sections(message.blocks)).toContain('Did you mean `/competency team`?');
    expect(buttonsOf(message.blocks)).toEqual([]);
  });

  it('the command button refuses what it was not made for', () => {
    expect(decodeValue(CommandValue, JSON.stringify({ c: 'team' }))).toBeUndefined();
    expect(decodeValue(CommandValue, JSON.stringify({ c: 'ask', q: '<@U1>' }))).toBeUndefined();
    expect(decodeValue(CommandValue, JSON.stringify({ c: 'find', q: 'x'.repeat(501) }))).toBeUndefined();
  });
});

const last = (overrides: Partial<LastRole> = {}): LastRole => ({
  framework: largest,
  level: level as NonNullable<typeof level>,
  progress: undefined,
  latest: undefined,
  ...overrides,
});

describe('/competency compare with no role', () => {
  it('offers the last role and level as a button', () => {
    const message = compareUsageMessage([largest], last());
    expect(validateMessage(message)).toEqual([]);
    const compare = buttonsOf(message.blocks)[0];
    expect(compare?.text.text).toBe(`Compare ${largest.role.name} levels`.slice(0, 75));
    expect(compare?.action_id).toBe(ActionId.compareLevels);
    expect(JSON.parse(compare?.value ?? '{}')).toEqual({ f: largest.id, l: level?.id });
    expectRouted(message.blocks);
  });

  it('with no history: how to ask, with an example, and a button to the list', () => {
    const message = compareUsageMessage([largest], undefined);
    expect(sections(message.blocks)[0]).toContain(`\`/competency compare ${largest.role.id}\``);
    expect(labels(message.blocks)).toEqual(['See every framework']);
    expect(buttonsOf(message.blocks)[0]?.action_id).toBe(ActionId.listPage);
  });
});

describe('help offers buttons', () => {
  it('for the last role: see it, continue rating, history, reviews, every framework, export, forget', () => {
    const message = helpMessage([largest], { last: last({ progress: { position: 2, total: 24 } }) });
    expect(validateMessage(message)).toEqual([]);
    expect(labels(message.blocks)).toEqual([
      `See ${largest.role.name} · ${level?.name}`.slice(0, 74).concat('…'),
      'Continue rating (3 of 24)',
      'See every framework',
      'My history',
      'Reviews I asked for',
      'Export my data',
      'Delete my data…',
    ]);
    expectRouted(message.blocks);
  });

  it('Rate yourself again after a finished one; a framework to try for someone new', () => {
    const again = helpMessage([largest], {
      last: last({ latest: record('r1', '2026-03-03T10:00:00Z', [3]) }),
    });
    expect(labels(again.blocks)).toContain('Rate yourself again');
    const rate = buttonsOf(again.blocks).find((b) => b.text.text === 'Rate yourself again');
    expect(JSON.parse(rate?.value ?? '{}')).toEqual({ f: largest.id, l: level?.id, r: 1 });
    const fresh = helpMessage([largest]);
    expect(labels(fresh.blocks)[0]).toMatch(/^Try /);
    expect(labels(fresh.blocks)).not.toContain('Rate yourself again');
  });
});

describe('history opens any past assessment', () => {
  const entries: HistoryEntry[] = Array.from({ length: 60 }, (_, i) => ({
    record: record(`record-${i}`, '2026-03-03T10:00:00.000Z', [1, 2, 3, 'na', null]),
    changes:
      i === 59 ? null : largest.competencies.map((c) => ({ id: c.id, name: c.name, from: 1, to: null })),
  }));

  it('an Open button per assessment, naming it, beside Include in team views', () => {
    const message = historyMessage(entries);
    expect(validateMessage(message)).toEqual([]);
    const opens = buttonsOf(message.blocks).filter((b) => b.action_id === ActionId.openAssessment);
    expect(opens.length).toBeGreaterThan(0);
    opens.forEach((open, i) => {
      expect(open.text.text).toBe('Open');
      expect(decodeValue(RecordValue, open.value)).toEqual({ id: `record-${i}` });
    });
    // What is not shown is counted exactly.
    const more = JSON.stringify(message.blocks).match(/…and (\d+) older ones/)?.[1];
    expect(Number(more)).toBe(60 - opens.length);
    // Unrated changes in the words of gap-words.ts.
    expect(sections(message.blocks)[0]).toContain('→ skipped');
    expectRouted(message.blocks);
  });

  it('the opened summary says it is the assessment as recorded, and stays within limits', () => {
    const old = record('r-old', '2026-03-03T10:00:00.000Z', [1, 5, 'na', null]);
    const message = summaryMessage(old, { note: openedNote(old), reminder: { current: null } });
    expect(validateMessage(message)).toEqual([]);
    expect(sections(message.blocks)[0]).toContain('From your history: this assessment as you recorded it on');
    expect(labels(message.blocks)).toContain('History');
  });
});

describe('a check-in says what moved since the one before', () => {
  const names = ['Omnichannel Architecture', 'Platform Scaling', 'A', 'B', 'C', 'D', 'E', 'F'];
  const of = (id: string, at: string, ratings: AssessedCompetency['rating'][]): AssessmentRecord => ({
    ...record(id, at, []),
    competencies: names.map((name, i) => ({
      id: name.toLowerCase(),
      name,
      category: 'technical',
      tier: 'primary',
      expected: 4,
      nextExpected: 5,
      rating: ratings[i] ?? null,
    })),
  });

  it('"Since 3 March: Omnichannel Architecture 3 → 4, Platform Scaling 2 → 3; 6 unchanged."', () => {
    const before = of('a', '2026-03-03T10:00:00.000Z', [3, 2, 4, 4, 4, 4, 4, 4]);
    const after = of('b', '2026-06-03T10:00:00.000Z', [4, 3, 4, 4, 4, 4, 4, 4]);
    expect(movesLine(movesSince(before, after))).toBe(
      `Since <!date^${Date.parse('2026-03-03T10:00:00.000Z') / 1000}^{date_pretty}|3 March 2026>: Omnichannel Architecture 3 → 4, Platform Scaling 2 → 3; 6 unchanged.`,
    );
  });

  it('nothing moved; a rating with no 1–5 in the gap words; no zero said', () => {
    const before = of('a', '2026-03-03T10:00:00.000Z', [3, 2, 4, 4, 4, 4, 4, 4]);
    expect(movesLine(movesSince(before, of('b', '2026-06-03T10:00:00Z', [3, 2, 4, 4, 4, 4, 4, 4])))).toMatch(
      /: nothing moved \(8 unchanged\)\.$/,
    );
    const all = of('c', '2026-06-03T10:00:00Z', [null, 'na', 5, 5, 5, 5, 5, 5]);
    const line = movesLine(movesSince(before, all));
    expect(line).toContain(
      'Omnichannel Architecture 3 → skipped, Platform Scaling 2 → not applicable, A 4 → 5',
    );
    expect(line).not.toContain('unchanged');
  });

  it('with the largest framework, every rating moved, the check-in summary stays within limits', () => {
    const before = record('a', '2026-03-03T10:00:00.000Z', [1]);
    const after = record('b', '2026-06-03T10:00:00.000Z', [5]);
    const line = movesLine(movesSince(before, after));
    expect(line).toMatch(/1 → 5, …and \d+ more\.$/);
    const message = summaryMessage(after, {
      note: `:white_check_mark: Check-in done.\n${line}`,
      reminder: { current: null },
    });
    expect(validateMessage(message)).toEqual([]);
  });
});

describe('the Home tab: the last role, reviews to do and asked for, every action a button', () => {
  const longName = 'N'.repeat(80);
  const request = (i: number): RequestInfo => ({
    subject: `T0:U0SUBJECT${i}`,
    subjectUserId: `U0SUBJECT${i}`,
    reviewId: `review-${i}`,
    reviewerUserId: 'U0ME',
    status: i % 2 ? 'rating' : 'asked',
    roleName: largest.role.name,
    domainName: largest.domain.name,
    levelName: level?.name ?? '',
    competencies: 24,
  });
  const toDo: ReviewToGive[] = Array.from({ length: 30 }, (_, i) => ({
    request: request(i),
    askedAt: '2026-03-03T10:00:00.000Z',
  }));
  const statuses: Review['status'][] = ['asked', 'rating', 'finished', 'declined', 'withdrawn'];
  const asked: RequestSummary[] = Array.from({ length: 30 }, (_, i) => ({
    review: {
      id: `asked-${i}`,
      assessmentId: 'r1',
      reviewer: `T0:U0REVIEWER${i}`,
      reviewerUserId: `U0REVIEWER${i}`,
      reviewerName: longName,
      status: statuses[i % statuses.length] ?? 'asked',
      position: 0,
      answers: {},
      askedAt: '2026-03-03T10:00:00.000Z',
      updatedAt: '2026-03-03T10:00:00.000Z',
    },
    record: record('r1', '2026-03-01T10:00:00.000Z', [3]),
  }));
  const history: HistoryEntry[] = Array.from({ length: 60 }, (_, i) => ({
    record: record(`record-${i}`, '2026-03-03T10:00:00.000Z', [1, 2, 3]),
    changes: i === 59 ? null : largest.competencies.map((c) => ({ id: c.id, name: c.name, from: 1, to: 2 })),
  }));
  const unfinished: Unfinished[] = Array.from({ length: 12 }, (_, i) => {
    const framework = largestFramework(`other-${i}`);
    const at = framework.levels[0];
    if (!at) throw new Error('fixture');
    return {
      framework,
      level: at,
      draft: {
        sessionId: `s${i}`,
        frameworkId: framework.id,
        frameworkVersion: framework.version,
        levelId: at.id,
        position: 3,
        status: 'rating',
        startedAt: '2026-03-03T10:00:00.000Z',
        updatedAt: '2026-03-03T10:00:00.000Z',
      },
    };
  });

  it('with the most of everything, within 100 blocks and every limit', () => {
    const home = homeView({
      frameworks: Array.from({ length: 300 }, (_, i) => largestFramework(`role-${i}`)),
      unfinished,
      history,
      last: last({ progress: { position: 2, total: 24 }, latest: history[0]?.record }),
      reviewsToDo: toDo,
      reviewsAsked: asked,
      reminder: null,
      admin: true,
    });
    expect(validateView(home)).toEqual([]);
    expect(home.blocks.length).toBeLessThanOrEqual(100);
    const all = labels(home.blocks);
    for (const label of [
      'Add a framework',
      'Continue rating (3 of 24)',
      'See my level',
      'Compare levels',
      'My latest summary',
      'Start',
      'Continue',
      'Withdraw',
      'See the comparison',
      'All 30 reviews you asked for',
      'Open',
      'All my history',
      'See every framework',
      'My history',
      'Reviews I asked for',
      'See all 300 frameworks',
    ]) {
      expect(all, label).toContain(label);
    }
    const text = JSON.stringify(home.blocks);
    expect(text).toContain('*Reviews to do*');
    expect(text).toContain('…and 25 more, each in your direct messages with the app');
    expect(text).toContain('*Reviews you asked for*');
    // Every action is a button: no "try `/competency …`" to copy for a framework.
    expect(text).not.toMatch(/try `\/competency/);
    expectRouted(home.blocks);
  });

  it('after a finished assessment: Rate yourself again and See my level; Start names who asks', () => {
    const latest = record('r1', '2026-03-03T10:00:00.000Z', [4]);
    const home = homeView({
      frameworks: [largest],
      unfinished: [],
      history: [{ record: latest, changes: null }],
      last: last({ latest }),
      reviewsToDo: toDo.slice(0, 1),
    });
    expect(validateView(home)).toEqual([]);
    expect(labels(home.blocks).slice(0, 11)).toEqual([
      'See every framework',
      'My history',
      'Reviews I asked for',
      'Shares',
      'Help',
      'Rate yourself again',
      'See my level',
      'Compare levels',
      'My latest summary',
      'Progress over time',
      'Share with…',
    ]);
    const start = buttonsOf(home.blocks).find((b) => b.text.text === 'Start');
    expect(start?.action_id).toBe(ActionId.reviewStart);
    expect(JSON.parse(start?.value ?? '{}')).toEqual({ o: 'T0:U0SUBJECT0', r: 'review-0' });
    expect(sections(home.blocks).join('\n')).toContain('<@U0SUBJECT0> asks you to rate them against');
  });
});

describe('a framework with a newer version than the one the person rated against', () => {
  it('Home says so and offers to rate again against the new version; the old assessment keeps its expectations', () => {
    const old = { ...record('r1', '2026-03-03T10:00:00.000Z', [4]), frameworkVersion: 'v1' };
    const home = homeView({
      frameworks: [largest],
      unfinished: [],
      history: [],
      last: last({ latest: old }),
    });
    expect(validateView(home)).toEqual([]);
    const text = JSON.stringify(home.blocks);
    expect(labels(home.blocks)).toContain(`Rate again against version ${largest.version}`);
    expect(text).toContain('keeps what version v1 expected');
    const same = homeView({
      frameworks: [largest],
      unfinished: [],
      history: [],
      last: last({ latest: record('r2', '2026-03-03T10:00:00.000Z', [4]) }),
    });
    expect(labels(same.blocks)).toContain('Rate yourself again');
  });
});
