import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_TEAM } from '../../src/sandbox/defaults.js';
import {
  appUninstalledEnvelope,
  blockActionPayload,
  sendEvent,
  sendInteraction,
} from '../../src/sandbox/signing.js';
import {
  findButton,
  type Harness,
  type OpenedForm,
  SIGNING_SECRET,
  startHarness,
  submitSameChoice,
  textOf,
} from './harness.js';

/**
 * A click or a form that arrives just after `/competency forget` or an uninstall, made before it,
 * must not write the person back: the deletion holds, and the person is told why nothing happened.
 */

const ALICE = 'U0ALICE0001';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Slack's `action_ts` for a moment `secondsAgo` before now. */
const tsAgo = (secondsAgo: number) => ((Date.now() - secondsAgo * 1000) / 1000).toFixed(6);

/** Presses `label` on `message` as Alice, clicked at `actionTs`; what the app answered. */
async function clickAt(
  harness: Harness,
  message: unknown,
  label: string,
  actionTs: string,
): Promise<unknown> {
  const button = findButton(message, label);
  const responseUrl = harness.slack.newResponseUrl();
  const res = await sendInteraction(
    harness.eventsUrl,
    SIGNING_SECRET,
    blockActionPayload({
      actionId: button.action_id,
      blockId: button.block_id,
      value: button.value,
      responseUrl,
      user: { id: ALICE },
      actionTs,
    }),
  );
  expect(res.status).toBe(200);
  return (await harness.slack.waitForResponseTo(responseUrl)).body;
}

/** Rates the first competency, then deletes everything with /competency forget; the framework answer from before. */
async function rateThenForget(harness: Harness): Promise<unknown> {
  const shown = (await harness.command('sa senior', { userId: ALICE })).json;
  const step = await harness.clickFor(shown, 'Rate yourself', { userId: ALICE });
  await harness.clickFor(step, '4 · Advanced', { userId: ALICE });
  const confirm = (await harness.command('forget', { userId: ALICE })).json;
  expect(textOf(await harness.clickFor(confirm, 'Delete my data', { userId: ALICE }))).toContain('Deleted');
  expect(await harness.store.size()).toBe(0);
  return shown;
}

describe('a request made before a deletion that arrives after it', () => {
  it('a click made before /competency forget does not bring the person back', async () => {
    h = await startHarness();
    const shown = await rateThenForget(h);
    const answer = await clickAt(h, shown, 'Rate yourself', tsAgo(5));
    expect(textOf(answer)).toContain('Your data was deleted after you asked for this, so it was not saved');
    expect(await h.store.size()).toBe(0);
    // Pressed now, after the deletion: a fresh start, as the person asks.
    const fresh = await clickAt(h, shown, 'Rate yourself', tsAgo(0));
    expect(textOf(fresh)).toContain('1 of 8');
    expect(await h.store.size()).toBe(1);
  });

  it('a Rate all form opened before /competency forget and saved after it saves nothing', async () => {
    h = await startHarness();
    const shown = (await h.command('sa senior', { userId: ALICE })).json;
    await h.click(shown, 'Rate all at once', { userId: ALICE });
    const [opened] = await h.slack.waitForCalls('views.open', 1);
    const form = opened?.args.view as OpenedForm;
    const step = await h.clickFor(shown, 'Rate yourself', { userId: ALICE });
    await h.clickFor(step, '3 · Proficient', { userId: ALICE });
    const confirm = (await h.command('forget', { userId: ALICE })).json;
    await h.clickFor(confirm, 'Delete my data', { userId: ALICE });
    const res = await submitSameChoice(h, form, '4', { user: { id: ALICE } });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).toContain('Your data was deleted after this form was opened');
    expect(await h.store.size()).toBe(0);
  });

  it('a click made before the app was removed does not bring anyone back', async () => {
    h = await startHarness();
    const shown = (await h.command('sa senior', { userId: ALICE })).json;
    await h.clickFor(shown, 'Rate yourself', { userId: ALICE });
    const clickedAt = tsAgo(5);
    const removed = await sendEvent(
      h.eventsUrl,
      SIGNING_SECRET,
      appUninstalledEnvelope({ teamId: LOCAL_TEAM.id }),
    );
    expect(removed.status).toBe(200);
    expect(await h.store.size()).toBe(0);
    const answer = await clickAt(h, shown, 'Rate yourself', clickedAt);
    expect(textOf(answer)).toContain('was not saved');
    expect(await h.store.size()).toBe(0);
  });
});
