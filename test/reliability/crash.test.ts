import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import type { Framework } from '../../src/frameworks/schema.js';
import type { LocalSlack } from '../../src/sandbox/local-slack.js';
import { sendInteraction } from '../../src/sandbox/signing.js';
import { checkDataFile } from '../../src/store/schema.js';
import { firstRatingClick, justStarted } from '../fixtures/runs.js';
import { type AppProcess, startAppProcess } from '../integration/app-process.js';
import { it } from '../support/fixtures.js';

const SECRET = 'crashtestsigningsecret01';
const TEAM = 'T0LOCAL0001';
const PEOPLE = 300;

/** The real app as its own process, so it can be killed with SIGKILL like a crashed server. */
function startApp(slack: LocalSlack, dataDir: string): Promise<AppProcess> {
  return startAppProcess({
    SLACK_BOT_TOKEN: slack.bot.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    // A killed app's lock on the folder is taken over after 2 s of silence, not the default 10 s.
    DATA_LOCK_STALE_SECONDS: '2',
  });
}

const userOf = (round: number, i: number) => `U0R${round}P${String(i).padStart(5, '0')}`;

/** A data file in which each person of this round has just pressed Rate yourself. */
function withDrafts(framework: Framework, round: number, base: Record<string, unknown>) {
  const at = new Date().toISOString();
  const people: Record<string, unknown> = { ...base };
  for (let i = 0; i < PEOPLE; i++) {
    people[`${TEAM}:${userOf(round, i)}`] = {
      ratings: {},
      drafts: { [framework.id]: justStarted(framework, `crash-${round}-${i}`, at) },
      history: [],
    };
  }
  return { formatVersion: 1, people };
}

describe('a crash in the middle of a burst of ratings loses nothing that was confirmed', () => {
  let slack: LocalSlack;
  let dataDir: string;
  let framework: Framework;
  const file = () => path.join(dataDir, 'competency-data.json');

  // One data folder for the three rounds: each starts from what the one before left.
  it.beforeAll(async ({ sharedLocalSlack, sharedTempDir }) => {
    slack = sharedLocalSlack;
    dataDir = sharedTempDir;
    const bundled = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).find(
      (f) => f.id === 'solutions-architect.e-commerce',
    );
    if (!bundled) throw new Error('no bundled framework');
    framework = bundled;
  });

  // Kill after the first confirmation, a few, and most: different points in the group commits.
  it.each([1, 20, 90])(
    'kill -9 after %i confirmed ratings; every confirmed one is on disk after a restart',
    async (killAfter) => {
      const round = killAfter;
      const previous = JSON.parse(await readFile(file(), 'utf8').catch(() => '{"people":{}}')) as {
        people: Record<string, unknown>;
      };
      await writeFile(file(), JSON.stringify(withDrafts(framework, round, previous.people)));
      const app = await startApp(slack, dataDir);
      const eventsUrl = `http://127.0.0.1:${app.port}/slack/events`;

      // Which person each response_url belongs to; a post to it is the app's confirmation.
      const owner = new Map<string, string>();
      const confirmed = new Set<string>();
      const onResponse = (post: { url: string; ok: boolean; body: Record<string, unknown> }) => {
        const user = owner.get(post.url);
        if (!user || !post.ok || !JSON.stringify(post.body).includes('2 of 8')) return;
        confirmed.add(user);
        if (confirmed.size === killAfter) app.child.kill('SIGKILL');
      };
      slack.on('response', onResponse);

      const clicks = Array.from({ length: PEOPLE }, (_, i) => {
        const user = userOf(round, i);
        const responseUrl = slack.newResponseUrl();
        owner.set(responseUrl, user);
        const payload = firstRatingClick(framework, {
          userId: user,
          sessionId: `crash-${round}-${i}`,
          responseUrl,
        });
        // Requests cut off by the crash fail; that is the point.
        return sendInteraction(eventsUrl, SECRET, payload).catch(() => undefined);
      });
      await Promise.all(clicks);
      await app.exited;
      slack.off('response', onResponse);
      expect(confirmed.size).toBeGreaterThanOrEqual(killAfter);
      // The kill cut the burst short: not everyone was answered.
      expect(confirmed.size).toBeLessThan(PEOPLE);

      // The file on disk parses and validates, and holds every confirmed rating.
      const text = await readFile(file(), 'utf8');
      const checked = checkDataFile(JSON.parse(text));
      expect(checked.ok).toBe(true);
      const people = (
        JSON.parse(text) as {
          people: Record<string, { ratings: Record<string, Record<string, { value: unknown }>> }>;
        }
      ).people;
      for (const user of confirmed) {
        const rating =
          people[`${TEAM}:${user}`]?.ratings[framework.id]?.[framework.competencies[0]?.id ?? '']?.value;
        expect(rating, `confirmed rating of ${user}`).toBe(4);
      }

      // The app starts again on the same folder (the dead process's lock is taken over) and serves.
      const again = await startApp(slack, dataDir);
      const health = await fetch(`http://127.0.0.1:${again.port}/healthz`);
      expect(health.status).toBe(200);
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    },
    60_000,
  );
});
