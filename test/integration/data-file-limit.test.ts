import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { createLogger, LogLevel } from '../../src/log.js';
import type { PersonData } from '../../src/model/records.js';
import { sendSlashCommand } from '../../src/sandbox/signing.js';
import { type Running, start } from '../../src/start.js';
import { test as it } from '../support/fixtures.js';
import { press, textOf } from './harness.js';

/**
 * The data file's limit as an operator and a person see it, with the app started as `npm start`
 * starts it (HTTP mode, against the local Slack) and the limit lowered as only tests can: the log
 * and GET /metrics warn from 80%, a change past it is refused with words the person can act on,
 * deleting still works, and the app starts again on the file it wrote.
 */

const SECRET = 'datafilelimitsecret0123456789';
const ALICE = 'U0LIMIT0001';

/** The value of one series in a Prometheus exposition; undefined when it is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the data file at its limit, end to end', () => {
  it('warns, refuses kindly, keeps nothing of the refused change, still deletes, and starts again', async ({
    localSlack: slack,
    tempDir,
    onTestFinished,
  }) => {
    const dataDir = path.join(tempDir, 'data');
    const file = path.join(dataDir, 'competency-data.json');
    const logs: string[] = [];
    let running: Running | undefined;
    onTestFinished(() => running?.stop());
    const boot = async (limit?: number) => {
      running = await start(
        {
          SLACK_BOT_TOKEN: slack.bot.token,
          SLACK_SIGNING_SECRET: SECRET,
          SLACK_API_URL: slack.apiUrl,
          HOST: '127.0.0.1',
          PORT: '0',
          DATA_DIR: dataDir,
          FRAMEWORKS_CACHE_DIR: path.join(tempDir, 'frameworks-cache'),
        },
        createLogger(LogLevel.INFO, (line) => logs.push(line)),
        limit === undefined ? {} : { dataFileLimitForTests: limit },
      );
      const base = `http://127.0.0.1:${running.port}`;
      return {
        running,
        target: { slack, eventsUrl: `${base}/slack/events`, signingSecret: SECRET },
        metrics: async () => (await fetch(`${base}/metrics`)).text(),
      };
    };
    const stop = async () => {
      await running?.stop();
      running = undefined;
    };
    const command = async (eventsUrl: string, text: string) =>
      (
        await sendSlashCommand(eventsUrl, SECRET, {
          command: '/competency',
          text,
          user_id: ALICE,
          response_url: slack.newResponseUrl(),
        })
      ).json;
    const onDisk = async () =>
      (JSON.parse(await readFile(file, 'utf8')) as { people: Record<string, PersonData> }).people;

    // Alice starts rating herself, with room to spare.
    let app = await boot();
    const answer = await command(app.target.eventsUrl, 'solutions-architect senior');
    const firstStep = await press(app.target, answer, 'Rate yourself', { userId: ALICE });
    const secondStep = await press(app.target, firstStep, '4 · Advanced', { userId: ALICE });
    await stop();
    const length = (await readFile(file, 'utf8')).length;

    // Restarted with a limit just above the file: past 80% at once, and no room for another rating.
    const limit = length + 5;
    app = await boot(limit);
    const warning = logs.find((line) => line.includes('the app can read back'));
    expect(warning).toContain(file);
    expect(warning).toContain(`${length.toLocaleString('en-US')} characters long`);
    expect(warning).toContain('PostgreSQL');
    expect(warning).toContain('`competency migrate --to postgres`');
    let exposition = await app.metrics();
    expect(sample(exposition, 'competency_store_file_characters{store="lowdb"}')).toBe(length);
    expect(sample(exposition, 'competency_store_file_limit_characters{store="lowdb"}')).toBe(limit);
    expect(exposition).toContain('# HELP competency_store_file_limit_characters ');

    const bytes = await readFile(file);
    const before = await onDisk();
    const refused = await press(app.target, secondStep, '3 · Proficient', { userId: ALICE });
    expect(textOf(refused)).toContain('your change was not saved');
    expect(textOf(refused)).toContain('your data is as it was before');
    expect(textOf(refused)).toContain('tell the person who runs this app');
    expect(textOf(refused)).toContain('PostgreSQL');
    expect(await readFile(file)).toEqual(bytes);
    const [key] = Object.keys(before);
    expect(key).toBeDefined();
    expect(await app.running.store.get(key ?? '')).toEqual(before[key ?? '']);
    exposition = await app.metrics();
    expect(sample(exposition, 'competency_store_write_failures_total{operation="update"}')).toBe(1);
    expect(sample(exposition, 'competency_store_file_characters{store="lowdb"}')).toBe(length);
    // The operator finds the reason, and what to do, in the log.
    expect(logs.some((line) => line.includes('Not saved: with this change the data file'))).toBe(true);

    // After a restart, the app reads the file it kept, with Alice's first rating.
    await stop();
    app = await boot(limit);
    expect(logs).toContainEqual(expect.stringContaining(`Ratings are kept in ${file} (1 people so far)`));
    expect(await app.running.store.get(key ?? '')).toEqual(before[key ?? '']);

    // Deleting still works at the limit, and makes room.
    const confirm = await command(app.target.eventsUrl, 'forget');
    const done = await press(app.target, confirm, 'Delete my data', { userId: ALICE });
    expect(textOf(done)).toMatch(/Deleted \d+ records?/);
    expect(await onDisk()).toEqual({});
    expect(logs.some((line) => line.includes('below 80% of its limit again'))).toBe(true);
    exposition = await app.metrics();
    expect(sample(exposition, 'competency_store_file_characters{store="lowdb"}')).toBe(
      (await readFile(file, 'utf8')).length,
    );
  });
});
