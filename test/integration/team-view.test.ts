import { beforeAll, describe, expect, vi } from 'vitest';
import { LOCAL_CHANNEL } from '../../src/sandbox/defaults.js';
import { viewSubmissionPayload } from '../../src/sandbox/interaction-payloads.js';
import { sendInteraction, sendSlashCommand } from '../../src/sandbox/signing.js';
import { it } from '../support/fixtures.js';
import { since } from '../support/waiting.js';
import { findButton, type Harness, type Posted, SIGNING_SECRET, textOf } from './harness.js';

/**
 * `/competency team` end to end: the real app over signed HTTP against the local Slack, with people
 * who rate themselves with the Rate all form and choose (or not) to include the result in team views.
 * K is the default, 5.
 */

/** The bundled framework's competencies, in order; expected at Senior: 4 4 4 4 3 4 3 3. */
const COMPETENCIES = [
  'composable-commerce-strategy',
  'omnichannel-architecture',
  'global-commerce-platform-scaling',
  'customer-data-and-personalization-platform',
  'marketplace-architecture',
  'commerce-analytics-and-experimentation',
  'technical-team-leadership',
  'supply-chain-integration-architecture',
];

const ASKER = 'U0ASKER0001';
/** Five people who include their assessments; their Composable Commerce Strategy: 4, 5, 3, 4, 2. */
const SHARERS: [string, string[]][] = [
  ['U0SHARE0001', ['4', '4', '4', '4', '3', '4', '3', '3']],
  ['U0SHARE0002', ['5', '4', '3', '4', '3', '4', '3', 'na']],
  ['U0SHARE0003', ['3', '4', '4', '4', '3', '4', '3', 'na']],
  ['U0SHARE0004', ['4', '5', '2', '4', '3', '4', '3', 'na']],
  ['U0SHARE0005', ['2', '4', '4', '4', '3', '4', '3', '3']],
];
/** In the channel, rated everything 1, and did not include it. */
const KEEPS_PRIVATE = 'U0PRIVATE01';
/** Included an assessment, but is not in the channel. */
const ELSEWHERE = 'U0ELSEWHER1';

let h: Harness;
let views = 0;

/** One app for the whole file, started and closed by the fixture: the tests build on each other's data. */
it.beforeAll(({ sharedHarness }) => {
  h = sharedHarness;
});

/** Rates every competency with the Rate all form as `userId`; returns the summary shown afterwards. */
async function rateAll(userId: string, choices: string[]): Promise<Posted> {
  const answer = (await h.command('sa senior', { userId })).json;
  const responseUrl = h.slack.newResponseUrl();
  const clicked = since(h.slack);
  await h.click(answer, 'Rate all at once', { userId, responseUrl });
  const view = (await clicked.call('views.open')).args.view as { private_metadata: string };
  const values = Object.fromEntries(
    COMPETENCIES.map((id, i) => [
      `competency:${id}`,
      {
        rating: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: choices[i] }, value: choices[i] },
        },
      },
    ]),
  );
  const res = await sendInteraction(
    h.eventsUrl,
    SIGNING_SECRET,
    viewSubmissionPayload({
      user: { id: userId },
      callbackId: 'rate_all',
      privateMetadata: view.private_metadata,
      values,
      viewId: `V0FORM${String(++views).padStart(5, '0')}`,
    }),
  );
  expect(res.status).toBe(200);
  const posted = await h.slack.waitForResponseTo(responseUrl);
  expect(posted.ok).toBe(true);
  return posted.body as Posted;
}

/** Rates, then presses Include in team views on the summary; returns the updated summary. */
async function rateAndInclude(userId: string, choices: string[]): Promise<Posted> {
  const summary = await rateAll(userId, choices);
  expect(findButton(summary, 'Include in team views').action_id).toBe('team_views');
  return (await h.press(summary, 'Include in team views', { userId })) as Posted;
}

/** `/competency <text>` as `userId`: the acknowledgement, and what then replaced it through the response_url. */
async function team(text = 'team', userId = ASKER): Promise<{ ack: Posted; answer: Posted; all: string }> {
  const responseUrl = h.slack.newResponseUrl();
  const res = await h.command(text, { userId, responseUrl });
  expect(res.status).toBe(200);
  const posted = await h.slack.waitForResponseTo(responseUrl, 10_000);
  expect(posted.ok, JSON.stringify(posted.problems)).toBe(true);
  const answer = posted.body as Posted;
  return { ack: res.json as Posted, answer, all: JSON.stringify(answer) };
}

