import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Framework } from '../../src/frameworks/schema.js';
import { validateMessage } from '../../src/sandbox/block-kit.js';
import {
  blockActionPayload,
  sendInteraction,
  sendSlashCommand,
  viewSubmissionPayload,
} from '../../src/sandbox/signing.js';
import { ActionId, ActionRoute, routeMatches } from '../../src/slack/ids.js';
import { decodeValue, StartValue } from '../../src/slack/values.js';
import { rateAllModal } from '../../src/slack/views/rate-all.js';
import { type Harness, SIGNING_SECRET, startHarness, textOf } from '../integration/harness.js';
import {
  dataFileBytes,
  isObject,
  mrkdwnTexts,
  personOf,
  personOnDisk,
  sameBytes,
  unescapedInjections,
} from './helpers.js';

/**
 * Random and malicious input, correctly signed (so it reaches the app's listeners), against the real
 * app over HTTP with a real lowdb store. For every input: an HTTP 200, every message the app sends is
 * valid Block Kit (the local Slack checks each one), nothing the input injected appears as a live
 * mention or link, and nothing is written except by a click that is legitimately valid.
 */

const FRAMEWORK_ID = 'solutions-architect.e-commerce';
const LABELS = ['', '1 · Basic', '2 · Developing', '3 · Proficient', '4 · Advanced', '5 · Expert'];
/** Someone with a finished assessment, so commands also go through history and share previews. */
const RATED = 'U0RATED0001';
/** The id of RATED's finished assessment, a value share buttons may carry. */
let ratedRecordId = 'x';
/**
 * Fixed, so a run is repeatable and a failure can be replayed. To explore further:
 * `FUZZ_SEED=<n> FUZZ_SCALE=10 npx vitest run test/reliability/fuzz.test.ts` (SCALE multiplies the runs).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_127);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const runs = (n: number) => ({ numRuns: Math.round(n * SCALE), seed: SEED });
const TIMEOUT = 20_000 * SCALE;

let h: Harness;
let framework: Framework;
let seq = 0;
/** A user the app has never seen: each run of a property is a person who has never rated anything. */
const freshUser = () => `U0FZ${(seq++).toString(36).toUpperCase().padStart(7, '0')}`;

beforeAll(async () => {
  h = await startHarness();
  const found = h.catalog.get(FRAMEWORK_ID);
  if (!found) throw new Error(`no framework ${FRAMEWORK_ID}`);
  framework = found;
  const answer = (await h.command('sa senior', { userId: RATED })).json;
  let step = await h.clickFor(answer, 'Rate yourself', { userId: RATED });
  for (const r of [4, 5, 2, 4, 3, 2, 3, 1]) step = await h.clickFor(step, LABELS[r] ?? '', { userId: RATED });
  if (!textOf(step).includes('at or above Senior expectations'))
    throw new Error('the setup assessment did not finish');
  ratedRecordId = (await personOf(h, RATED)).history[0]?.id ?? 'x';
}, 20_000);

afterAll(async () => {
  await h?.close();
});

// ---------------------------------------------------------------------------------------------
// What is checked after each request

type Mark = {
  bytes: Buffer | null;
  writes: number;
  responses: number;
  calls: number;
  logs: number;
};

async function mark(): Promise<Mark> {
  return {
    bytes: await dataFileBytes(h),
    writes: (await h.store.health()).writes,
    responses: h.slack.responses.length,
    calls: h.slack.calls.length,
    logs: h.logs.length,
  };
}

/** Everything the app sent since `m`: response_url posts and Web API calls, each valid Block Kit. */
function expectValidOutputSince(m: Mark, input: string, userId: string): void {
  for (const post of h.slack.responses.slice(m.responses)) {
    expect(
      post.problems ?? [],
      `Block Kit problems in a response_url post: ${JSON.stringify(post.body)}`,
    ).toEqual([]);
    expect(post.ok, `a response_url post was refused: ${JSON.stringify(post)}`).toBe(true);
    // Private by default: nothing here ever presses Post it, so nothing may reach the channel.
    expect(post.body.response_type, 'posted in the channel').not.toBe('in_channel');
    expect(unescapedInjections(mrkdwnTexts(post.body), input, [userId])).toEqual([]);
  }
  for (const call of h.slack.calls.slice(m.calls)) {
    expect(call.problems ?? [], `Block Kit problems in ${call.method}`).toEqual([]);
    expect(unescapedInjections(mrkdwnTexts(call.args), input, [userId])).toEqual([]);
  }
}

