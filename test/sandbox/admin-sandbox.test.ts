import { webApi } from '@slack/bolt';
import { describe, expect } from 'vitest';
import { SANDBOX_TEAM, SECOND_TEAM } from '../../src/sandbox/teams.js';
import { it } from '../support/fixtures.js';

const { WebClient } = webApi;

/**
 * The sandbox has an admin, so that its page can try the admin flow: Sam Rivera, whom the page opens
 * on, is an admin of each workspace (users.info says `is_admin`), and the page is told so.
 */
describe('the sandbox’s admin', () => {
  it('is Sam Rivera in each workspace, as users.info says and the page shows', async ({ sharedSandbox }) => {
    const { slack } = sharedSandbox;
    // The default workspace's original token: the local Slack's own, not the app's installation.
    const client = new WebClient(slack.bot.token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    for (const team of [SANDBOX_TEAM, SECOND_TEAM]) {
      const [sam, ...others] = team.users;
      expect(sam?.name).toBe('Sam Rivera');
      expect((await client.users.info({ user: sam?.id ?? '' })).user).toMatchObject({
        is_admin: true,
        is_owner: false,
      });
      for (const other of others) {
        expect((await client.users.info({ user: other.id })).user).toMatchObject({ is_admin: false });
      }
      const state = (await (
        await fetch(`${sharedSandbox.url}/sandbox/api/state?user=${sam?.id}`)
      ).json()) as { users: { id: string; admin?: boolean }[] };
      expect(state.users.filter((u) => u.admin === true).map((u) => u.id)).toEqual([sam?.id]);
    }
  }, 60_000);
});
