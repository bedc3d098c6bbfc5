import fc from 'fast-check';
import { expect } from 'vitest';
import type { Framework } from '../../../src/frameworks/schema.js';
import { type Harness, textOf } from '../../integration/harness.js';
import { dataFileBytes, mrkdwnTexts, personOf, sameBytes, unescapedInjections } from '../helpers.js';

/**
 * Random and malicious input, correctly signed (so it reaches the app's listeners), against the real
 * app over HTTP with a real lowdb store. For every input: an HTTP 200, every message the app sends is
 * valid Block Kit (the local Slack checks each one), nothing the input injected appears as a live
 * mention or link, and nothing is written except by a click that is legitimately valid.
 *
 * One test file per surface, in this folder: the command text (commands.test.ts), block_actions clicks
 * (clicks.test.ts) and view submissions (submissions.test.ts); each runs against an app of its own
 * (`sharedHarness`), set up by `rateAsRated`. This module has what they share.
 */

export const FRAMEWORK_ID = 'solutions-architect.e-commerce';
const LABELS = ['', '1 · Basic', '2 · Developing', '3 · Proficient', '4 · Advanced', '5 · Expert'];
/** Someone with a finished assessment, so commands also go through history and share previews. */
export const RATED = 'U0RATED0001';
/**
 * Fixed, so a run is repeatable and a failure can be replayed. To explore further:
 * `FUZZ_SEED=<n> FUZZ_SCALE=10 npx vitest run test/reliability/fuzz` (SCALE multiplies the runs).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_127);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
export const runs = (n: number) => ({ numRuns: Math.round(n * SCALE), seed: SEED });
export const TIMEOUT = 20_000 * SCALE;

let seq = 0;
/** A user the app has never seen: each run of a property is a person who has never rated anything. */
export const freshUser = () => `U0FZ${(seq++).toString(36).toUpperCase().padStart(7, '0')}`;

/**
 * Sets up the app of a test file (call it in the file's `beforeAll`, with `sharedHarness`): RATED
 * finishes an assessment. Returns the framework, and the id of RATED's finished assessment, a value
 * share buttons may carry.
 */
export async function rateAsRated(h: Harness): Promise<{ framework: Framework; ratedRecordId: string }> {
  const framework = h.catalog.get(FRAMEWORK_ID);
  if (!framework) throw new Error(`no framework ${FRAMEWORK_ID}`);
  const answer = (await h.command('sa senior', { userId: RATED })).json;
  let step = await h.press(answer, 'Rate yourself', { userId: RATED });
  for (const r of [4, 5, 2, 4, 3, 2, 3, 1]) step = await h.press(step, LABELS[r] ?? '', { userId: RATED });
  if (!textOf(step).includes('at or above Senior expectations'))
    throw new Error('the setup assessment did not finish');
  return { framework, ratedRecordId: (await personOf(h, RATED)).history[0]?.id ?? 'x' };
}

// ---------------------------------------------------------------------------------------------
// What is checked after each request

type Mark = {
  /** The app the mark was taken of. */
  h: Harness;
  bytes: Buffer | null;
  writes: number;
  responses: number;
  calls: number;
  logs: number;
};

export async function mark(h: Harness): Promise<Mark> {
  return {
    h,
    bytes: await dataFileBytes(h),
    writes: (await h.store.health()).writes,
    responses: h.slack.responses.length,
    calls: h.slack.calls.length,
    logs: h.logs.length,
  };
}

/** Everything the app sent since `m`: response_url posts and Web API calls, each valid Block Kit. */
export function expectValidOutputSince(m: Mark, input: string, userId: string): void {
  const { h } = m;
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
export function errorsLoggedSince(m: Mark): string[] {
  return m.h.logs.slice(m.logs).filter((line) => / ERROR /.test(line));
}

export async function expectNothingWrittenSince(m: Mark): Promise<void> {
  const { h } = m;
  expect(sameBytes(m.bytes, await dataFileBytes(h)), 'the data file changed').toBe(true);
  expect((await h.store.health()).writes, 'the store wrote').toBe(m.writes);
}

export async function expectNormalCommandWorks(h: Harness): Promise<void> {
  const res = await h.command('sa senior', { userId: RATED });
  expect(res.status).toBe(200);
  expect(textOf(res.json)).toContain('Composable Commerce Strategy');
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** Slack control sequences and mrkdwn that must never come out live, and words that steer the parser. */
export const TOKENS = [
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

export const token = fc.constantFrom(...TOKENS);
export const maliciousText = fc
  .tuple(
    fc.constantFrom(...FIRST_WORDS),
    fc.array(fc.oneof({ weight: 3, arbitrary: token }, { weight: 1, arbitrary: fc.string() }), {
      maxLength: 12,
    }),
    fc.constantFrom(' ', '', '\n', '  '),
  )
  .map(([first, parts, sep]) => [first, ...parts].join(sep));

/** Strings that look like the ids buttons carry, and strings that do not. */
export function idLike(framework: Framework): fc.Arbitrary<string> {
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
