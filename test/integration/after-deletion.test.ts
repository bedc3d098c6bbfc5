import { describe, expect } from 'vitest';
import { LOCAL_TEAM } from '../../src/sandbox/defaults.js';
import { appUninstalledEnvelope } from '../../src/sandbox/event-envelopes.js';
import { sendEvent } from '../../src/sandbox/signing.js';
import { it } from '../support/fixtures.js';
import { eventually } from '../support/waiting.js';
import { type Harness, type OpenedForm, SIGNING_SECRET, submitSameChoice, textOf } from './harness.js';

/**
 * A click or a form that arrives just after `/competency forget` or an uninstall, made before it,
 * must not write the person back: the deletion holds, and the person is told why nothing happened.
 */

const ALICE = 'U0ALICE0001';

/** Slack's `action_ts` for a moment `secondsAgo` before now. */
const tsAgo = (secondsAgo: number) => ((Date.now() - secondsAgo * 1000) / 1000).toFixed(6);

/** Rates the first competency, then deletes everything with /competency forget; the framework answer from before. */
async function rateThenForget(harness: Harness): Promise<unknown> {
  const shown = (await harness.command('sa senior', { userId: ALICE })).json;
  const step = await harness.press(shown, 'Rate yourself', { userId: ALICE });
  await harness.press(step, '4 · Advanced', { userId: ALICE });
  const confirm = (await harness.command('forget', { userId: ALICE })).json;
  expect(textOf(await harness.press(confirm, 'Delete my data', { userId: ALICE }))).toContain('Deleted');
  expect(await harness.store.size()).toBe(0);
  return shown;
}

describe('a request made before a deletion that arrives after it', () => {
  it('a click made before /competency forget does not bring the person back', async ({ harness: h }) => {
    const shown = await rateThenForget(h);
    const answer = await h.press(shown, 'Rate yourself', { userId: ALICE, payload: { actionTs: tsAgo(5) } });
    expect(textOf(answer)).toContain('Your data was deleted after you asked for this, so it was not saved');
    expect(await h.store.size()).toBe(0);
    // Pressed now, after the deletion: a fresh start, as the person asks.
    const fresh = await h.press(shown, 'Rate yourself', { userId: ALICE, payload: { actionTs: tsAgo(0) } });
    expect(textOf(fresh)).toContain('1 of 8');
    expect(await h.store.size()).toBe(1);
  });

  it('a Rate all form opened before /competency forget and saved after it saves nothing', async ({
    harness: h,
  }) => {
    const shown = (await h.command('sa senior', { userId: ALICE })).json;
    await h.click(shown, 'Rate all at once', { userId: ALICE });
    const [opened] = await h.slack.waitForCalls('views.open', 1);
    const form = opened?.args.view as OpenedForm;
    const step = await h.press(shown, 'Rate yourself', { userId: ALICE });
    await h.press(step, '3 · Proficient', { userId: ALICE });
    const confirm = (await h.command('forget', { userId: ALICE })).json;
    await h.press(confirm, 'Delete my data', { userId: ALICE });
    const res = await submitSameChoice(h, form, '4', { user: { id: ALICE } });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).toContain('Your data was deleted after this form was opened');
    expect(await h.store.size()).toBe(0);
  });

  it('a click made before the app was removed does not bring anyone back', async ({ harness: h }) => {
    const shown = (await h.command('sa senior', { userId: ALICE })).json;
    await h.press(shown, 'Rate yourself', { userId: ALICE });
    const clickedAt = tsAgo(5);
    const removed = await sendEvent(
      h.eventsUrl,
      SIGNING_SECRET,
      appUninstalledEnvelope({ teamId: LOCAL_TEAM.id }),
    );
    expect(removed.status).toBe(200);
    // Acknowledged before it is handled: the log says when the workspace's data is gone.
    await eventually(() =>
      expect(h.logs.join('\n')).toContain(`Removed from the workspace ${LOCAL_TEAM.id}`),
    );
    expect(await h.store.size()).toBe(0);
    const answer = await h.press(shown, 'Rate yourself', { userId: ALICE, payload: { actionTs: clickedAt } });
    expect(textOf(answer)).toContain('was not saved');
    expect(await h.store.size()).toBe(0);
  });
});
