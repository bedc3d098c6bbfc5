import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxRunning, startSandbox } from '../../src/sandbox/sandbox.js';

type State = {
  users: { id: string; name: string }[];
  userGroups: { id: string; handle: string; name: string; count: number }[];
  messages: { text: string; blocks: { type: string; text?: { text: string } }[] }[];
};

const SAM = 'U0SAMRIVERA';
const SAM_2 = 'U0SAMRIVER2';

/**
 * The sandbox's user groups: each workspace has one of its sample people, which the page's @ list
 * offers and the local Slack serves (usergroups.list, usergroups.users.list), so that
 * `/competency team @group` works in the sandbox as in Slack.
 */
describe('the sandbox’s user groups', () => {
  let sandbox: SandboxRunning;
  let dir: string;
  const post = async (route: string, body: object) =>
    (
      await fetch(`${sandbox.url}/sandbox/api/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json();
  const state = async (user: string): Promise<State> =>
    (await fetch(`${sandbox.url}/sandbox/api/state?user=${user}`)).json() as Promise<State>;
  /** What the person sees last, all its text. */
  const lastSeen = async (user: string) => {
    const m = (await state(user)).messages.at(-1);
    return [m?.text ?? '', ...(m?.blocks ?? []).map((b) => b.text?.text ?? '')].join('\n');
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'competency-sandbox-groups-'));
    sandbox = await startSandbox(
      { PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'warn', FRAMEWORKS_CACHE_DIR: 'off' },
      { print: () => {} },
    );
  }, 60_000);
  afterAll(async () => {
    await sandbox?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists each workspace’s group of its sample people for the page', async () => {
    const here = await state(SAM);
    expect(here.userGroups).toEqual([
      { id: 'S0SAMPLETM1', handle: 'sample-team', name: 'Sample team', count: 3 },
    ]);
    const there = await state(SAM_2);
    expect(there.userGroups).toEqual([
      { id: 'S0SAMPLETM2', handle: 'sample-team', name: 'Sample team', count: 3 },
    ]);
  });

  it('answers /competency team with the group picked from the @ list, as Slack sends it', async () => {
    expect(await post('command', { user: SAM, text: 'team <!subteam^S0SAMPLETM1|@sample-team>' })).toEqual({
      ok: true,
    });
    await expect.poll(() => lastSeen(SAM)).toContain('Team view · @sample-team');
    expect(await lastSeen(SAM)).toContain('Not enough people in @sample-team have shared');
  });

  it('finds the group by its handle typed by hand too', async () => {
    expect(await post('command', { user: SAM, text: 'team @sample-team' })).toEqual({ ok: true });
    await expect.poll(() => lastSeen(SAM)).toContain('Not enough people in @sample-team have shared');
  });

  it('knows no group of another workspace', async () => {
    expect(await post('command', { user: SAM, text: 'team <!subteam^S0SAMPLETM2|@sample-team>' })).toEqual({
      ok: true,
    });
    await expect.poll(() => lastSeen(SAM)).toContain("Slack doesn't know that user group");
  });
});
