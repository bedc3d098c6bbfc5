import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { candidates, type TeamGroup, type TeamView } from '../../src/assessments/team.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import type { AssessmentRecord, RatingValue } from '../../src/model/records.js';
import { validateMessage } from '../../src/sandbox/block-kit.js';
import { teamFailureMessage } from '../../src/slack/answers/team.js';
import { parseCompetencyText, parseTeamRequest } from '../../src/slack/command-text.js';
import { answerCompetency } from '../../src/slack/commands/competency.js';
import { createDeps } from '../../src/slack/deps.js';
import { summaryMessage } from '../../src/slack/views/assessment.js';
import { blockTextLength } from '../../src/slack/views/budget.js';
import { historyMessage } from '../../src/slack/views/history.js';
import {
  teamSlackRefusedMessage,
  teamViewMessage,
  teamViewsChangedNote,
  teamWorkingMessage,
} from '../../src/slack/views/team.js';
import type { Message } from '../../src/slack/views/types.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { StoreUnavailableError } from '../../src/store/store.js';
import { hostileFramework, largestFramework } from './fixtures.js';

const largest = largestFramework();

/** An included assessment of `framework` at `levelIndex`, rated `rating(competency index)`. */
function shared(
  framework: ReturnType<typeof largestFramework>,
  levelIndex: number,
  rating: (i: number) => RatingValue | null,
  id = 'r',
): AssessmentRecord {
  const level = framework.levels[levelIndex] ?? framework.levels[0];
  if (!level) throw new Error('fixture');
  return {
    id,
    frameworkId: framework.id,
    frameworkVersion: framework.version,
    roleName: framework.role.name,
    domainName: framework.domain.name,
    levelId: level.id,
    levelName: level.name,
    nextLevelName: null,
    finishedAt: '2026-11-27T10:00:00.000Z',
    competencies: framework.competencies.map((c, i) => ({
      id: c.id,
      name: c.name,
      category: c.category,
      tier: c.tier,
      expected: 3,
      nextExpected: null,
      rating: rating(i),
    })),
    inTeamViews: true,
  };
}

/** `n` people, each sharing one assessment per (framework, level) in `what`. */
function people(n: number, what: [ReturnType<typeof largestFramework>, number][]) {
  return new Map(
    Array.from({ length: n }, (_, p) => [
      `T1:U${1000 + p}`,
      what.map(([f, l], j) => shared(f, l, (i) => (((p + i) % 5) + 1) as RatingValue, `r-${p}-${j}`)),
    ]),
  );
}

/** The team view of these people as it is worked out, every role × level given (none held back). */
function teamView(
  shared: ReadonlyMap<string, readonly AssessmentRecord[]>,
  k: number,
  heldBack: (group: TeamGroup) => boolean = () => false,
): TeamView {
  return {
    minPeople: k,
    windowDays: 30,
    groups: candidates(shared, k).map(({ group }) => {
      if (!heldBack(group)) return group;
      const { frameworkId, levelId, roleName, domainName, levelName } = group;
      return { kind: 'changed', frameworkId, levelId, roleName, domainName, levelName };
    }),
  };
}

const ok = (message: Message) => expect(validateMessage(message)).toEqual([]);
const allText = (message: Message) => JSON.stringify(message);