/** An ERROR line means a listener caught a failure of its own (a TypeError on odd input, say). */
function errorsLoggedSince(m: Mark): string[] {
  return h.logs.slice(m.logs).filter((line) => / ERROR /.test(line));
}

async function expectNothingWrittenSince(m: Mark): Promise<void> {
  expect(sameBytes(m.bytes, await dataFileBytes(h)), 'the data file changed').toBe(true);
  expect((await h.store.health()).writes, 'the store wrote').toBe(m.writes);
}

async function expectNormalCommandWorks(): Promise<void> {
  const res = await h.command('sa senior', { userId: RATED });
  expect(res.status).toBe(200);
  expect(textOf(res.json)).toContain('Composable Commerce Strategy');
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** Slack control sequences and mrkdwn that must never come out live, and words that steer the parser. */
const TOKENS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!here|here>',
  '<@U123>',
  '<@U0OTHER0001|bob>',
  '<#C123|general>',
  '<http://x|y>',
  '<https://evil.example/login|Sign in again>',
  '<HTTP://EVIL.EXAMPLE>',
  '<mailto:a@evil.example|mail>',
  '<!subteam^S1>',
  '<!subteam^S1|@admins>',
  '<!date^1700000000^{date}|x>',
  '<',
  '>',
  '&',
  '&lt;',
  '&gt;',
  '&amp;',
  '&lt;!channel&gt;',
  '`',
  '```',
  '*',
  '_',
  '~',
  '>>>',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u0007',
  '\u202e',
  '\u200b',
  '\ufeff',
  '🙂',
  'e\u0301',
  '%0A',
  '+',
  '=',
  '"',
  '\\',
  '{"f":1}',
  '__proto__',
  'constructor',
  'sa',
  'senior',
  'sr',
  'mid',
  'lead',
  'solutions-architect',
  'Solutions Architect',
  'e-commerce',
  'compare',
];
/** First words that take the command down each of its paths. */
const FIRST_WORDS = [
  '',
  'help',
  '?',
  'list',
  'history',
  'share',
  'forget',
  'compare',
  'compare sa',
  'export',
  'sa',
  'sa senior',
  'solutions-architect',
  'solutons-architect',
  'sa e-commerce',
];

const token = fc.constantFrom(...TOKENS);
const maliciousText = fc
  .tuple(
    fc.constantFrom(...FIRST_WORDS),
    fc.array(fc.oneof({ weight: 3, arbitrary: token }, { weight: 1, arbitrary: fc.string() }), {
      maxLength: 12,
    }),
    fc.constantFrom(' ', '', '\n', '  '),
  )
  .map(([first, parts, sep]) => [first, ...parts].join(sep));
const arbitraryText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.string({ unit: 'binary-ascii', maxLength: 300 }),
);
const TEN_K = 10_000;
/** Characters the lookup splits words at. */
const SEPARATOR = /[\s\-_,;:./|]/;
const unbroken = fc.constantFrom(...TOKENS.filter((t) => !SEPARATOR.test(t)));
const tenK = (t: string) => t.repeat(Math.ceil(TEN_K / t.length)).slice(0, TEN_K);
/**
 * 10,000 characters in few words. Long text of MANY short words is left out while the framework
 * lookup takes cubic time in the number of words: see 'answers a long command in good time' below.
 */
const longText = fc.oneof(
  fc.string({ unit: 'binary', minLength: TEN_K, maxLength: TEN_K }),
  unbroken.map(tenK),
  fc
    .tuple(fc.constantFrom('sa ', 'compare ', 'sa senior ', 'list ', 'share ', ''), unbroken)
    .map(([prefix, t]) => prefix + tenK(t)),
  fc
    .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 })
    .map((t) => tenK(t.replace(new RegExp(SEPARATOR.source, 'g'), 'x'))),
);

