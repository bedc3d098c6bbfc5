import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_CHANNEL, LOCAL_USER } from '../../src/sandbox/defaults.js';
import { type LocalSlack, startLocalSlack } from '../../src/sandbox/local-slack.js';
import { SAMPLE_USERS } from '../../src/sandbox/teams.js';

const { WebClient, WebAPIPlatformError, LogLevel } = webApi;

const silent = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

const client = (slack: LocalSlack, token = slack.bot.token) =>
  new WebClient(token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger: silent });

/** Slack's error code of a call that fails, and the rest of its answer. */
async function refusal(call: Promise<unknown>): Promise<Record<string, unknown>> {
  const error: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WebAPIPlatformError))
    throw new Error(`expected a platform error, got ${String(error)}`);
  return error.data as unknown as Record<string, unknown>;
}

const users = (n: number) => Array.from({ length: n }, (_, i) => `U${String(i).padStart(8, '0')}`);

describe('local Slack: who is in a channel or a user group', () => {
  let slack: LocalSlack;
  beforeEach(async () => {
    slack = await startLocalSlack({
      oauth: { clientId: '1111111111.2222222222', clientSecret: 'local-client-secret' },
    });
  });
  afterEach(async () => {
    await slack.close();
  });

  it('the local channel has the local user and the sample people until told otherwise', async () => {
    const answer = await client(slack).conversations.members({ channel: LOCAL_CHANNEL.id });
    expect(answer.members).toEqual([LOCAL_USER.id, ...SAMPLE_USERS.map((u) => u.id)]);
    expect(answer.response_metadata?.next_cursor).toBe('');
  });

  it('pages a large channel with next_cursor, like Slack, 100 at a time unless told', async () => {
    const everyone = users(2_345);
    slack.setChannelMembers('C0BIG000001', everyone);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client(slack).conversations.members({
        channel: 'C0BIG000001',
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...(page.members ?? []));
      cursor = page.response_metadata?.next_cursor || undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(everyone);
    const first = await client(slack).conversations.members({ channel: 'C0BIG000001' });
    expect(first.members).toHaveLength(100);
    // The calls are recorded like any other.
    expect(slack.calls.filter((c) => c.method === 'conversations.members')).toHaveLength(4);
  });

  it('answers channel_not_found, invalid_cursor and invalid_limit as Slack does', async () => {
    expect((await refusal(client(slack).conversations.members({ channel: 'C0NOWHERE01' }))).error).toBe(
      'channel_not_found',
    );
    slack.setChannelMembers('C0SMALL0001', users(3));
    expect(
      (await refusal(client(slack).conversations.members({ channel: 'C0SMALL0001', cursor: 'bm9wZQ==' })))
        .error,
    ).toBe('invalid_cursor');
    expect(
      (await refusal(client(slack).conversations.members({ channel: 'C0SMALL0001', limit: 1001 }))).error,
    ).toBe('invalid_limit');
    expect(() => slack.setChannelMembers('general', [])).toThrow('channel id');
  });

  it('lists a user group at once, finds it by handle, and answers no_such_subteam for others', async () => {
    slack.setUserGroup('S0DEVS00001', ['U1', 'U2'], { handle: 'devs', name: 'Developers' });
    slack.setUserGroup('S0ELSEWHERE', ['U3'], { teamId: 'T0OTHER0001' });
    expect((await client(slack).usergroups.users.list({ usergroup: 'S0DEVS00001' })).users).toEqual([
      'U1',
      'U2',
    ]);
    const groups = (await client(slack).usergroups.list()).usergroups ?? [];
    expect(groups.map((g) => [g.id, g.handle, g.name])).toEqual([['S0DEVS00001', 'devs', 'Developers']]);
    for (const usergroup of ['S0NOPE00001', 'S0ELSEWHERE']) {
      expect((await refusal(client(slack).usergroups.users.list({ usergroup }))).error).toBe(
        'no_such_subteam',
      );
    }
    expect(() => slack.setUserGroup('devs', [])).toThrow('user group id');
  });

  it('membership is kept by reset, like installations', async () => {
    slack.setChannelMembers(LOCAL_CHANNEL.id, ['U1']);
    slack.reset();
    expect((await client(slack).conversations.members({ channel: LOCAL_CHANNEL.id })).members).toEqual([
      'U1',
    ]);
  });

  it('an installation without the scopes gets missing_scope, saying what is needed; with them, the members', async () => {
    const exchange = async (scopes: string) => {
      const code = slack.issueCode({ target: slack.team.id, scopes });
      const answer = await client(slack, '').oauth.v2.access({
        client_id: '1111111111.2222222222',
        client_secret: 'local-client-secret',
        code,
      });
      return answer.access_token ?? '';
    };
    const old = await exchange('commands,chat:write,im:write,files:write');
    const denied = await refusal(client(slack, old).conversations.members({ channel: LOCAL_CHANNEL.id }));
    expect(denied).toMatchObject({ error: 'missing_scope', needed: 'channels:read,groups:read' });
    expect((await refusal(client(slack, old).usergroups.users.list({ usergroup: 'S0X' }))).error).toBe(
      'missing_scope',
    );
    // Installed again with the new scopes (as an admin's reinstall does): granted.
    const renewed = await exchange('channels:read,groups:read,usergroups:read');
    expect((await client(slack, renewed).conversations.members({ channel: LOCAL_CHANNEL.id })).ok).toBe(true);
  });
});