describe('the team view stays within Block Kit limits', () => {
  it('one role × level of the largest framework, with K people', () => {
    const message = teamViewMessage(teamView(people(5, [[largest, 0]]), 5), { kind: 'channel' });
    ok(message);
    // Every competency has its line.
    for (const c of largest.competencies) expect(allText(message)).toContain(c.name);
  });

  it('very many role × levels: as many as fit, most contributors first, and says the rest were left out', () => {
    const frameworks = Array.from({ length: 12 }, (_, i) => largestFramework(`role-${i}`));
    const what = frameworks.flatMap((f) => f.levels.map((_, l) => [f, l] as [typeof f, number]));
    const view = teamView(people(6, what), 5);
    expect(view.groups).toHaveLength(96);
    const message = teamViewMessage(view, { kind: 'group', label: `@${'g'.repeat(200)}` });
    ok(message);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(blockTextLength(message.blocks)).toBeLessThanOrEqual(11_000);
    expect(allText(message)).toMatch(/and \d+ more roles and levels/);
  });

  it('very many role × levels without enough people', () => {
    const frameworks = Array.from({ length: 40 }, (_, i) => largestFramework(`role-${i}`));
    const what = frameworks.flatMap((f) => f.levels.map((_, l) => [f, l] as [typeof f, number]));
    const message = teamViewMessage(teamView(people(2, what), 5), { kind: 'channel' });
    ok(message);
    expect(allText(message)).toContain('Not enough people in this channel have shared');
  });

  it('very many role × levels held back because their people changed', () => {
    const frameworks = Array.from({ length: 12 }, (_, i) => largestFramework(`role-${i}`));
    const what = frameworks.flatMap((f) => f.levels.map((_, l) => [f, l] as [typeof f, number]));
    const view = teamView(people(6, what), 5, (g) => g.levelId !== 'level-1');
    const message = teamViewMessage(view, { kind: 'channel' });
    ok(message);
    expect(allText(message)).toMatch(/Not shown this time: .*, and \d+ more\./);
  });

  it('every other message of team views', () => {
    ok(teamWorkingMessage());
    for (const code of [
      'missing_scope',
      'not_in_channel',
      'channel_not_found',
      'no_such_subteam',
      'plan_upgrade_required',
    ]) {
      const message = teamSlackRefusedMessage(code);
      expect(message, code).toBeDefined();
      if (message) ok(message);
    }
    expect(teamSlackRefusedMessage('fatal_error')).toBeUndefined();
    ok(teamViewMessage(teamView(new Map(), 5), { kind: 'channel' }));
  });

  it('the summary and the history with their team views buttons', () => {
    const record = shared(largest, 7, (i) => ((i % 5) + 1) as RatingValue);
    const note = teamViewsChangedNote(record, [record, record]);
    ok(summaryMessage(record, { note }));
    const entries = Array.from({ length: 60 }, () => ({ record, changes: null }));
    ok(historyMessage(entries, { note }));
  });
});

describe('what the team view says', () => {
  it('below K: the same words whoever shared, naming no role, level or number but K', () => {
    const nobody = teamViewMessage(teamView(new Map(), 5), { kind: 'channel' });
    for (const n of [1, 2, 4]) {
      const message = teamViewMessage(teamView(people(n, [[largest, 1]]), 5), { kind: 'channel' });
      // Byte for byte what a channel where nobody shared gets.
      expect(message).toEqual(nobody);
      const text = allText(message);
      expect(text).not.toContain(largest.role.name);
      for (const level of largest.levels) expect(text).not.toContain(level.name);
      for (const c of largest.competencies) expect(text).not.toContain(c.name);
      expect(text.replace(/(at least|until) 5 people/g, '')).not.toMatch(/\d/);
    }
    expect(allText(nobody)).toContain('Not enough people in this channel have shared a self-assessment yet');
  });

  it('beside a role × level shown, those below K are not mentioned but by the rule that holds for all', () => {
    const other = largestFramework('other-role');
    const withOthers = teamViewMessage(teamView(people(5, [[largest, 0]]), 5), { kind: 'channel' });
    const team = people(5, [[largest, 0]]);
    team.set('T1:U9', [shared(other, 2, () => 4, 'x')]);
    const withOneMore = teamViewMessage(teamView(team, 5), { kind: 'channel' });
    expect(withOneMore).toEqual(withOthers);
    expect(allText(withOthers)).toContain(
      'Roles and levels that fewer than 5 people here chose to share are not shown',
    );
  });

  it('a role × level whose people changed by fewer than K: named, nothing else, and why', () => {
    const view = teamView(people(6, [[largest, 0]]), 5, () => true);
    const text = allText(teamViewMessage(view, { kind: 'channel' }));
    expect(text).toContain(`Not shown this time: *${largest.role.name} · ${largest.levels[0]?.name}*.`);
    expect(text).toContain('differ by fewer than 5 from those of a team view given in the last 30 days');
    for (const c of largest.competencies) expect(text).not.toContain(c.name);
    expect(text).not.toMatch(/median|Based on/);
    expect(text).not.toContain('See it as a chart');
  });

  it('at K: per competency, how many meet, are above, are below, and the median, of N people who chose to share', () => {
    const message = teamViewMessage(teamView(people(5, [[largest, 0]]), 5), { kind: 'channel' });
    const text = allText(message);
    expect(text).toContain('Based on 5 people who chose to share.');
    // Each competency is rated 1..5 once by the five people, against an expected 3.
    expect(text).toContain('1 meet  ·  2 above  ·  2 below  ·  median 3/5');
    expect(message.text).toContain('5 people');
  });

  it('never names a person or carries their key', () => {
    const team = people(6, [[largest, 0]]);
    const message = teamViewMessage(teamView(team, 5), { kind: 'channel' });
    for (const [key, records] of team) {
      expect(allText(message)).not.toContain(key.split(':')[1]);
      for (const r of records) expect(allText(message)).not.toContain(r.id);
    }
  });

  it('escapes names from frameworks and user group labels', () => {
    const hostile = hostileFramework() as unknown as ReturnType<typeof largestFramework>;
    const message = teamViewMessage(teamView(people(5, [[hostile, 0]]), 5), {
      kind: 'group',
      label: '@devs <!channel>',
    });
    const mrkdwn = JSON.stringify(message.blocks.filter((b) => b.type !== 'header'));
    expect(mrkdwn).not.toMatch(/<!(channel|everyone|here)|<@U/);
    expect(message.text).not.toMatch(/<!(channel|everyone|here)/);
  });

  it('nobody shared: says not enough have, and how to share', () => {
    const text = allText(teamViewMessage(teamView(new Map(), 5), { kind: 'channel' }));
    expect(text).toContain('at least 5 people have chosen to include theirs');
    expect(text).toContain('/competency history');
  });
});