describe('the checks themselves', () => {
  it("find a control sequence left raw, and let escaped text and the app's own sequences through", () => {
    const message = {
      text: 'fallback <!here>',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'hi <@U0ME> at <!date^1700000000^{date}|then>' } },
        { type: 'section', fields: [{ type: 'mrkdwn', text: 'x <https://evil.example|y>' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '&lt;!channel&gt; &lt;@U1&gt;' }] },
        { type: 'header', text: { type: 'plain_text', text: '<!channel> in plain text is not parsed' } },
      ],
    };
    expect(unescapedInjections(mrkdwnTexts(message), 'anything', ['U0ME'])).toEqual([
      '<!here>',
      '<https://evil.example|y>',
    ]);
    // The app's own mention, when the input carried exactly it, counts as echoed.
    expect(unescapedInjections(['<@U0ME>'], 'say <@U0ME>', ['U0ME'])).toEqual(['<@U0ME>']);
    expect(unescapedInjections(['<@U0ME>'], 'say hi', ['U0ME'])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Slash commands

async function checkCommand(text: string, userId: string): Promise<void> {
  const m = await mark();
  const res = await sendSlashCommand(h.eventsUrl, SIGNING_SECRET, {
    command: '/competency',
    text,
    user_id: userId,
    response_url: h.slack.newResponseUrl(),
  });
  expect(res.status).toBe(200);
  if (res.text !== '') {
    expect(res.json, `the answer is not JSON: ${res.text.slice(0, 200)}`).toBeDefined();
    expect(validateMessage(res.json)).toEqual([]);
    expect((res.json as { response_type?: unknown }).response_type).toBe('ephemeral');
    expect(unescapedInjections(mrkdwnTexts(res.json), text, [userId])).toEqual([]);
  }
  expectValidOutputSince(m, text, userId);
  expect(errorsLoggedSince(m)).toEqual([]);
  await expectNothingWrittenSince(m);
}

const commandUser = fc.constantFrom('U0FZCMD0001', RATED);

describe('/competency with random and malicious text', () => {
  it(
    'arbitrary unicode text',
    async () => {
      await fc.assert(
        fc.asyncProperty(arbitraryText, commandUser, (text, userId) => checkCommand(text, userId)),
        runs(150),
      );
      await expectNormalCommandWorks();
    },
    TIMEOUT,
  );

  it(
    'mrkdwn, mentions, links and control characters, after each subcommand',
    async () => {
      await fc.assert(
        fc.asyncProperty(maliciousText, commandUser, (text, userId) => checkCommand(text, userId)),
        runs(250),
      );
      await expectNormalCommandWorks();
    },
    TIMEOUT,
  );

  it(
    '10,000-character text',
    async () => {
      await fc.assert(
        fc.asyncProperty(longText, commandUser, (text, userId) => checkCommand(text, userId)),
        runs(24),
      );
      await expectNormalCommandWorks();
    },
    TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------------
// block_actions

const REGISTERED = Object.values(ActionId);
/** Whether Bolt hands this action id to the listener of the button `id` (its route in ids.ts). */
const routedTo = (actionId: string, id: string) => {
  const name = (Object.keys(ActionId) as (keyof typeof ActionId)[]).find((k) => ActionId[k] === id);
  return name !== undefined && routeMatches(ActionRoute[name], actionId);
};

/** Strings that look like the ids buttons carry, and strings that do not. */
function idLike(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      FRAMEWORK_ID,
      framework.version,
      ...framework.levels.map((l) => l.id),
      ...framework.competencies.map((c) => c.id),
      'U0OTHER0001',
      RATED,
      '__proto__',
      'constructor',
      '',
    ),
    fc.string(),
    fc.string({ unit: 'binary', maxLength: 60 }),
    token,
  );
}

function buttonValue(): fc.Arbitrary<string | undefined> {
  const anyJson = fc.jsonValue({ maxDepth: 4 });
  const field = fc.oneof(idLike(), anyJson);
  const levelId = fc.constantFrom(...framework.levels.map((l) => l.id));
  const competencyId = fc.constantFrom(...framework.competencies.map((c) => c.id));
  const choice = fc.constantFrom<unknown>(
    1,
    2,
    3,
    4,
    5,
    'na',
    'skip',
    'back',
    0,
    6,
    -1,
    2.5,
    '3',
    null,
    'NA',
  );
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 2, arbitrary: maliciousText },
    // Well-formed JSON of the wrong shape, or of the right shape with wrong types.
    { weight: 2, arbitrary: anyJson.map((v) => JSON.stringify(v)) },
    {
      weight: 3,
      arbitrary: fc
        .record(
          {
            f: field,
            l: field,
            v: field,
            s: field,
            c: field,
            a: fc.oneof(choice, anyJson),
            r: field,
            id: field,
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    },
    // Values a real button of this app carries, with a person's id added (values never name a person).
    {
      weight: 2,
      arbitrary: fc
        .record({
          f: fc.constant(FRAMEWORK_ID),
          l: levelId,
          r: fc.constantFrom(1, undefined, 2, '1'),
          u: fc.constantFrom('U0OTHER0001', RATED),
          user: fc.constantFrom(RATED, undefined),
        })
        .map((v) => JSON.stringify(v)),
    },
    // A rating click from someone who never started rating (session ids cannot be guessed).
    {
      weight: 2,
      arbitrary: fc
        .record({
          f: fc.constant(FRAMEWORK_ID),
          v: fc.constantFrom(framework.version, 'old'),
          s: fc.string({ minLength: 1, maxLength: 40 }),
          c: competencyId,
          a: choice,
          u: fc.constantFrom('U0OTHER0001', RATED),
        })
        .map((v) => JSON.stringify(v)),
    },
    // Someone else's assessment id, or a made-up one.
    {
      weight: 1,
      arbitrary: fc
        .record({ id: fc.oneof(fc.constant(ratedRecordId), fc.string()) })
        .map((v) => JSON.stringify(v)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'x'.repeat(100_000),
        JSON.stringify({ f: FRAMEWORK_ID, l: 'x'.repeat(100_000) }),
        JSON.stringify({ id: '<!channel>'.repeat(10_000) }),
        `sa ${'<!here>'.repeat(14_000)}`,
        '['.repeat(50_000),
      ),
    },
  );
}

/**
 * Values close to what a real button with this action id carries, so that clicks get past the first
 * check and into the listener's work: a known framework and level with a wrong field or an extra person
 * id, a rating for a run that was never started, the assessment id of someone else.
 */
function fittingValue(actionId: string): fc.Arbitrary<string> {
  const levelIds = framework.levels.map((l) => l.id);
  const competencyIds = framework.competencies.map((c) => c.id);
  const often = <T>(good: fc.Arbitrary<T>, other: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: other });
  const someoneElse = fc.constantFrom(undefined, 'U0OTHER0001', RATED);
  const json = (record: fc.Arbitrary<Record<string, unknown>>) => record.map((v) => JSON.stringify(v));
  if (
    [ActionId.startAssessment, ActionId.compareLevels, ActionId.rateAll].some((n) => routedTo(actionId, n))
  ) {
    return json(
      fc.record(
        {
          f: often(fc.constant(FRAMEWORK_ID), idLike()),
          l: often(fc.constantFrom(...levelIds), idLike()),
          r: fc.constantFrom<unknown>(1, 2, '1', true, null),
          u: someoneElse,
        },
        { requiredKeys: ['f', 'l'] },
      ),
    );
  }
  if (routedTo(actionId, ActionId.answer)) {
    return json(
      fc.record({
        f: often(fc.constant(FRAMEWORK_ID), idLike()),
        v: often(fc.constant(framework.version), idLike()),
        s: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constant(ratedRecordId)),
        c: often(fc.constantFrom(...competencyIds), idLike()),
        a: often(fc.constantFrom<unknown>(1, 2, 3, 4, 5, 'na', 'skip', 'back'), fc.jsonValue()),
        u: someoneElse,
      }),
    );
  }
  if ([ActionId.sharePreview, ActionId.sharePost, ActionId.shareCancel].some((n) => routedTo(actionId, n))) {
    return json(
      fc.record({
        id: often(fc.constant(ratedRecordId), idLike()),
        u: someoneElse,
      }),
    );
  }
  // framework_show, framework_view: the text to look up.
  return fc.oneof(maliciousText, fc.constantFrom('sa senior', 'solutions-architect mid', 'sa', 'compare sa'));
}

function actionElement(actionId: string): fc.Arbitrary<Record<string, unknown>> {
  const value = fc.oneof(
    { weight: 1, arbitrary: buttonValue() },
    { weight: 1, arbitrary: fittingValue(actionId) },
  );
  const text = fc.string({ maxLength: 80 });
  const option = fc.oneof(
    fc.record({ text: fc.record({ type: fc.constant('plain_text'), text }), value }),
    fc.record({ value: fc.jsonValue({ maxDepth: 3 }) }),
    fc.constant(null),
  );
  const base = { action_id: actionId, block_id: 'fuzz_block', action_ts: '1700000000.000100' };
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({ value, label: text }).map(({ value: v, label }) => ({
        ...base,
        type: 'button',
        text: { type: 'plain_text', text: label, emoji: true },
        ...(v === undefined ? {} : { value: v }),
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({
          type: fc.constantFrom('static_select', 'overflow', 'radio_buttons'),
          selected_option: option,
        })
        .map((a) => ({ ...base, ...a })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          type: fc.constantFrom('checkboxes', 'multi_static_select'),
          selected_options: fc.array(option, { maxLength: 3 }),
        })
        .map((a) => ({ ...base, ...a })),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.record({
            type: fc.constant('users_select'),
            selected_user: fc.constantFrom('U0OTHER0001', RATED),
          }),
          fc.record({ type: fc.constant('datepicker'), selected_date: fc.string() }),
          fc.record({ type: fc.constant('plain_text_input'), value: fc.string() }),
          fc.record({ type: fc.string(), value: fc.jsonValue({ maxDepth: 3 }) }),
        )
        .map((a) => ({ ...base, ...a })),
    },
  );
}

