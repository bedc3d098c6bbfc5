import { describe, expect } from 'vitest';
import { it } from '../support/fixtures.js';
import { finishSeniorAssessment } from './harness.js';

/**
 * See it as a chart: the summary's button sends a radar chart of the person's own ratings to their
 * direct messages with the app, as a PNG whose alt text states every rating and expected level.
 */

const ALICE = 'U0ALICE0001';
const RATINGS = [4, 5, 2, 4, 3, 2, 3, 1];

/** Width and height from a PNG's IHDR, after checking the signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the summary as a chart', () => {
  it('goes to the person’s direct messages as a PNG, with alt text that states the numbers', async ({
    harness: h,
  }) => {
    const summary = await finishSeniorAssessment(h, ALICE, RATINGS);
    const answer = await h.press(summary, 'See it as a chart', { userId: ALICE });
    expect(JSON.stringify(answer)).toContain('Your chart is in your direct messages with Competency');

    const [file] = await h.slack.waitForFiles(1);
    if (!file) throw new Error('no file');
    const [open] = h.slack.calls.filter((c) => c.method === 'conversations.open');
    expect(open?.args.users).toBe(ALICE);
    expect(file.channelId).toMatch(/^D/);
    expect(file.filename).toMatch(/^competency-solutions-architect-senior-\d{4}-\d{2}-\d{2}\.png$/);
    expect(pngSize(file.content)).toEqual({ width: 960, height: 660 });

    // The alt text names every competency with the rating given and the level expected.
    const framework = h.catalog.get('solutions-architect.e-commerce');
    if (!framework) throw new Error('no framework');
    const alt = file.altText ?? '';
    expect(alt.length).toBeLessThanOrEqual(1000);
    framework.competencies.forEach((competency, i) => {
      expect(alt).toContain(`${competency.name}: you ${RATINGS[i]}, expected ${competency.expected.senior}`);
    });
  });

  it('for an assessment that is not the clicker’s, sends nothing and says so', async ({ harness: h }) => {
    const summary = await finishSeniorAssessment(h, ALICE, RATINGS);
    const answer = await h.press(summary, 'See it as a chart', { userId: 'U0SOMEONE01' });
    expect(JSON.stringify(answer)).toContain('no chart to send');
    expect(h.slack.files).toHaveLength(0);
  });
});
