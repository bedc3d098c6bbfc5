import { beforeAll, describe, expect } from 'vitest';
import { sameForEveryOrg } from '../../src/frameworks/org-catalogs.js';
import { createLogger, LogLevel } from '../../src/log.js';
import { appHomeOpenedEnvelope } from '../../src/sandbox/event-envelopes.js';
import { blockActionPayload } from '../../src/sandbox/interaction-payloads.js';
import { sendEvent, sendInteraction, sendSlashCommand } from '../../src/sandbox/signing.js';
import { createReminderSender } from '../../src/slack/reminder-sender.js';
import { test } from '../support/fixtures.js';
import { postsTo } from '../support/waiting.js';
import {
  buttons,
  findButton,
  finishSeniorAssessment,
  type Harness,
  type Posted,
  pressInDm,
  SIGNING_SECRET,
  textOf,
} from './harness.js';

/**
 * Fewer dead ends (issue 19, part 6), through the real app over signed HTTP against the local
 * Slack: a mistyped subcommand is suggested, with a button that does what the command does; `compare`
 * alone offers the person's last role; help and the Home tab offer buttons (the last role, reviews to
 * do and asked for); history opens any past assessment as it was recorded; a check-in's summary says
 * what moved; Share to channel in the person's DM with the app says where to share, and posts
 * nothing. Each of these failed on the code before this part.
 */

/** A Wednesday at noon (UTC): the domain's clock, so dates in messages are known. */
const NOW = new Date('2026-01-14T12:00:00Z');
const LABELS = ['', '1 · Basic', '2 · Developing', '3 · Proficient', '4 · Advanced', '5 · Expert'];

const it = test.extend('harnessOptions', { scope: 'file' }, { now: () => NOW });

let h: Harness;
/** One app for the whole file, started and closed by the fixture: the tests build on each other's data. */
it.beforeAll(({ sharedHarness }) => {
  h = sharedHarness;
});

const key = (userId: string) => `${h.slack.team.id}:${userId}`;
const dmOf = (userId: string) => `D${userId.slice(1)}`;
/** The mrkdwn and plain texts of a message's blocks, one per line. */
const lines = (message: unknown) => textOf(message).split('\n');

/** `/competency <text>` as `userId`: the answer in the acknowledgement. */
async function command(text: string, userId: string): Promise<Posted> {
  const res = await h.command(text, { userId });
  expect(res.status).toBe(200);
  return res.json as Posted;
}

/**
 * `/competency <text>` typed in a direct message conversation: the answer, in the acknowledgement or,
 * when the app acknowledged first, through the response_url.
 */
async function commandInDm(text: string, userId: string, channelId: string): Promise<Posted> {
  const responseUrl = h.slack.newResponseUrl();
  const res = await sendSlashCommand(h.eventsUrl, SIGNING_SECRET, {
    command: '/competency',
    text,
    user_id: userId,
    channel_id: channelId,
    channel_name: 'directmessage',
    response_url: responseUrl,
  });
  expect(res.status).toBe(200);
  if (res.json !== undefined) return res.json as Posted;
  const posted = await h.slack.waitForResponseTo(responseUrl);
  expect(posted.ok).toBe(true);
  return posted.body as Posted;
}

/** The Home tab as the app publishes it when `userId` opens it. */
async function openHome(userId: string): Promise<Posted> {
  const before = h.slack.calls.filter((c) => c.method === 'views.publish').length;
  await sendEvent(h.eventsUrl, SIGNING_SECRET, appHomeOpenedEnvelope({ user: userId }));
  const published = (await h.slack.waitForCalls('views.publish', before + 1)).at(-1);
  expect(published?.ok).toBe(true);
  return published?.args.view as Posted;
}