type Surface = 'ephemeral' | 'message' | 'home';

/** Fields Slack may leave out or set to null (`team` is null for some org-wide installs). */
type Odd = 'team null' | 'no block_id' | 'no action_ts' | 'no message ts';

type Click = { actionId: string; action: Record<string, unknown>; surface: Surface; odd: Odd[] };

/**
 * Clicks on every registered action id, with and without a `:suffix`: some match a listener's
 * route exactly, the rest get the fallback's answer (see the focused test below).
 */
function clicks(): fc.Arbitrary<Click> {
  const actionId = fc
    .tuple(
      fc.constantFrom(...REGISTERED),
      fc.option(fc.oneof(fc.constantFrom('senior', 'mid', '1', ''), fc.string({ maxLength: 40 })), {
        nil: undefined,
      }),
    )
    .map(([id, suffix]) => (suffix === undefined ? id : `${id}:${suffix}`));
  return actionId.chain((id) =>
    fc.record({
      actionId: fc.constant(id),
      action: actionElement(id),
      // View this framework exists only on posts in a channel, so Slack never sends it from the Home tab.
      surface: routedTo(id, ActionId.viewFramework)
        ? fc.constantFrom<Surface>('ephemeral', 'message')
        : fc.constantFrom<Surface>('ephemeral', 'ephemeral', 'message', 'home'),
      odd: fc.subarray<Odd>(['team null', 'no block_id', 'no action_ts', 'no message ts']),
    }),
  );
}