describe('/competency team, parsed', () => {
  it('is this channel, a user group as Slack sends it, a handle, or something else', () => {
    expect(parseCompetencyText('team')).toEqual({ kind: 'team', team: { kind: 'channel' }, query: 'team' });
    expect(parseCompetencyText('  TEAM  ').kind).toBe('team');
    expect(parseTeamRequest(' <!subteam^S0123ABC|@devs> ')).toEqual({
      kind: 'group',
      id: 'S0123ABC',
      label: '@devs',
    });
    expect(parseTeamRequest('<!subteam^S0123ABC|devs>')).toEqual({
      kind: 'group',
      id: 'S0123ABC',
      label: '@devs',
    });
    expect(parseTeamRequest('<!subteam^S0123ABC>')).toEqual({
      kind: 'group',
      id: 'S0123ABC',
      label: 'this user group',
    });
    expect(parseTeamRequest('S0123ABC')).toEqual({ kind: 'group', id: 'S0123ABC', label: 'this user group' });
    expect(parseTeamRequest('@Platform-Team')).toEqual({ kind: 'handle', handle: 'platform-team' });
    for (const other of [
      'lead senior',
      '<@U0123|sam>',
      '<!channel>',
      '<!subteam^S1|@a> <!subteam^S2|@b>',
      '#general',
    ]) {
      expect(parseTeamRequest(other), other).toEqual({ kind: 'unknown' });
    }
  });

  it('leaves other commands alone', () => {
    expect(parseCompetencyText('teams senior').kind).toBe('show');
    expect(parseCompetencyText('history').kind).toBe('history');
  });
});

describe('when a team view cannot be made', () => {
  const logger = { warn: () => {}, error: () => {} };
  const platformError = (error: string) =>
    Object.assign(new Error(`An API error occurred: ${error}`), {
      code: webApi.ErrorCode.PlatformError,
      data: { ok: false, error },
    });

  it('tells the person to have the app reinstalled when it lacks the new scopes', () => {
    const text = allText(teamFailureMessage(platformError('missing_scope'), logger));
    expect(text).toContain('reinstall or update');
  });

  it('explains a channel Slack will not list, and an unknown user group', () => {
    expect(allText(teamFailureMessage(platformError('channel_not_found'), logger))).toContain(
      '/invite @Competency',
    );
    expect(allText(teamFailureMessage(platformError('no_such_subteam'), logger))).toContain(
      "doesn't know that user group",
    );
  });

  it('says the data cannot be reached (and that nothing changed) when the store is down', () => {
    const text = allText(teamFailureMessage(new StoreUnavailableError('down'), logger));
    expect(text).toContain('cannot reach its data right now');
    expect(text).toContain('nothing was changed');
    expect(text).not.toContain('nothing was saved');
  });

  it('anything else: something went wrong, details to the log only', () => {
    const errors: unknown[] = [];
    const text = allText(
      teamFailureMessage(platformError('fatal_error'), { warn: () => {}, error: (...a) => errors.push(a) }),
    );
    expect(text).toContain('Something went wrong on our side');
    expect(text).not.toContain('fatal_error');
    expect(errors).toHaveLength(1);
  });
});

describe('"team" followed by words that name a role', () => {
  it('is looked up as a role, not taken for a team view', async () => {
    const largest = largestFramework();
    const teamLead = {
      ...largest,
      id: `team-lead.${largest.domain.id}`,
      role: { ...largest.role, id: 'team-lead' },
    };
    const deps = createDeps(new MemoryStore(), new Catalog([teamLead]));
    const asker = { person: 'T1:U1', userId: 'U1' };
    const found = await answerCompetency(`team lead ${largest.levels[1]?.id}`, deps, asker);
    expect(JSON.stringify(found)).toContain('Rate yourself');
    const usage = await answerCompetency('team of everyone', deps, asker);
    expect(JSON.stringify(usage)).toContain('/competency team @group');
    expect(allText(await answerCompetency('team', deps, asker))).toContain('Working it out');
  });
});