/** Presses a button in the Home tab; returns the Home tab as the app published it then. */
async function clickHome(home: Posted, label: string, userId: string): Promise<Posted> {
  const button = findButton(home, label);
  const before = h.slack.calls.filter((c) => c.method === 'views.publish').length;
  const res = await sendInteraction(
    h.eventsUrl,
    SIGNING_SECRET,
    blockActionPayload({
      user: { id: userId },
      actionId: button.action_id,
      blockId: button.block_id,
      value: button.value,
      view: { id: 'V0HOME00001', type: 'home', blocks: home.blocks as unknown[] },
    }),
  );
  expect(res.status).toBe(200);
  const published = (await h.slack.waitForCalls('views.publish', before + 1)).at(-1);
  expect(published?.ok).toBe(true);
  expect(published?.args.user_id).toBe(userId);
  return published?.args.view as Posted;
}

describe('a mistyped subcommand: "Did you mean …?" first, with a button that does it', () => {
  const USER = 'U0TYPO00001';

  it.each([
    ['hlep', 'help', 'Competency frameworks in Slack'],
    ['histroy', 'history', 'Your assessment history'],
    ['reveiws', 'reviews', 'Reviews you asked for'],
    ['lsit', 'list', 'Solutions Architect'],
    ['fnid omnichannel', 'find omnichannel', 'Omnichannel Architecture'],
    ['comapre sa', 'compare sa', 'Compare levels · Solutions Architect'],
  ])('"/competency %s" → "/competency %s", and its button shows it', async (typed, meant, shows) => {
    const answer = await command(typed, USER);
    expect(lines(answer).slice(0, 2)).toEqual([
      `I don't know \`/competency ${typed}\`.`,
      `Did you mean \`/competency ${meant}\`?`,
    ]);
    expect(buttons(answer)[0]?.text).toBe(`/competency ${meant}`);
    const shown = await h.press(answer, `/competency ${meant}`, { userId: USER });
    expect(shown.replace_original).toBe(true);
    expect(textOf(shown)).toContain(shows);
  });

  it('"fogret" leads only to the confirmation: nothing is deleted until Delete my data', async () => {
    const user = 'U0TYPO00002';
    await finishSeniorAssessment(h, user, [3, 3, 3, 3, 3, 3, 3, 3]);
    const answer = await command('fogret', user);
    expect(lines(answer)[1]).toBe('Did you mean `/competency forget`?');
    const confirmation = await h.press(answer, '/competency forget', { userId: user });
    expect(textOf(confirmation)).toContain('This deletes everything this app keeps about you');
    expect(buttons(confirmation).map((b) => b.text)).toEqual(['Delete my data', 'Cancel']);
    expect((await h.store.get(key(user))).history).toHaveLength(1);
  });

  it('"shaer" shows the preview of the latest summary; nothing reaches the channel', async () => {
    const user = 'U0TYPO00003';
    await finishSeniorAssessment(h, user, [3, 3, 3, 3, 3, 3, 3, 3]);
    const answer = await command('shaer', user);
    expect(lines(answer)[1]).toBe('Did you mean `/competency share`?');
    const preview = await h.press(answer, '/competency share', { userId: user });
    expect(textOf(preview)).toContain('*Preview* — only you can see this.');
    expect(buttons(preview).map((b) => b.text)).toEqual(['Post it', 'Cancel']);
    await h.idle();
    expect(h.slack.responses.some((r) => r.body.response_type === 'in_channel')).toBe(false);
  });

  it('"exprot" sends the export, as the command does', async () => {
    const user = 'U0TYPO00004';
    await finishSeniorAssessment(h, user, [3, 3, 3, 3, 3, 3, 3, 3]);
    const answer = await command('exprot', user);
    expect(lines(answer)[1]).toBe('Did you mean `/competency export`?');
    const files = h.slack.files.length;
    const responseUrl = h.slack.newResponseUrl();
    await h.click(answer, '/competency export', { userId: user, responseUrl });
    // "Preparing your export…" first, in place of the suggestion; then the files; then what was sent.
    const said = (await postsTo(h.slack, responseUrl, 2)).map((r) => textOf(r.body));
    expect(said[0]).toContain('Preparing your export');
    expect(said[1]).toContain('competency-export-');
    const sent = h.slack.files.slice(files).map((f) => f.filename);
    expect(sent).toHaveLength(2);
    expect(sent.every((name) => name.startsWith('competency-export-'))).toBe(true);
  });

  it('the subcommand comes before the roles it might be; team has no button (it is typed in a channel)', async () => {
    const answer = await command('tem', USER);
    const text = lines(answer);
    expect(text.slice(0, 3)).toEqual([
      "I don't know `/competency tem`.",
      'Did you mean `/competency team`?',
      'Or one of these roles?',
    ]);
    expect(buttons(answer).some((b) => b.text.startsWith('/competency'))).toBe(false);
  });

  it('a mistyped role is still only a role', async () => {
    const answer = await command('solutons-architect senior', USER);
    expect(textOf(answer)).not.toContain("I don't know");
    expect(textOf(answer)).toContain('Did you mean `/competency solutions-architect senior`?');
  });
});

