import { describe, expect } from 'vitest';
import { it } from '../support/fixtures.js';
import { finishSeniorAssessment, type Harness, textOf } from './harness.js';

/**
 * Progress over time: from the history, a trend chart of each competency across the person's
 * assessments of one framework goes to their direct messages as a PNG whose alt text states every
 * date, rating and expected level; with one assessment only, the app says a trend needs two and
 * offers that one as a chart. Open on the history shows a past assessment as it was recorded.
 */

const ALICE = 'U0ALICE0001';
const FIRST = [4, 5, 2, 4, 3, 2, 3, 1];
const LABELS = ['', '1 · Basic', '2 · Developing', '3 · Proficient', '4 · Advanced', '5 · Expert'];

/** A run pressing these buttons, one per competency (`1 · Basic`…, `Not applicable`, `Skip`). */
async function rateWith(h: Harness, choices: string[]): Promise<Record<string, unknown>> {
  const answer = (await h.command('solutions-architect senior', { userId: ALICE })).json;
  let step = await h.press(answer, 'Rate yourself', { userId: ALICE });
  for (const label of choices) step = await h.press(step, label, { userId: ALICE });
  return step;
}

/** The first run: Not applicable on the second competency, the third skipped (never rated). */
const WITH_GAPS = [
  LABELS[4],
  'Not applicable',
  'Skip',
  LABELS[4],
  LABELS[3],
  LABELS[2],
  LABELS[3],
  LABELS[1],
].map((label) => label ?? '');
const SECOND = [5, 4, 3, 4, 4, 3, 3, 2];

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('progress over time', () => {
  it('with one assessment, says a trend needs two and offers the chart', async ({ harness: h }) => {
    await finishSeniorAssessment(h, ALICE, FIRST);
    const history = (await h.command('history', { userId: ALICE })).json;
    const answer = await h.press(history, 'Progress over time', { userId: ALICE });
    expect(textOf(answer)).toContain(
      'A trend needs at least two finished self-assessments of Solutions Architect',
    );
    const chart = await h.press(answer, 'See it as a chart', { userId: ALICE });
    expect(JSON.stringify(chart)).toContain('Your chart is in your direct messages');
    expect(h.slack.files).toHaveLength(1);
  });

  it('sends a trend chart to the person’s DM whose alt text states every date, rating and expected level', async ({
    harness: h,
  }) => {
    await rateWith(h, WITH_GAPS);
    await finishSeniorAssessment(h, ALICE, SECOND);
    const history = (await h.command('history', { userId: ALICE })).json;
    const answer = await h.press(history, 'Progress over time', { userId: ALICE });
    expect(JSON.stringify(answer)).toContain(
      'Your progress chart is in your direct messages with Competency',
    );

    const [file] = await h.slack.waitForFiles(1);
    if (!file) throw new Error('no file');
    expect(file.channelId).toMatch(/^D/);
    expect(file.filename).toMatch(/^competency-progress-solutions-architect-\d{4}-\d{2}-\d{2}\.png$/);
    expect(pngSize(file.content).width).toBe(960);

    const alt = file.altText ?? '';
    expect(alt.length).toBeLessThanOrEqual(1000);
    const records = (await h.store.get(`T0LOCAL0001:${ALICE}`)).history;
    const dates = records.map((r) => r.finishedAt.slice(0, 10));
    expect(alt).toContain(
      `across 2 assessments at Senior, one per competency, with the expected level: 1 on ${dates[0]}, 2 on ${dates[1]}.`,
    );
    const framework = h.catalog.get('solutions-architect.e-commerce');
    if (!framework) throw new Error('no framework');
    const first = ['4', 'n/a', 'skipped', '4', '3', '2', '3', '1'];
    framework.competencies.forEach((c, i) => {
      expect(alt).toContain(`${c.name}: ${first[i]}, ${SECOND[i]}; expected ${c.expected.senior}`);
    });
  });

  it('Open on the history shows a past assessment as it was recorded', async ({ harness: h }) => {
    await finishSeniorAssessment(h, ALICE, FIRST);
    await finishSeniorAssessment(h, ALICE, SECOND);
    const history = (await h.command('history', { userId: ALICE })).json as {
      blocks: { block_id?: string }[];
    };
    // Latest first: the second entry's Open is the first assessment.
    const older = { blocks: history.blocks.filter((b) => b.block_id === 'history_entry_1') };
    const opened = await h.press(older, 'Open', { userId: ALICE });
    const text = textOf(opened);
    expect(text).toContain('From your history: this assessment as you recorded it');
    expect(text).toContain('*Omnichannel Architecture*  ·  :large_blue_circle: 1 above\nYou ▰▰▰▰▰ 5/5');
    expect(text).toContain(
      '*Global Commerce Platform Scaling*  ·  :red_circle: 2 below · focus area\nYou ▰▰▱▱▱ 2/5',
    );
    // Not the latest, where it is rated 3: one below.
    expect(text).not.toContain('*Global Commerce Platform Scaling*  ·  :large_yellow_circle:');
  });
});