function clickPayload(click: Click, userId: string, responseUrl: string): Record<string, unknown> {
  const payload = blockActionPayload({
    user: { id: userId },
    actionId: click.actionId,
    blockId: 'fuzz_block',
    responseUrl,
    ...(click.surface === 'message'
      ? { message: { type: 'message', ts: '1700000000.000200', text: 'x', blocks: [] } }
      : {}),
  });
  const action = { ...click.action };
  if (click.odd.includes('no block_id')) delete action.block_id;
  if (click.odd.includes('no action_ts')) delete action.action_ts;
  payload.actions = [action];
  if (click.odd.includes('team null')) payload.team = null;
  if (click.odd.includes('no message ts') && isObject(payload.container)) delete payload.container.message_ts;
  if (click.surface === 'home') {
    // A click in the Home tab: no response_url; the answer is published to the Home tab.
    delete payload.response_url;
    payload.container = { type: 'view', view_id: 'V0HOMEFUZZ1' };
    payload.view = { id: 'V0HOMEFUZZ1', type: 'home', blocks: [], hash: '1', private_metadata: '' };
    delete payload.channel;
  }
  return payload;
}

/** A Rate yourself click that a real button could carry: it may start a run (a draft), nothing more. */
function isValidStart(click: Click): boolean {
  if (!routedTo(click.actionId, ActionId.startAssessment) || click.action.type !== 'button') return false;
  const raw = click.action.value;
  const value = decodeValue(StartValue, typeof raw === 'string' ? raw : undefined);
  const found = value ? h.catalog.get(value.f) : undefined;
  return found?.levels.some((l) => l.id === value?.l) ?? false;
}