describe('/competency team in a channel', () => {
  beforeAll(async () => {
    h.slack.setChannelMembers(LOCAL_CHANNEL.id, [
      ASKER,
      ...SHARERS.map(([id]) => id),
      KEEPS_PRIVATE,
      // Many more members who never used the app: three pages of conversations.members.
      ...Array.from({ length: 2_300 }, (_, i) => `U0QUIET${String(i).padStart(4, '0')}`),
    ]);
    await rateAll(KEEPS_PRIVATE, Array(8).fill('1'));
    await rateAndInclude(ELSEWHERE, Array(8).fill('1'));
  });

  it('says "Working it out…" at once, then answers only the asker; with K−1 sharers, only that not enough have shared', async ({
    onTestFinished,
  }) => {
    for (const [id, choices] of SHARERS.slice(0, 4)) {
      const included = await rateAndInclude(id, choices);
      expect(textOf(included)).toContain('Included in team views');
      expect(findButton(included, 'Leave team views')).toBeDefined();
    }
    h.slack.reset();
    // The answer needs the channel's members from Slack (three pages here), then the totals from
    // the store. The totals are held back until the acknowledgement has come: it must not wait for
    // them. (An app that worked out the answer before acknowledging would never acknowledge here,
    // and the test would fail on its timeout.)
    let letTotalsThrough = () => {};
    const totalsHeld = new Promise<void>((resolve) => {
      letTotalsThrough = resolve;
    });
    const totals = h.deps.teams.of.bind(h.deps.teams);
    const held = vi.spyOn(h.deps.teams, 'of').mockImplementationOnce(async (...args) => {
      await totalsHeld;
      return totals(...args);
    });
    onTestFinished(() => held.mockRestore());
    const order: string[] = [];
    const responseUrl = h.slack.newResponseUrl();
    const onPost = (post: { url: string }) => {
      if (post.url === responseUrl) order.push('answer');
    };
    h.slack.on('response', onPost);
    onTestFinished(() => {
      h.slack.off('response', onPost);
    });
    const res = await h.command('team', { userId: ASKER, responseUrl });
    order.push('acknowledgement');
    letTotalsThrough();
    const answer = await h.followUp(res);
    const ack = res.json as Posted;
    const all = JSON.stringify(answer);
    expect(order).toEqual(['acknowledgement', 'answer']);

    expect(ack.response_type).toBe('ephemeral');
    expect(textOf(ack)).toContain('Working it out');
    // Only the asker sees it: the ephemeral message is replaced; nothing is posted in the channel.
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.replace_original).toBe(true);
    expect(h.slack.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
    // The channel was read page by page.
    const pages = h.slack.calls.filter((c) => c.method === 'conversations.members');
    expect(pages.map((c) => c.ok)).toEqual([true, true, true]);

    expect(textOf(answer)).toContain(
      'Not enough people in this channel have shared a self-assessment yet: a team view shows a role and level once at least 5 people have chosen to include theirs.',
    );
    expect(all).not.toMatch(/Composable Commerce Strategy|Solutions Architect|Senior|\b4\b/);
    expect(all).not.toMatch(/median|meet/);
  });

  it('with K sharers: per competency, how many meet, are above and below, and the median; never who', async () => {
    const [id, choices] = SHARERS[4] ?? ['', []];
    await rateAndInclude(id, choices);
    const { answer, all } = await team();
    const text = textOf(answer);

    expect(text).toContain('Based on 5 people who chose to share.');
    // 4, 5, 3, 4, 2 against 4. The person who kept theirs private (1s) and the one outside the channel are not counted.
    expect(text).toContain(
      '*Composable Commerce Strategy*  ·  expected 4/5\n2 meet  ·  1 above  ·  2 below  ·  median 4/5',
    );
    expect(text).toContain(
      '*Global Commerce Platform Scaling*  ·  expected 4/5\n3 meet  ·  0 above  ·  2 below  ·  median 4/5',
    );
    // Supply Chain: two rated it, three said not applicable: below K, so only its name.
    expect(text).toMatch(
      /Not shown, because fewer than 5 people rated it 1–5[^:]*: Supply Chain Integration Architecture\./,
    );
    expect(text).not.toMatch(/Supply Chain Integration Architecture\* {2}· {2}expected/);

    // No individual values: no one's user id, and not their own answer words either.
    for (const person of [...SHARERS.map(([p]) => p), KEEPS_PRIVATE, ELSEWHERE, ASKER]) {
      expect(all).not.toContain(person);
      expect(all.toLowerCase()).not.toContain(person.toLowerCase());
    }
    expect(all).not.toMatch(/rated 5|rated 1\b/);
  });

  it('someone who leaves team views later is no longer counted', async () => {
    const [leaver] = SHARERS[4] ?? [''];
    const history = (await h.command('history', { userId: leaver })).json as Posted;
    const updated = (await h.press(history, 'Leave team views', { userId: leaver })) as Posted;
    expect(textOf(updated)).toContain('Left team views');
    expect(textOf(updated)).not.toContain('_In team views._');

    const { answer, all } = await team();
    expect(textOf(answer)).toContain('Not enough people in this channel have shared');
    expect(all).not.toContain('median');

    // And back in: counted again (the same five as the answer before, so nothing new to subtract).
    const again = (await h.command('history', { userId: leaver })).json as Posted;
    await h.press(again, 'Include in team views', { userId: leaver });
    expect(textOf((await team()).answer)).toContain('Based on 5 people who chose to share.');
  });

  it('See it as a chart sends the asker the totals of the message as a chart, described with the numbers, and nothing about anyone', async () => {
    const { answer } = await team();
    expect(findButton(answer, 'See it as a chart').action_id).toBe('team_chart');
    h.slack.reset();
    const updated = await h.press(answer, 'See it as a chart', { userId: ASKER });
    expect(textOf(updated)).toContain('Your chart is in your direct messages with Competency');
    expect(textOf(updated)).toContain('Based on 5 people who chose to share.');

    const [file] = await h.slack.waitForFiles(1);
    if (!file) throw new Error('no file');
    expect(file.channelId).toMatch(/^D/);
    expect(h.slack.calls.find((c) => c.method === 'conversations.open')?.args.users).toBe(ASKER);
    expect(file.content.subarray(1, 4).toString('latin1')).toBe('PNG');
    // 4, 5, 3, 4, 2 against 4 for Composable Commerce Strategy; Supply Chain (below K) is left out.
    expect(file.altText).toContain(
      'Composable Commerce Strategy: 2 meet, 1 above, 2 below the expected level 4; median 4',
    );
    // The totals the message states, and no count by rating.
    expect(file.altText).not.toMatch(/\bat [1-5]\b/);
    expect(file.altText).not.toContain('Supply Chain Integration Architecture');
    for (const person of [...SHARERS.map(([p]) => p), KEEPS_PRIVATE, ELSEWHERE, ASKER])
      expect(`${file.altText} ${file.filename} ${file.title}`).not.toContain(person);
  });

  it('is refused to someone who is not a member of the channel', async () => {
    const { answer } = await team('team', 'U0NOTHERE01');
    expect(textOf(answer)).toContain('only while you are a member of it');
    expect(JSON.stringify(answer)).not.toContain('Based on');
  });

  it('tells the asker plainly when the app lacks the scope (installed before team views)', async () => {
    h.slack.failNext('conversations.members', 'missing_scope');
    const { answer } = await team();
    expect(textOf(answer)).toContain(
      'Ask whoever manages apps in your workspace to reinstall or update Competency',
    );
  });

  it('explains a channel Slack will not list', async () => {
    h.slack.failNext('conversations.members', 'channel_not_found');
    expect(textOf((await team()).answer)).toContain('/invite @Competency');
  });

  it('needs a channel or a user group: not a direct message', async () => {
    const responseUrl = h.slack.newResponseUrl();
    await sendSlashCommand(h.eventsUrl, SIGNING_SECRET, {
      command: '/competency',
      text: 'team',
      user_id: ASKER,
      channel_id: 'D0ASKER0001',
      channel_name: 'directmessage',
      response_url: responseUrl,
    });
    const posted = await h.slack.waitForResponseTo(responseUrl);
    expect(textOf(posted.body)).toContain('A team view is of a channel or a user group');
  });
});