describe('/competency compare with no role', () => {
  it('with no history: a short usage with an example, and a button to the list', async () => {
    const answer = await command('compare', 'U0CMP000001');
    expect(lines(answer)[0]).toBe(
      '`/competency compare &lt;role&gt;` shows every level of a role side by side, and what changes from one to the next, e.g. `/competency compare developer`.',
    );
    expect(buttons(answer).map((b) => b.text)).toEqual(['See every framework']);
    expect(textOf(await h.press(answer, 'See every framework', { userId: 'U0CMP000001' }))).toContain(
      'Solutions Architect',
    );
  });

  it('offers the last role and level: "Compare Solutions Architect levels"', async () => {
    const user = 'U0CMP000002';
    await finishSeniorAssessment(h, user, [3, 3, 3, 3, 3, 3, 3, 3]);
    const answer = await command('compare', user);
    expect(lines(answer)[0]).toBe(
      'Compare the levels of which role? Yours last was *Solutions Architect · Senior* (E-commerce).',
    );
    expect(buttons(answer)[0]?.text).toBe('Compare Solutions Architect levels');
    const compared = await h.press(answer, 'Compare Solutions Architect levels', { userId: user });
    expect(textOf(compared)).toContain('Compare levels · Solutions Architect');
    expect(textOf(compared)).toContain('Senior → Lead-Principal');
  });
});

describe('help offers buttons', () => {
  it('Continue rating where the person stopped, and their reviews, from help', async () => {
    const user = 'U0HELP00001';
    const framework = await command('solutions-architect senior', user);
    let step = await h.press(framework, 'Rate yourself', { userId: user });
    step = await h.press(step, LABELS[3] ?? '', { userId: user });
    step = await h.press(step, LABELS[3] ?? '', { userId: user });
    const help = await command('help', user);
    expect(buttons(help).map((b) => b.text)).toEqual([
      'See Solutions Architect · Senior',
      'Continue rating (3 of 8)',
      'See every framework',
      'My history',
      'Reviews I asked for',
      'Export my data',
      'Delete my data…',
    ]);
    const resumed = await h.press(help, 'Continue rating (3 of 8)', { userId: user });
    expect(textOf(resumed)).toContain('3 of 8');
    const reviews = await h.press(help, 'Reviews I asked for', { userId: user });
    expect(textOf(reviews)).toContain('Reviews you asked for');
    const seen = await h.press(help, 'See Solutions Architect · Senior', { userId: user });
    expect(textOf(seen)).toContain('Expected at Senior');
  });
});

