import { readFileSync } from 'node:fs';
import { App, LogLevel } from '@slack/bolt';
import pg from 'pg';

/**
 * A baseline that does the same job as the app, as far as a person can see, and nothing more: the
 * least Bolt app that gives the same answers, with the same Bolt version, the same local Slack and
 * the same environment variables as the real app.
 * - `/competency …` is acknowledged with the same message the app answers
 *   `/competency solutions-architect senior` with (6.4 kB), prepared once: the bench asks the app
 *   for it and hands it over in BENCH_ANSWERS_FILE;
 * - a rating click is acknowledged; then, in one transaction on the same `people` table the app
 *   writes (DATABASE_URL, the app's own schema), the person's row is read and locked, the rating is
 *   put in their JSON document and the run moved on, and the row is written back; then an answer of
 *   the same size as the app's (the app's own answer to the same click, prepared once) is posted to
 *   the click's response_url with Bolt's `respond`.
 * With BENCH_NO_STORE=1 it is the floor: the same acknowledgement and the same answer, no store.
 */

type Answers = { command: Record<string, unknown>; click: Record<string, unknown> };
type Rating = { value: number; at: string; frameworkVersion: string };
type Person = {
  ratings: Record<string, Record<string, Rating>>;
  drafts: Record<string, { position: number; updatedAt: string }>;
};
type ClickValue = { f: string; v: string; s: string; c: string; a: number };

const env = process.env;
const answers = JSON.parse(readFileSync(env.BENCH_ANSWERS_FILE ?? '', 'utf8')) as Answers;
const teamOf = (body: { team?: { id?: string } | null }) => body.team?.id ?? '';
const pool =
  env.BENCH_NO_STORE === '1' || env.DATABASE_URL === undefined
    ? undefined
    : new pg.Pool({
        connectionString: env.DATABASE_URL,
        max: 10,
        application_name: 'competency-bench-same-job',
      });

/** The click's rating in the person's row: read and locked, changed, written, in one transaction. */
async function storeRating(personKey: string, value: ClickValue): Promise<void> {
  if (!pool) return;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ data: Person }>(
      'SELECT data FROM people WHERE person_key = $1 FOR UPDATE',
      [personKey],
    );
    const person = rows[0]?.data;
    if (!person) throw new Error(`no row for ${personKey}`);
    const at = new Date().toISOString();
    person.ratings[value.f] = {
      ...person.ratings[value.f],
      [value.c]: { value: value.a, at, frameworkVersion: value.v },
    };
    const draft = person.drafts[value.f];
    if (draft) {
      draft.position += 1;
      draft.updatedAt = at;
    }
    await client.query(
      'UPDATE people SET data = $2, version = version + 1, updated_at = now() WHERE person_key = $1',
      [personKey, JSON.stringify(person)],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const app = new App({
  token: env.SLACK_BOT_TOKEN,
  signingSecret: env.SLACK_SIGNING_SECRET ?? '',
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: env.SLACK_API_URL },
  // Nothing here keeps state per conversation: without Bolt's conversation store (which the app
  // turns off too) no request pays for looking it up.
  convoStore: false,
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      },
    },
  ],
});

app.command('/competency', async ({ ack }) => {
  await ack(answers.command);
});

app.action('assessment_answer:4', async ({ ack, body, action, respond }) => {
  await ack();
  const value = JSON.parse('value' in action && typeof action.value === 'string' ? action.value : '{}');
  await storeRating(`${teamOf(body)}:${body.user.id}`, value as ClickValue);
  await respond(answers.click);
});

await app.start({ port: Number(env.PORT ?? 3000), host: env.HOST ?? '127.0.0.1' });

const stop = () => {
  Promise.all([app.stop(), pool?.end()]).then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
