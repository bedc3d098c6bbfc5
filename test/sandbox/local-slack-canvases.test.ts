import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalSlack, startLocalSlack } from '../../src/sandbox/local-slack.js';

/** The local Slack's canvases: made from markdown, kept as last written, refused on request, deleted. */

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

/** Slack's error code of a call that fails. */
async function errorOf(call: Promise<unknown>): Promise<unknown> {
  const error: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WebAPIPlatformError))
    throw new Error(`expected a platform error, got ${String(error)}`);
  return error.data.error;
}

let slack: LocalSlack;
let client: webApi.WebClient;

beforeEach(async () => {
  slack = await startLocalSlack();
  client = new WebClient(slack.bot.token, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    logger: silent,
  });
});
afterEach(() => slack.close());

const markdown = (text: string) => ({ type: 'markdown' as const, markdown: text });

describe('canvases on the local Slack', () => {
  it('keeps a canvas’s markdown as made, then as replaced, and who may change it', async () => {
    const made = await client.canvases.create({
      title: 'Plan',
      document_content: markdown('# Plan\n- [ ] one'),
    });
    const id = String(made.canvas_id);
    expect(slack.canvases).toEqual([
      { id, teamId: slack.team.id, title: 'Plan', markdown: '# Plan\n- [ ] one', access: {} },
    ]);
    await client.canvases.edit({
      canvas_id: id,
      changes: [{ operation: 'replace', document_content: markdown('# Plan\n- [x] one') }],
    });
    await client.canvases.access.set({ canvas_id: id, access_level: 'write', user_ids: ['U0LOCAL0001'] });
    expect(slack.canvases[0]).toMatchObject({
      markdown: '# Plan\n- [x] one',
      access: { U0LOCAL0001: 'write' },
    });
  });

  it('answers canvas_not_found for a deleted canvas, and the refusal a test sets until it is lifted', async () => {
    const id = String((await client.canvases.create({ document_content: markdown('x') })).canvas_id);
    slack.deleteCanvas(id);
    expect(
      await errorOf(
        client.canvases.edit({
          canvas_id: id,
          changes: [{ operation: 'replace', document_content: markdown('y') }],
        }),
      ),
    ).toBe('canvas_not_found');
    slack.refuseCanvases('not_allowed');
    expect(await errorOf(client.canvases.create({ document_content: markdown('x') }))).toBe('not_allowed');
    slack.refuseCanvases(undefined);
    expect((await client.canvases.create({ document_content: markdown('x') })).ok).toBe(true);
  });
});
