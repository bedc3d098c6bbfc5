import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { validateMessage } from '../../../src/sandbox/block-kit.js';
import { sendSlashCommand } from '../../../src/sandbox/signing.js';
import { type Harness, SIGNING_SECRET } from '../../integration/harness.js';
import { it } from '../../support/fixtures.js';
import { mrkdwnTexts, unescapedInjections } from '../helpers.js';
import {
  errorsLoggedSince,
  expectNormalCommandWorks,
  expectNothingWrittenSince,
  expectValidOutputSince,
  maliciousText,
  mark,
  RATED,
  rateAsRated,
  runs,
  TIMEOUT,
  TOKENS,
} from './support.js';

/**
 * Fuzzing the app (support.ts says how) with the text of /competency: random and malicious text,
 * and text of 10,000 characters.
 */

let h: Harness;

it.beforeAll(async ({ sharedHarness }) => {
  h = sharedHarness;
  await rateAsRated(h);
}, 20_000);

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
 * 10,000 characters in few words. Long text of many short words has its own test below ('answers a
 * very long command (20,000 words) at once').
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
  const m = await mark(h);
  const res = await sendSlashCommand(h.eventsUrl, SIGNING_SECRET, {
    command: '/competency',
    text,
    user_id: userId,
    response_url: h.slack.newResponseUrl(),
  });
  expect(res.status).toBe(200);
  // What the command does after its acknowledgement (an export, say) is checked too.
  await h.idle();
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
      await expectNormalCommandWorks(h);
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
      await expectNormalCommandWorks(h);
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
      await expectNormalCommandWorks(h);
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
});