describe('/competency team @group', () => {
  beforeAll(async () => {
    h.slack.setUserGroup('S0PLATFORM1', [...SHARERS.map(([id]) => id), KEEPS_PRIVATE], {
      handle: 'platform',
      name: 'Platform team',
    });
  });

  it('shows the user group, to anyone who asks, as a mention Slack sends or a typed handle', async () => {
    for (const text of ['team <!subteam^S0PLATFORM1|@platform>', 'team @platform']) {
      h.slack.reset();
      // The asker is not in the group.
      const { answer } = await team(text, 'U0OUTSIDER1');
      expect(textOf(answer), text).toContain('Team view · @platform');
      expect(textOf(answer), text).toContain('Based on 5 people who chose to share.');
      expect(h.slack.calls.some((c) => c.method === 'usergroups.users.list' && c.ok)).toBe(true);
      expect(answer.response_type).toBe('ephemeral');
    }
  });

  it('a group Slack does not know, or a handle no group has', async () => {
    expect(textOf((await team('team <!subteam^S0GONE00001|@gone>')).answer)).toContain(
      "Slack doesn't know that user group",
    );
    expect(textOf((await team('team @nobody')).answer)).toContain("couldn't find a user group called");
  });

  it('anything else after "team" (that is not a role either) gets the usage', async () => {
    const usage = (await h.command('team of everyone', { userId: ASKER })).json as Posted;
    expect(textOf(usage)).toContain('/competency team @group');
  });
});

describe('the team of another workspace', () => {
  it('counts only people of the asking workspace', async () => {
    // Same user ids, another workspace: their keys are T0OTHER…:U…, so nothing of theirs counts here,
    // and nothing of this workspace counts there.
    const responseUrl = h.slack.newResponseUrl();
    await sendSlashCommand(h.eventsUrl, SIGNING_SECRET, {
      command: '/competency',
      text: 'team',
      team_id: 'T0OTHERWS01',
      user_id: ASKER,
      channel_id: LOCAL_CHANNEL.id,
      response_url: responseUrl,
    });
    const posted = await h.slack.waitForResponseTo(responseUrl);
    expect(textOf(posted.body)).toContain('Not enough people in this channel have shared');
  });
});