describe('the Home tab: the last role, reviews to do and reviews asked for, as buttons', () => {
  const ALICE = 'U0HOMEALICE';
  const BOB = 'U0HOMEBOB01';

  it('remembers the last role: Rate yourself again, See my level', async () => {
    await finishSeniorAssessment(h, ALICE, [3, 3, 3, 3, 3, 3, 3, 3]);
    const home = await openHome(ALICE);
    expect(textOf(home)).toContain('*Your role: Solutions Architect · Senior* (E-commerce)');
    expect(buttons(home).map((b) => b.text)).toEqual(
      expect.arrayContaining(['Rate yourself again', 'See my level', 'Compare levels', 'My latest summary']),
    );
    const level = await clickHome(home, 'See my level', ALICE);
    expect(textOf(level)).toContain('Expected at Senior');
    expect(buttons(level).at(-1)?.text).toBe('← Home');
    const again = await clickHome(await openHome(ALICE), 'Rate yourself again', ALICE);
    expect(textOf(again)).toContain('1 of 8');
  });

  it('lists the review a colleague asked for with Start, and the asker’s request with Withdraw', async () => {
    await finishSeniorAssessment(h, BOB, [4, 4, 4, 4, 4, 4, 4, 4]);
    const asked = h.slack.newResponseUrl();
    await h.command(`ask <@${ALICE}|alice>`, { userId: BOB, responseUrl: asked });
    await h.slack.waitForResponseTo(asked);

    const alices = await openHome(ALICE);
    expect(textOf(alices)).toContain('*Reviews to do* · colleagues asked you to rate them');
    expect(textOf(alices)).toContain(
      `<@${BOB}> asks you to rate them against *Solutions Architect · Senior*`,
    );
    const step = await clickHome(alices, 'Start', ALICE);
    expect(textOf(step)).toContain(`How would you rate <@${BOB}> on this today?`);
    expect(textOf(step)).toContain('1 of 8');

    const bobs = await openHome(BOB);
    expect(textOf(bobs)).toContain('*Reviews you asked for*');
    expect(textOf(bobs)).toContain(`<@${ALICE}> · rating you now`);
    const withdrawn = await clickHome(bobs, 'Withdraw', BOB);
    expect(textOf(withdrawn)).toContain(`Withdrawn: <@${ALICE}> can no longer rate you`);
    // Alice has nothing left to do.
    expect(textOf(await openHome(ALICE))).not.toContain('*Reviews to do*');
  });
});

describe('history opens a past assessment as it was recorded', () => {
  it('Open shows its own summary, with the expectations stored then, and History goes back', async () => {
    const user = 'U0HISTORY01';
    await finishSeniorAssessment(h, user, [3, 3, 3, 3, 3, 3, 3, 3]);
    await finishSeniorAssessment(h, user, [5, 5, 5, 5, 5, 5, 5, 5]);
    // The first was made against other expectations and another name: the record is a snapshot.
    await h.store.update(key(user), (d) => {
      const first = d.history[0]?.competencies[0];
      if (!first) throw new Error('no record');
      first.name = 'Composable Commerce (as it was called then)';
      first.expected = 2;
    });
    const history = await command('history', user);
    const opens = buttons(history).filter((b) => b.text === 'Open');
    expect(opens).toHaveLength(2);
    const older = opens[1];
    if (!older) throw new Error('no Open');
    const opened = await h.press(history, older.action_id, {
      userId: user,
      value: older.value,
    });
    const text = textOf(opened);
    expect(text).toContain('From your history: this assessment as you recorded it on');
    expect(text).toContain(
      '*Composable Commerce (as it was called then)*  ·  :large_blue_circle: 1 above\nYou ▰▰▰▱▱ 3/5  ·  Expected ▰▰▱▱▱ 2/5',
    );
    expect(text).not.toContain('You ▰▰▰▰▰ 5/5');
    expect(buttons(opened).map((b) => b.text)).toEqual(
      expect.arrayContaining(['Share to channel', 'History', 'Include in team views', 'See it as a chart']),
    );
    // Share to channel shares this one.
    const preview = await h.press(opened, 'Share to channel', { userId: user });
    expect(textOf(preview)).toContain('Composable Commerce (as it was called then)');
    const back = await h.press(opened, 'History', { userId: user });
    expect(textOf(back)).toContain('Your assessment history');
  });
});

