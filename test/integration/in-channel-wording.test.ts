import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { snapshotOf } from '../../src/assessments/assessments.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import type { Framework } from '../../src/frameworks/schema.js';
import { emptyPerson, type RatingValue } from '../../src/model/records.js';
import { validateMessage } from '../../src/sandbox/block-kit.js';
import { sharedMessage } from '../../src/slack/views/share.js';
import { hostileFramework, largestFramework } from '../slack/fixtures.js';
import { it } from '../support/fixtures.js';
import type { Harness } from './harness.js';

/**
 * Issue 19: a post in a channel is read by everyone there, so it speaks of the person — their
 * mention, or "rated" — and never to them. This finds every payload the app can post `in_channel`,
 * builds it for a range of assessments (the largest framework the schema allows, names that escaping
 * lengthens, every bundled framework at every level) and drives the real share flows, and looks for
 * second-person wording anywhere in what the channel would read.
 */

/** You, your, yours, yourself, yourselves, and you're / you've / you'll / you'd (the apostrophe is a word boundary). */
const SECOND_PERSON = /\b(you|your|yours|yourself|yourselves)\b/i;

/** Fields of a payload that are not read by people. */
const MACHINE_FIELDS = new Set([
  'type',
  'value',
  'action_id',
  'block_id',
  'callback_id',
  'private_metadata',
  'response_type',
  'url',
  'image_url',
  'style',
]);

/** Every string a person in the channel could read: the fallback text, and all text in the blocks. */
function readable(payload: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown, key: string): void => {
    if (typeof node === 'string') {
      if (!MACHINE_FIELDS.has(key)) found.push(node);
    } else if (Array.isArray(node)) {
      for (const item of node) walk(item, key);
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) walk(v, k);
    }
  };
  walk(payload, '');
  return found;
}

function secondPersonIn(payload: unknown): string[] {
  return readable(payload).filter((text) => SECOND_PERSON.test(text));
}

/** Source files under `dir`, relative to the repository. */
async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(process.cwd(), path.join(e.parentPath, e.name)));
}