async function checkClick(click: Click): Promise<void> {
  const userId = freshUser();
  const m = await mark();
  const payload = clickPayload(click, userId, h.slack.newResponseUrl());
  const input = JSON.stringify(payload);
  const res = await sendInteraction(h.eventsUrl, SIGNING_SECRET, payload);
  expect(res.status).toBe(200);
  expect(res.text).toBe('');
  expectValidOutputSince(m, input, userId);

  expect(errorsLoggedSince(m)).toEqual([]);

  const person = await personOf(h, userId);
  expect(person.ratings, 'a random click created ratings').toEqual({});
  expect(person.history, 'a random click created an assessment').toEqual([]);
  if (routedTo(click.actionId, ActionId.forgetConfirm)) {
    // Forgetting someone with no data may rewrite the file, but must leave nothing of them.
    expect(Object.keys(person.drafts)).toEqual([]);
    const onDisk = await personOnDisk(h, userId);
    expect(
      onDisk === undefined || (Object.keys(onDisk.drafts).length === 0 && onDisk.history.length === 0),
    ).toBe(true);
  } else if (isValidStart(click)) {
    expect(Object.keys(person.drafts)).toEqual([FRAMEWORK_ID]);
  } else {
    expect(person.drafts, 'a random click started a run').toEqual({});
    await expectNothingWrittenSince(m);
  }
}

describe('block_actions with random and malicious payloads, for every registered action id', () => {
  it(
    'acks, answers with valid Block Kit, echoes nothing live, writes nothing it should not',
    async () => {
      await fc.assert(fc.asyncProperty(clicks(), checkClick), runs(800));
      await expectNormalCommandWorks();
    },
    TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------------
// view_submission of the Rate all form

function rateAllValues(): {
  junkMeta: fc.Arbitrary<string>;
  validMeta: fc.Arbitrary<string>;
  entries: fc.Arbitrary<[string, unknown][]>;
  poison: fc.Arbitrary<[string, unknown]>;
  allEmpty: fc.Arbitrary<[string, unknown][]>;
} {
  const competencyIds = framework.competencies.map((c) => c.id);
  const levelIds = framework.levels.map((l) => l.id);
  const real = fc.constantFrom(...competencyIds);
  // An empty id (`competency:`) is not a competency block: the app skips it like any other block.
  // `__proto__` is left out here: it is the subject of its own test below (a known bug).
  const unknown = idLike().filter((id) => id !== '' && !competencyIds.includes(id) && id !== '__proto__');
  const validChoice = fc.constantFrom('1', '2', '3', '4', '5', 'na');
  const junkChoice = fc
    .oneof(fc.string(), token, fc.constantFrom('0', '6', ' 3', '3 ', '3\n', 'NA', '1.0', '', '١'))
    .filter((s) => !/^[1-5]$/.test(s) && s !== 'na');
  const select = (value: fc.Arbitrary<unknown>) =>
    value.map((v) => ({
      rating: {
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: String(v).slice(0, 20) }, value: v },
      },
    }));
  const emptyField = fc.constantFrom<unknown>(
    { rating: { type: 'static_select', selected_option: null } },
    { rating: { type: 'static_select' } },
    { other: { type: 'plain_text_input', value: '3' } },
    {},
  );
  const entry: fc.Arbitrary<[string, unknown]> = fc.oneof(
    fc.tuple(
      real.map((id) => `competency:${id}`),
      select(validChoice),
    ),
    fc.tuple(
      real.map((id) => `competency:${id}`),
      select(fc.oneof(junkChoice, fc.jsonValue({ maxDepth: 2 }))),
    ),
    fc.tuple(
      real.map((id) => `competency:${id}`),
      emptyField,
    ),
    fc.tuple(
      unknown.map((id) => `competency:${id}`),
      select(validChoice),
    ),
    fc.tuple(idLike(), select(validChoice)),
  );
  const meta = (f: fc.Arbitrary<unknown>, v: fc.Arbitrary<unknown>, l: fc.Arbitrary<unknown>) =>
    fc.record(
      {
        f,
        v,
        l,
        u: fc.oneof(fc.constant(h.slack.newResponseUrl()), idLike(), fc.constant('javascript:alert(1)')),
      },
      { requiredKeys: ['f', 'v', 'l'] },
    );
  const anyJson = fc.jsonValue({ maxDepth: 3 });
  return {
    junkMeta: fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary', maxLength: 200 }),
      maliciousText,
      anyJson.map((v) => JSON.stringify(v)),
      fc.constant('x'.repeat(5000)),
      // The right shape with something wrong: an unknown framework, an older version, an unknown level.
      meta(fc.oneof(idLike(), anyJson), fc.oneof(idLike(), anyJson), fc.oneof(idLike(), anyJson))
        .filter((m) => !(m.f === FRAMEWORK_ID && m.v === framework.version && levelIds.includes(String(m.l))))
        .map((m) => JSON.stringify(m)),
    ),
    validMeta: meta(fc.constant(FRAMEWORK_ID), fc.constant(framework.version), fc.constantFrom(...levelIds))
      .filter((m) => typeof m.u !== 'string' || m.u.startsWith('http://127.0.0.1'))
      .map((m) => JSON.stringify(m)),
    entries: fc.array(entry, { maxLength: 10 }),
    poison: fc.oneof(
      fc.tuple(
        real.map((id) => `competency:${id}`),
        select(junkChoice),
      ),
      fc.tuple(
        unknown.map((id) => `competency:${id}`),
        select(validChoice),
      ),
    ),
    allEmpty: fc.array(
      fc.tuple(
        real.map((id) => `competency:${id}`),
        emptyField,
      ),
      { maxLength: 8 },
    ),
  };
}

