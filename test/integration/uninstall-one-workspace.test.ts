import { describe, expect } from 'vitest';
import { LOCAL_TEAM } from '../../src/sandbox/defaults.js';
import { appUninstalledEnvelope } from '../../src/sandbox/event-envelopes.js';
import { sendEvent } from '../../src/sandbox/signing.js';
import { tokensRevokedEnvelope } from '../support/event-envelopes.js';
import { it } from '../support/fixtures.js';
import { eventually } from '../support/waiting.js';
import { SIGNING_SECRET } from './harness.js';

/**
 * One workspace, one bot token (no OAuth): when the workspace removes the app, Slack sends
 * app_uninstalled and tokens_revoked, and the app deletes everything it keeps about that workspace's
 * people, as in distributed mode.
 */

describe('single workspace: removing the app deletes its people’s data', () => {
  it('app_uninstalled, then tokens_revoked: everyone of the workspace is deleted, once, and logged', async ({
    harness: h,
  }) => {
    for (const userId of ['U0AAAAAAAA1', 'U0AAAAAAAA2']) {
      const shown = await h.command('solutions-architect senior', { userId });
      await h.press(shown.json, 'Rate yourself', { userId });
    }
    expect(await h.store.size()).toBe(2);
    const installation = { teamId: LOCAL_TEAM.id };
    const removedLines = () =>
      h.logs.filter((line) => line.includes(`Removed from the workspace ${LOCAL_TEAM.id}`));
    // Slack's events are acknowledged before they are handled: each one's line in the log says it was.
    for (const [i, envelope] of [
      appUninstalledEnvelope(installation),
      tokensRevokedEnvelope(installation),
    ].entries()) {
      const answer = await sendEvent(h.eventsUrl, SIGNING_SECRET, envelope);
      expect(answer.status).toBe(200);
      await eventually(() => expect(removedLines()).toHaveLength(i + 1));
    }
    expect(await h.store.size()).toBe(0);
    const removed = removedLines();
    expect(removed[0]).toMatch(/no installation was kept, and the data of 2 people \(\d+ records\)/);
    expect(removed[1]).toMatch(/the data of 0 people/);
    await h.restart();
    expect(await h.store.size()).toBe(0);
  });

  it('a tokens_revoked that names only people’s tokens (which this app does not hold) deletes nothing', async ({
    harness: h,
  }) => {
    const shown = await h.command('solutions-architect senior');
    await h.press(shown.json, 'Rate yourself');
    const answer = await sendEvent(
      h.eventsUrl,
      SIGNING_SECRET,
      tokensRevokedEnvelope({ teamId: LOCAL_TEAM.id, tokens: { oauth: ['U0SOMEONE01'], bot: [] } }),
    );
    expect(answer.status).toBe(200);
    await h.idle();
    expect(await h.store.size()).toBe(1);
    expect(h.logs.join('\n')).not.toContain('Removed from');
  });
});