describe('a check-in in the DM with the app', () => {
  const USER = 'U0CHECKIN01';
  let summary: Posted;

  beforeAll(async () => {
    const first = await finishSeniorAssessment(h, USER, [3, 2, 3, 3, 3, 3, 3, 3]);
    await h.press(first, 'reminder_cadence:monthly', { userId: USER });
    const reminder = (await h.store.get(key(USER))).reminder;
    if (!reminder) throw new Error('no reminder');
    const send = createReminderSender({
      frameworks: sameForEveryOrg(h.catalog),
      clientFor: async () => ({ client: h.app.client }),
      logger: createLogger(LogLevel.ERROR, () => {}),
      now: () => NOW,
    });
    expect(await send(key(USER), reminder, await h.store.get(key(USER)))).toMatchObject({ kind: 'sent' });
    const sent = h.slack.calls
      .filter((c) => c.method === 'chat.postMessage' && c.args.channel === USER)
      .at(-1);
    if (!sent) throw new Error('no reminder sent');
    let step = { ts: sent.ts, text: sent.args.text, blocks: sent.args.blocks } as Posted;
    for (const rating of [4, 3, 3, 3, 3, 3, 3, 3])
      step = await pressInDm(h, step, LABELS[rating] ?? '', USER);
    summary = step;
  });

  it('the summary says what moved since the assessment before it', async () => {
    const before = (await h.store.get(key(USER))).history[0]?.finishedAt ?? '';
    const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(before),
    );
    expect(lines(summary)).toContain(
      `Since <!date^${Math.floor(Date.parse(before) / 1000)}^{date_pretty}|${day}>: Composable Commerce Strategy 3 → 4, Omnichannel Architecture 2 → 3; 6 unchanged.`,
    );
    expect(textOf(summary)).toContain('Check-in done');
  });

  it('Share to channel there posts nothing, and says under its buttons how to share', async () => {
    const responses = h.slack.responses.length;
    const shared = await pressInDm(h, summary, 'Share to channel', USER);
    const blocks = shared.blocks as { block_id?: string }[];
    const note = blocks.findIndex((b) => b.block_id === 'click_note');
    expect(blocks[note - 1]?.block_id).toBe('summary_actions');
    expect(textOf({ blocks: [blocks[note]] })).toBe(
      ':speech_balloon: Sharing posts your summary in a channel, for the people there to see; this conversation is only between you and the app, so nothing was posted. To share, go to the channel and type `/competency share` there: you will see a preview first.',
    );
    // The summary is still the summary; no preview, nothing posted anywhere.
    expect(textOf(shared)).toContain('Your self-assessment');
    expect(buttons(shared).some((b) => b.text === 'Post it')).toBe(false);
    await h.idle();
    expect(h.slack.responses.length).toBe(responses);
    expect(h.slack.messagesIn(dmOf(USER))).toHaveLength(1);
  });

  it('/competency share typed in the DM with the app says the same; in a DM with a colleague it previews', async () => {
    const inAppDm = await commandInDm('share', USER, dmOf(USER));
    expect(textOf(inAppDm)).toContain(
      'this conversation is only between you and the app, so nothing was posted',
    );
    expect(buttons(inAppDm).some((b) => b.text === 'Post it')).toBe(false);

    const withColleague = await commandInDm('share', USER, 'D0COLLEAGUE');
    expect(buttons(withColleague).map((b) => b.text)).toEqual(['Post it', 'Cancel']);
  });

  it('Share to channel on a private summary in the DM with the app says the same; in a channel it previews', async () => {
    const history = await command('history', USER);
    // The latest summary, opened from the history: a private message.
    const opened = await h.press(history, 'Open', { userId: USER });
    /** Share to channel on it, pressed as if the message were in the channel `channelId`. */
    const pressAt = (channelId: string) =>
      h.press(opened, 'Share to channel', {
        userId: USER,
        payload: {
          channel: { id: channelId, name: channelId.startsWith('D') ? 'directmessage' : 'general' },
        },
      });
    const inDm = await pressAt(dmOf(USER));
    expect(textOf(inDm)).toContain('so nothing was posted');
    expect(textOf(inDm)).toContain('Your self-assessment');
    const inChannel = await pressAt('C0LOCAL0001');
    expect(buttons(inChannel).map((b) => b.text)).toEqual(['Post it', 'Cancel']);
  });
});
