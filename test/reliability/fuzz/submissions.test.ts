import fc from 'fast-check';
import { describe, expect } from 'vitest';
import type { Framework } from '../../../src/frameworks/schema.js';
import { viewSubmissionPayload } from '../../../src/sandbox/interaction-payloads.js';
import { sendInteraction } from '../../../src/sandbox/signing.js';
import { rateAllModal } from '../../../src/slack/views/rate-all.js';
import { type Harness, SIGNING_SECRET } from '../../integration/harness.js';
import { it } from '../../support/fixtures.js';
import { isObject, personOf } from '../helpers.js';
import {
  errorsLoggedSince,
  expectNormalCommandWorks,
  expectNothingWrittenSince,
  FRAMEWORK_ID,
  freshUser,
  idLike,
  maliciousText,
  mark,
  rateAsRated,
  runs,
  TIMEOUT,
  token,
} from './support.js';

/**
 * Fuzzing the app (support.ts says how) with view submissions: the Rate all form with junk
 * private_metadata and junk answers.
 */

let h: Harness;
let framework: Framework;

it.beforeAll(async ({ sharedHarness }) => {
  h = sharedHarness;
  ({ framework } = await rateAsRated(h));
}, 20_000);

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
  const unknown = idLike(framework).filter(
    (id) => id !== '' && !competencyIds.includes(id) && id !== '__proto__',
  );
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
    fc.tuple(idLike(framework), select(validChoice)),
  );
  const meta = (f: fc.Arbitrary<unknown>, v: fc.Arbitrary<unknown>, l: fc.Arbitrary<unknown>) =>
    fc.record(
      {
        f,
        v,
        l,
        u: fc.oneof(
          fc.constant(h.slack.newResponseUrl()),
          idLike(framework),
          fc.constant('javascript:alert(1)'),
        ),
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
      meta(
        fc.oneof(idLike(framework), anyJson),
        fc.oneof(idLike(framework), anyJson),
        fc.oneof(idLike(framework), anyJson),
      )
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
  const m = await mark(h);
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
  // Whatever the app does after acknowledging a submission is checked too.
  await h.idle();
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
      await expectNormalCommandWorks(h);
    },
    TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------------
// Bugs the fuzzing found, kept as focused tests now that they are fixed.

describe('found by fuzzing, and fixed', () => {
  /**
   * BUG: in the Rate all submission (src/slack/view-submissions/rate-all.ts), `ratings` is a plain
   * object literal, so `ratings['__proto__'] = 1` for a block `competency:__proto__` sets nothing. The
   * unknown competency then escapes the check in Assessments.rateAll (`Object.keys` does not see it)
   * and the submission is saved, where any other unknown competency id refuses the whole form and
   * saves nothing. (No pollution: the value is always a primitive; `Object.create(null)` or a Map fixes it.)
   */
  it('refuses a Rate all submission naming a competency `__proto__`, like any unknown competency', async () => {
    const userId = freshUser();
    const m = await mark(h);
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
    await h.idle();
    expect((await personOf(h, userId)).ratings).toEqual({});
    await expectNothingWrittenSince(m);
  });
});