type Submission = { meta: string; entries: [string, unknown][]; withBlocks: boolean };

function submissions(): fc.Arbitrary<Submission> {
  const v = rateAllValues();
  const withBlocks = fc.boolean();
  return fc.oneof(
    // Junk private_metadata, with any state at all (even ratings that would otherwise be saved).
    fc.record({ meta: v.junkMeta, entries: v.entries, withBlocks }),
    // Good private_metadata, with at least one answer that cannot be saved.
    fc
      .record({ meta: v.validMeta, entries: v.entries, poison: v.poison, withBlocks })
      .map(({ meta, entries, poison, withBlocks: b }) => ({
        meta,
        entries: [...entries, poison],
        withBlocks: b,
      })),
    // Good private_metadata and nothing chosen.
    fc.record({ meta: v.validMeta, entries: v.allEmpty, withBlocks }),
  );
}

async function checkSubmission(s: Submission): Promise<void> {
  const userId = freshUser();
  const m = await mark();
  const senior = framework.levels.find((l) => l.id === 'senior') ?? framework.levels[0];
  if (!senior) throw new Error('no level');
  const blocks = s.withBlocks
    ? rateAllModal(framework, senior, {}, { f: FRAMEWORK_ID, v: framework.version, l: senior.id }).blocks
    : [];
  const payload = viewSubmissionPayload({
    user: { id: userId },
    callbackId: 'rate_all',
    privateMetadata: s.meta,
    values: Object.fromEntries(s.entries) as Record<string, Record<string, unknown>>,
    view: { blocks },
  });
  const res = await sendInteraction(h.eventsUrl, SIGNING_SECRET, payload);
  expect(res.status).toBe(200);
  if (res.text !== '') {
    expect(isObject(res.json), `not a JSON object: ${res.text.slice(0, 200)}`).toBe(true);
    const ack = res.json as Record<string, unknown>;
    expect(Object.keys(ack).sort()).toEqual(['errors', 'response_action']);
    expect(ack.response_action).toBe('errors');
    expect(isObject(ack.errors)).toBe(true);
    const errors = Object.entries(ack.errors as Record<string, unknown>);
    expect(errors.length).toBeGreaterThan(0);
    for (const [blockId, message] of errors) {
      expect(typeof blockId).toBe('string');
      expect(typeof message).toBe('string');
      expect((message as string).length).toBeGreaterThan(0);
    }
  }
  expect(h.slack.responses.slice(m.responses), 'posted a summary').toEqual([]);
  expect(h.slack.calls.slice(m.calls), 'Web API calls').toEqual([]);
  expect(errorsLoggedSince(m)).toEqual([]);
  expect((await personOf(h, userId)).ratings).toEqual({});
  await expectNothingWrittenSince(m);
}