describe('every payload the app can post in a channel', () => {
  it('is the shared post, and only it: no other code posts in_channel', async () => {
    const posting: string[] = [];
    for (const file of await sourceFiles('src')) {
      // The local Slack (src/sandbox) receives in_channel posts; it does not make them.
      if (file.startsWith(`src${path.sep}sandbox${path.sep}`)) continue;
      // The string itself, not an error code that ends in it (not_in_channel).
      if (/(["'`])in_channel\1/.test(await readFile(file, 'utf8'))) posting.push(file);
    }
    // If this list grows, add the new payload to the tests below.
    expect(posting).toEqual([path.join('src', 'slack', 'actions', 'share.ts')]);
    const share = await readFile(path.join('src', 'slack', 'actions', 'share.ts'), 'utf8');
    expect(share).toMatch(/response_type: 'in_channel',\s*replace_original: false,\s*\.\.\.sharedMessage\(/);
  });
});

/** Ratings for a framework's competencies: each pattern gives the rating of competency `i`. */
const PATTERNS: ((i: number) => RatingValue | null)[] = [
  () => 1,
  () => 5,
  () => 3,
  (i) => (((i * 2) % 5) + 1) as RatingValue,
  (i) => (i % 3 === 0 ? null : i % 3 === 1 ? 'na' : 4),
  () => null,
  () => 'na',
];

/** Every level of `framework`, rated with every pattern: finished assessments as the app makes them. */
function assessmentsOf(framework: Framework) {
  return framework.levels.flatMap((level) =>
    PATTERNS.map((pattern, p) => {
      const data = emptyPerson();
      data.ratings[framework.id] = Object.fromEntries(
        framework.competencies.flatMap((c, i) => {
          const value = pattern(i);
          return value === null
            ? []
            : [[c.id, { value, at: '2026-12-01T10:00:00.000Z', frameworkVersion: framework.version }]];
        }),
      );
      return snapshotOf(framework, level, data, `s${p}`, '2026-12-01T10:00:00.000Z');
    }),
  );
}

/** The largest framework, with names made of the character escaping lengthens most. */
function escapedFramework(): Framework {
  const framework = largestFramework('escaped');
  return {
    ...framework,
    role: { ...framework.role, name: '&'.repeat(60) },
    levels: framework.levels.map((l) => ({ ...l, name: '<'.repeat(60) })),
    competencies: framework.competencies.map((c) => ({ ...c, name: '&'.repeat(60) })),
  };
}

describe('the shared post (Share to channel → Post it)', () => {
  it('names the person and never says "you", for every bundled framework at every level', async () => {
    const bundled = await loadFrameworks([BUNDLED_FRAMEWORKS_DIR]);
    let checked = 0;
    for (const framework of bundled) {
      for (const record of assessmentsOf(framework)) {
        const post = sharedMessage(record, 'U0SAM00001');
        expect(secondPersonIn(post), `${framework.id} ${record.levelId} ${record.id}`).toEqual([]);
        expect(post.text).toContain('<@U0SAM00001>');
        expect(validateMessage(post)).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('stays within Block Kit limits and says no "you" for the worst cases', () => {
    for (const framework of [largestFramework(), escapedFramework(), hostileFramework()]) {
      for (const record of assessmentsOf(framework)) {
        const post = sharedMessage(record, 'U0SAM00001');
        expect(validateMessage(post), `${framework.id} ${record.levelId} ${record.id}`).toEqual([]);
        expect(secondPersonIn(post)).toEqual([]);
        // Every competency is there, each rating against its expected level, in the third person.
        const rows = readable(post.blocks).filter((t) => t.includes('  ·  Expected '));
        expect(rows).toHaveLength(record.competencies.length);
        for (const row of rows) expect(row).toMatch(/\nRated (▰|▱|n\/a|–)/);
      }
    }
  });
});

const LABELS: Record<string, string> = {
  1: '1 · Basic',
  2: '2 · Developing',
  3: '3 · Proficient',
  4: '4 · Advanced',
  5: '5 · Expert',
  skip: 'Skip',
  na: 'Not applicable',
};

const ALICE = 'U0ALICE0001';

/** Rates the Senior Solutions Architect with these answers (a rating, `skip` or `na`), through the real app. */
async function finish(harness: Harness, answers: (number | 'skip' | 'na')[]) {
  const answer = (await harness.command('solutions-architect senior', { userId: ALICE })).json;
  let step = await harness.press(answer, 'Rate yourself', { userId: ALICE });
  for (const a of answers) step = await harness.press(step, LABELS[a] ?? '', { userId: ALICE });
  return step;
}

describe('what the real share flows put in the channel', () => {
  it('Share to channel and /competency share post, through the response_url, nothing that says "you"', async ({
    harness: h,
  }) => {
    const runs: (number | 'skip' | 'na')[][] = [
      [4, 5, 2, 4, 3, 2, 3, 1],
      [5, 5, 5, 5, 5, 5, 5, 5],
      [1, 1, 1, 1, 1, 1, 1, 1],
      [3, 3, 3, 3, 3, 3, 3, 3],
      ['skip', 'na', 4, 4, 3, 4, 3, 3],
      ['skip', 'skip', 'skip', 'skip', 'skip', 'skip', 'skip', 'skip'],
    ];
    for (const [i, run] of runs.entries()) {
      const summary = await finish(h, run);
      // From the summary's button, and from the command, alternately.
      const preview =
        i % 2 === 0
          ? await h.press(summary, 'Share to channel', { userId: ALICE })
          : (await h.command('share', { userId: ALICE })).json;
      await h.press(preview, 'Post it', { userId: ALICE });
    }
    const posted = h.slack.responses.filter((r) => r.body.response_type === 'in_channel');
    expect(posted).toHaveLength(runs.length);
    for (const post of posted) {
      expect(post.ok).toBe(true); // the local Slack checked its Block Kit
      expect(String(post.body.text)).toContain(`<@${ALICE}> shared their self-assessment`);
      expect(secondPersonIn(post.body)).toEqual([]);
    }
    // Where the person's own summary says "You", the post says "Rated".
    const first = posted[0]?.body;
    expect(readable(first).join('\n')).toContain(
      '*Omnichannel Architecture*  ·  :large_blue_circle: 1 above\nRated ▰▰▰▰▰ 5/5  ·  Expected ▰▰▰▰▱ 4/5',
    );
  });
});
