import fc from 'fast-check';
import { describe, expect } from 'vitest';
import type { Framework } from '../../../src/frameworks/schema.js';
import { blockActionPayload } from '../../../src/sandbox/interaction-payloads.js';
import { sendInteraction } from '../../../src/sandbox/signing.js';
import { ActionId, ActionRoute, routeMatches } from '../../../src/slack/ids.js';
import { decodeValue, StartValue } from '../../../src/slack/values.js';
import { type Harness, SIGNING_SECRET } from '../../integration/harness.js';
import { it } from '../../support/fixtures.js';
import { isObject, personOf, personOnDisk } from '../helpers.js';
import {
  errorsLoggedSince,
  expectNormalCommandWorks,
  expectNothingWrittenSince,
  expectValidOutputSince,
  FRAMEWORK_ID,
  freshUser,
  idLike,
  maliciousText,
  mark,
  RATED,
  rateAsRated,
  runs,
  TIMEOUT,
} from './support.js';

/**
 * Fuzzing the app (support.ts says how) with block_actions: random and malicious clicks for every
 * registered action id; and, after all of it, the app still answers.
 */

let h: Harness;
let framework: Framework;
/** The id of RATED's finished assessment, a value share buttons may carry. */
let ratedRecordId = 'x';

it.beforeAll(async ({ sharedHarness }) => {
  h = sharedHarness;
  ({ framework, ratedRecordId } = await rateAsRated(h));
}, 20_000);

// ---------------------------------------------------------------------------------------------
// block_actions

const REGISTERED = Object.values(ActionId);
/** Whether Bolt hands this action id to the listener of the button `id` (its route in ids.ts). */
const routedTo = (actionId: string, id: string) => {
  const name = (Object.keys(ActionId) as (keyof typeof ActionId)[]).find((k) => ActionId[k] === id);
  return name !== undefined && routeMatches(ActionRoute[name], actionId);
};

function buttonValue(): fc.Arbitrary<string | undefined> {
  const anyJson = fc.jsonValue({ maxDepth: 4 });
  const field = fc.oneof(idLike(framework), anyJson);
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
          f: often(fc.constant(FRAMEWORK_ID), idLike(framework)),
          l: often(fc.constantFrom(...levelIds), idLike(framework)),
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
        f: often(fc.constant(FRAMEWORK_ID), idLike(framework)),
        v: often(fc.constant(framework.version), idLike(framework)),
        s: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constant(ratedRecordId)),
        c: often(fc.constantFrom(...competencyIds), idLike(framework)),
        a: often(fc.constantFrom<unknown>(1, 2, 3, 4, 5, 'na', 'skip', 'back'), fc.jsonValue()),
        u: someoneElse,
      }),
    );
  }
  if ([ActionId.sharePreview, ActionId.sharePost, ActionId.shareCancel].some((n) => routedTo(actionId, n))) {
    return json(
      fc.record({
        id: often(fc.constant(ratedRecordId), idLike(framework)),
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
  const m = await mark(h);
  const payload = clickPayload(click, userId, h.slack.newResponseUrl());
  const input = JSON.stringify(payload);
  const res = await sendInteraction(h.eventsUrl, SIGNING_SECRET, payload);
  expect(res.status).toBe(200);
  expect(res.text).toBe('');
  // A click is acknowledged before its work: check once the app is done with it.
  await h.idle();
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
      await expectNormalCommandWorks(h);
    },
    TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------------
// Bugs the fuzzing found, kept as focused tests now that they are fixed.

describe('found by fuzzing, and fixed', () => {
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
    const told = await h.slack.waitForResponseTo(responseUrl);
    expect(JSON.stringify(told.body)).toContain('no longer works');
  }, 20_000);
});

describe('after all of it', () => {
  it('the app still answers, and the person with data still has exactly it', async () => {
    await expectNormalCommandWorks(h);
    const rated = await personOf(h, RATED);
    expect(rated.history).toHaveLength(1);
    expect(Object.values(rated.ratings[FRAMEWORK_ID] ?? {}).map((r) => r.value)).toEqual([
      4, 5, 2, 4, 3, 2, 3, 1,
    ]);
  });
});