describe('view_submission of the Rate all form with junk private_metadata and junk answers', () => {
  it(
    'answers nothing or field errors, and saves nothing',
    async () => {
      await fc.assert(fc.asyncProperty(submissions(), checkSubmission), runs(250));
      await expectNormalCommandWorks();
    },
    TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------------
// Bugs the fuzzing found, kept as focused tests now that they are fixed.

describe('found by fuzzing, and fixed', () => {
  /**
   * Found by fuzzing: the framework lookup took time cubic in the number of words typed
   * (`sa ` + `ab ` × 2,000 took about 70 s on the event loop, stalling every request). Now a match
   * never looks further than the longest possible name, so the cost grows linearly. With the old
   * code this text would not finish within the test's time limit.
   */
  it('answers a very long command (20,000 words) at once', async () => {
    const text = `sa ${'ab '.repeat(20_000)}`;
    const res = await sendSlashCommand(h.eventsUrl, SIGNING_SECRET, {
      command: '/competency',
      text,
      user_id: RATED,
      response_url: h.slack.newResponseUrl(),
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).toContain('Solutions Architect');
  }, 20_000);

  /**
   * Found by fuzzing: a click whose action_id no listener matches — a button on a message sent by an
   * older version of the app, say — was never acknowledged (Bolt answers 404 after 3 s, and Slack
   * shows the person an error). Now the app's one fallback (src/slack/guard.ts) acknowledges whatever
   * no listener claimed, and the person is told the button no longer works.
   */
  it('acknowledges a click on a button it does not (or no longer) have, and says what to do', async () => {
    const responseUrl = h.slack.newResponseUrl();
    const payload = blockActionPayload({
      user: { id: freshUser() },
      actionId: 'rating_from_an_old_version',
      blockId: 'old_block',
      value: '{"f":"solutions-architect.e-commerce","l":"senior"}',
      responseUrl,
    });
    const res = await sendInteraction(h.eventsUrl, SIGNING_SECRET, payload);
    expect(res.status).toBe(200);
    const told = h.slack.responses.find((r) => r.url === responseUrl);
    expect(JSON.stringify(told?.body)).toContain('no longer works');
  }, 20_000);

  /**
   * BUG: in the Rate all submission (src/slack/view-submissions/rate-all.ts), `ratings` is a plain
   * object literal, so `ratings['__proto__'] = 1` for a block `competency:__proto__` sets nothing. The
   * unknown competency then escapes the check in Assessments.rateAll (`Object.keys` does not see it)
   * and the submission is saved, where any other unknown competency id refuses the whole form and
   * saves nothing. (No pollution: the value is always a primitive; `Object.create(null)` or a Map fixes it.)
   */
  it('refuses a Rate all submission naming a competency `__proto__`, like any unknown competency', async () => {
    const userId = freshUser();
    const m = await mark();
    const option = (value: string) => ({
      rating: {
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: value }, value },
      },
    });
    const res = await sendInteraction(
      h.eventsUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({
        user: { id: userId },
        callbackId: 'rate_all',
        privateMetadata: JSON.stringify({ f: FRAMEWORK_ID, v: framework.version, l: 'senior' }),
        values: {
          'competency:composable-commerce-strategy': option('4'),
          'competency:__proto__': option('4'),
        },
      }),
    );
    expect(res.status).toBe(200);
    expect((res.json as { response_action?: unknown } | undefined)?.response_action).toBe('errors');
    expect((await personOf(h, userId)).ratings).toEqual({});
    await expectNothingWrittenSince(m);
  });
});

describe('after all of it', () => {
  it('the app still answers, and the person with data still has exactly it', async () => {
    await expectNormalCommandWorks();
    const rated = await personOf(h, RATED);
    expect(rated.history).toHaveLength(1);
    expect(Object.values(rated.ratings[FRAMEWORK_ID] ?? {}).map((r) => r.value)).toEqual([
      4, 5, 2, 4, 3, 2, 3, 1,
    ]);
  });
});
