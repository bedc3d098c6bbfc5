import { webApi } from '@slack/bolt';
import { describe, expect } from 'vitest';
import { LOCAL_CHANNEL } from '../../src/sandbox/defaults.js';
import type { LocalSlack } from '../../src/sandbox/local-slack.js';
import { it } from '../support/fixtures.js';

/**
 * chat.getPermalink in the local Slack: a link for every message it knows — one the app posted, one a
 * person wrote (`addMessage`) — and `message_not_found` for any other, as Slack answers.
 */

const { WebClient, WebAPIPlatformError } = webApi;

const client = (slack: LocalSlack) =>
  new WebClient(slack.bot.token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });

async function errorOf(call: Promise<unknown>): Promise<string | undefined> {
  const error: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof WebAPIPlatformError ? error.data.error : undefined;
}

describe('local Slack: chat.getPermalink', () => {
  it('links to a message a person wrote and to one the app posted, in the shape of Slack’s', async ({
    localSlack: slack,
  }) => {
    const ts = slack.addMessage({ channel: LOCAL_CHANNEL.id, userId: 'U0BOB000001', text: 'hello' });
    const person = await client(slack).chat.getPermalink({ channel: LOCAL_CHANNEL.id, message_ts: ts });
    expect(person.permalink).toBe(`${slack.url}/archives/${LOCAL_CHANNEL.id}/p${ts.replace('.', '')}`);

    const posted = await client(slack).chat.postMessage({ channel: LOCAL_CHANNEL.id, text: 'from the app' });
    const app = await client(slack).chat.getPermalink({
      channel: LOCAL_CHANNEL.id,
      message_ts: posted.ts ?? '',
    });
    expect(app.permalink).toContain(`/archives/${LOCAL_CHANNEL.id}/p`);
    // The link answers, here with a line naming the message.
    expect((await fetch(app.permalink ?? '')).status).toBe(200);
    // A person's message stays theirs: the app cannot change it.
    expect(await errorOf(client(slack).chat.update({ channel: LOCAL_CHANNEL.id, ts, text: 'edited' }))).toBe(
      'cant_update_message',
    );
  });

  it('answers message_not_found for a message it does not know, and channel_not_found for a bad channel', async ({
    localSlack: slack,
  }) => {
    expect(
      await errorOf(
        client(slack).chat.getPermalink({ channel: LOCAL_CHANNEL.id, message_ts: '1700000000.000001' }),
      ),
    ).toBe('message_not_found');
    expect(
      await errorOf(client(slack).chat.getPermalink({ channel: 'nope', message_ts: '1700000000.000001' })),
    ).toBe('channel_not_found');
  });
});
