import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Framework } from '../src/frameworks/schema.js';
import type { LocalSlack } from '../src/sandbox/local-slack.js';
import { sendSigned, slashCommandBody } from '../src/sandbox/signing.js';
import { APP_ARGS, appEnv, FORM, log, SIGNING_SECRET } from './apps.js';
import { prepareClicks } from './burst.js';
import { ratersOf, writeDataFile } from './data.js';
import type { ResponseSink, SinkPost } from './response-sink.js';
import { freePort, preparePost, removeTempDir, sendRaw, spawnNode, tempDir, waitHealthy } from './support.js';

/**
 * The answers the same-job app and the floor give (same-job-app.ts), taken from the app itself once
 * per run: its acknowledgement of `/competency solutions-architect senior`, and its answer on the
 * response_url to the burst's rating click (`4 · Advanced` on the first competency: "2 of 8"), from
 * the production build on a data file of one person half way through a run. Written to a JSON file
 * the baselines read at start; returns its path and the sizes.
 */
export async function prepareAnswers(
  slack: LocalSlack,
  sink: ResponseSink,
  framework: Framework,
  at: string,
): Promise<{ file: string; commandBytes: number; clickBytes: number }> {
  const dir = await tempDir('answers');
  const population = { total: 1, raters: 1 };
  await writeDataFile(path.join(dir, 'competency-data.json'), framework, population, at);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawnNode('app (answers for the baselines)', APP_ARGS, appEnv(slack, port, dir));
  try {
    await waitHealthy(base, child, { intervalMs: 20 });
    const command = await sendSigned(
      `${base}/slack/events`,
      SIGNING_SECRET,
      slashCommandBody({
        command: '/competency',
        text: 'solutions-architect senior',
        response_url: sink.newResponseUrl(),
      }),
      FORM,
    );
    if (command.status !== 200 || !command.text.includes('Expected at Senior')) {
      throw new Error(`the app did not answer the command: ${command.status} ${command.text.slice(0, 300)}`);
    }
    const [click] = prepareClicks(sink, framework, ratersOf(population));
    if (!click) throw new Error('no click');
    const posted = new Promise<SinkPost>((resolve) => {
      const onResponse = (post: SinkPost) => {
        if (post.url !== click.responseUrl) return;
        sink.off('response', onResponse);
        resolve(post);
      };
      sink.on('response', onResponse);
    });
    const ack = await sendRaw(preparePost(`${base}/slack/events`, click.headers, click.body));
    if (ack.status !== 200) throw new Error(`the app did not acknowledge the click: ${ack.status}`);
    const answer = await posted;
    if (!JSON.stringify(answer.body).includes('2 of 8')) {
      throw new Error(`the app's answer to the click is not the next step: ${JSON.stringify(answer.body)}`);
    }
    const answers = { command: JSON.parse(command.text) as unknown, click: answer.body };
    const file = path.join(await tempDir('baselines'), 'answers.json');
    await writeFile(file, JSON.stringify(answers));
    const sizes = {
      commandBytes: Buffer.byteLength(command.text),
      clickBytes: Buffer.byteLength(JSON.stringify(answer.body)),
    };
    log(
      `baselines: the app's answers taken (command ${sizes.commandBytes} bytes, click ${sizes.clickBytes} bytes)`,
    );
    return { file, ...sizes };
  } finally {
    await child.stop();
    await removeTempDir(dir);
  }
}
