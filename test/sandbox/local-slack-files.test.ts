import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalSlack, startLocalSlack, type UploadedFile } from '../../src/sandbox/local-slack.js';

// bolt re-exports @slack/web-api: this is the same WebClient as bolt's `client`.
const { WebClient, WebAPIPlatformError, ErrorCode, LogLevel } = webApi;

const silent = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

const USER = 'U0EXPORTER1';
/** Non-ASCII on purpose: `length` is in bytes, not characters. */
const JSON_EXPORT = `${JSON.stringify({ user: USER, ratings: [{ skill: 'Café ☕ design', level: 4 }] }, null, 2)}\n`;
const CSV_EXPORT = 'skill,level,note\r\n"Systems, design",4,"said ""yes"""\r\nNaïve résumé ✓,2,\r\n';

async function platformError(call: Promise<unknown>): Promise<InstanceType<typeof WebAPIPlatformError>> {
  const error: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WebAPIPlatformError))
    throw new Error(`expected a platform error, got ${String(error)}`);
  expect(error.code).toBe(ErrorCode.PlatformError);
  return error;
}

/** The fields of an UploadedFile other than its `text()` method. */
function dataOf(file: UploadedFile | undefined): Omit<UploadedFile, 'text'> | undefined {
  if (file === undefined) return undefined;
  const { text: _text, ...data } = file;
  return data;
}

describe('local Slack: DMs and file uploads', () => {
  let slack: LocalSlack;
  let client: InstanceType<typeof WebClient>;

  beforeAll(async () => {
    slack = await startLocalSlack();
    client = new WebClient(slack.bot.token, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      logger: silent,
    });
  });

  afterAll(async () => {
    await slack.close();
  });

  beforeEach(() => {
    slack.reset();
  });

  /** Starts an upload by hand (step 1 of uploadV2) and returns its file id and upload URL. */
  async function startUpload(filename: string, length: number): Promise<{ id: string; url: string }> {
    const started = await client.files.getUploadURLExternal({ filename, length });
    expect(started).toMatchObject({ ok: true, file_id: expect.stringMatching(/^F[A-Z0-9]+$/) });
    const id = String(started.file_id);
    expect(started.upload_url).toBe(`${slack.url}/upload/${id}`);
    return { id, url: String(started.upload_url) };
  }

  describe('conversations.open', () => {
    it('opens a DM with one user, with the same id every time', async () => {
      const first = await client.conversations.open({ users: USER });
      expect(first).toMatchObject({ ok: true, channel: { id: 'D0EXPORTER1' } });
      expect(first.already_open).toBeUndefined();
      const again = await client.conversations.open({ users: USER });
      expect(again).toMatchObject({
        ok: true,
        no_op: true,
        already_open: true,
        channel: { id: 'D0EXPORTER1' },
      });
      // The DM id is the one chat.postMessage to the user id answers with.
      const posted = await client.chat.postMessage({ channel: USER, text: 'hi' });
      expect(posted.channel).toBe('D0EXPORTER1');
      expect(slack.calls[0]).toEqual({
        method: 'conversations.open',
        args: { users: USER },
        token: slack.bot.token,
        ok: true,
      });
    });

    it('opens a group DM for several users, whatever their order', async () => {
      const a = await client.conversations.open({ users: 'U0AAAAAAAA1,U0BBBBBBBB2' });
      const b = await client.conversations.open({ users: 'U0BBBBBBBB2, U0AAAAAAAA1' });
      expect(a.channel?.id).toMatch(/^G[A-Z0-9]{10}$/);
      expect(b.channel?.id).toBe(a.channel?.id);
    });

    it('answers like Slack when the users are missing or wrong', async () => {
      expect((await platformError(client.apiCall('conversations.open', {}))).data.error).toBe(
        'users_list_not_supplied',
      );
      expect((await platformError(client.conversations.open({ users: '' }))).data.error).toBe(
        'users_list_not_supplied',
      );
      expect((await platformError(client.conversations.open({ users: 'C0LOCALCHN1' }))).data.error).toBe(
        'user_not_found',
      );
      expect((await platformError(client.conversations.open({ users: slack.bot.userId }))).data.error).toBe(
        'cannot_dm_bot',
      );
      const nine = Array.from({ length: 9 }, (_, i) => `U00000000${i}`).join(',');
      expect((await platformError(client.conversations.open({ users: nine }))).data.error).toBe(
        'too_many_users',
      );
    });

    it('resumes a DM by its id', async () => {
      expect(await client.conversations.open({ channel: 'D0EXPORTER1' })).toMatchObject({
        ok: true,
        channel: { id: 'D0EXPORTER1' },
      });
      expect((await platformError(client.conversations.open({ channel: 'C0LOCALCHN1' }))).data.error).toBe(
        'method_not_supported_for_channel_type',
      );
    });
  });

  describe('files.uploadV2', () => {
    it('delivers files to a DM, with the exact bytes, names, titles and comment', async () => {
      const opened = await client.conversations.open({ users: USER });
      const channelId = String(opened.channel?.id);
      const result = await client.files.uploadV2({
        channel_id: channelId,
        initial_comment: 'Here is your data export.',
        file_uploads: [
          // `file` is a Buffer or a path; text goes in `content` (or `file: Buffer.from(text)`).
          {
            file: Buffer.from(JSON_EXPORT),
            filename: 'competency-export.json',
            title: 'Your ratings (JSON)',
          },
          { content: CSV_EXPORT, filename: 'competency-export.csv', title: 'Your ratings (CSV)' },
        ],
      });

      expect(slack.files.map(dataOf)).toEqual([
        {
          id: expect.stringMatching(/^F/),
          filename: 'competency-export.json',
          title: 'Your ratings (JSON)',
          channelId: 'D0EXPORTER1',
          threadTs: undefined,
          initialComment: 'Here is your data export.',
          content: Buffer.from(JSON_EXPORT),
        },
        {
          id: expect.stringMatching(/^F/),
          filename: 'competency-export.csv',
          title: 'Your ratings (CSV)',
          channelId: 'D0EXPORTER1',
          threadTs: undefined,
          initialComment: 'Here is your data export.',
          content: Buffer.from(CSV_EXPORT),
        },
      ]);
      const [json, csv] = slack.files;
      expect(json?.text()).toBe(JSON_EXPORT);
      expect(JSON.parse(json?.text() ?? '')).toEqual(JSON.parse(JSON_EXPORT));
      expect(csv?.text()).toBe(CSV_EXPORT);

      // What web-api sent: one getUploadURLExternal per file (length in bytes), one completion for both.
      expect(slack.calls.map((c) => c.method)).toEqual([
        'conversations.open',
        'files.getUploadURLExternal',
        'files.getUploadURLExternal',
        'files.completeUploadExternal',
      ]);
      const byName = (name: string) =>
        slack.calls.find((c) => c.method === 'files.getUploadURLExternal' && c.args.filename === name)?.args;
      expect(byName('competency-export.json')).toEqual({
        filename: 'competency-export.json',
        length: String(Buffer.byteLength(JSON_EXPORT)),
      });
      expect(byName('competency-export.csv')?.length).toBe(String(Buffer.byteLength(CSV_EXPORT)));
      expect(Buffer.byteLength(CSV_EXPORT)).toBeGreaterThan(CSV_EXPORT.length);
      expect(slack.calls[3]?.args).toEqual({
        files: [
          { id: json?.id, title: 'Your ratings (JSON)' },
          { id: csv?.id, title: 'Your ratings (CSV)' },
        ],
        channel_id: 'D0EXPORTER1',
        initial_comment: 'Here is your data export.',
      });

      expect(result).toMatchObject({
        ok: true,
        files: [
          {
            ok: true,
            files: [
              { id: json?.id, name: 'competency-export.json', title: 'Your ratings (JSON)' },
              { id: csv?.id, name: 'competency-export.csv', title: 'Your ratings (CSV)' },
            ],
          },
        ],
      });
    });

    it('treats a string `file` as a path, not as the contents', async () => {
      const error: unknown = await client.files
        .uploadV2({ channel_id: 'D0EXPORTER1', file: JSON_EXPORT, filename: 'export.json' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ code: ErrorCode.FileUploadInvalidArgumentsError });
      expect(slack.calls).toEqual([]);
    });

    it('keeps a file private when no channel is given, and defaults the title to the filename', async () => {
      await client.files.uploadV2({ content: 'a,b\n', filename: 'private.csv' });
      expect(slack.files.map(dataOf)).toEqual([
        expect.objectContaining({ filename: 'private.csv', title: 'private.csv', channelId: undefined }),
      ]);
    });

    it('throws a platform error, and records no file, when completeUploadExternal fails', async () => {
      slack.failNext('files.completeUploadExternal', 'not_in_channel');
      const error = await platformError(
        client.files.uploadV2({
          channel_id: 'D0EXPORTER1',
          initial_comment: 'Your export',
          file_uploads: [
            { content: JSON_EXPORT, filename: 'export.json' },
            { content: CSV_EXPORT, filename: 'export.csv' },
          ],
        }),
      );
      expect(error.data.error).toBe('not_in_channel');
      expect(slack.files).toEqual([]);
      expect(slack.calls.at(-1)).toMatchObject({
        method: 'files.completeUploadExternal',
        ok: false,
        error: 'not_in_channel',
      });

      // The failure is used up: the same upload works next time.
      await client.files.uploadV2({ channel_id: 'D0EXPORTER1', content: CSV_EXPORT, filename: 'export.csv' });
      expect(slack.files.map((f) => f.text())).toEqual([CSV_EXPORT]);
    });

    it('fails an upload to a user id: a DM has to be opened first', async () => {
      const error = await platformError(
        client.files.uploadV2({ channel_id: USER, content: 'x', filename: 'export.txt' }),
      );
      expect(error.data.error).toBe('channel_not_found');
      expect(slack.files).toEqual([]);
    });

    it('shares into a thread', async () => {
      await client.files.uploadV2({
        channel_id: 'C0LOCALCHN1',
        thread_ts: '1712345678.000100',
        content: 'x',
        filename: 'x.txt',
      });
      expect(slack.files[0]).toMatchObject({ channelId: 'C0LOCALCHN1', threadTs: '1712345678.000100' });
    });

    it('lets a test wait for files, and forgets them on reset', async () => {
      const waiting = slack.waitForFiles(1);
      await client.files.uploadV2({ channel_id: 'D0EXPORTER1', content: 'x', filename: 'x.txt' });
      const [file] = await waiting;
      expect(file?.text()).toBe('x');
      slack.reset();
      expect(slack.files).toEqual([]);
      await expect(slack.waitForFiles(1, 50)).rejects.toThrow(
        'local Slack: timed out after 50 ms waiting for 1 completed file uploads; got 0',
      );
    });
  });

  describe('the upload steps one by one', () => {
    it('takes a raw body at the upload URL and answers like Slack', async () => {
      const { id, url } = await startUpload('raw.txt', 5);
      const response = await fetch(url, { method: 'POST', body: 'hello' });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('OK - 5');
      await client.files.completeUploadExternal({ files: [{ id, title: 'Raw' }], channel_id: 'C0LOCALCHN1' });
      expect(slack.files[0]).toMatchObject({
        id,
        filename: 'raw.txt',
        title: 'Raw',
        content: Buffer.from('hello'),
      });
    });

    it('takes the first file part of a multipart body', async () => {
      const { id, url } = await startUpload('form.bin', 4);
      const form = new FormData();
      form.append('note', 'not the file');
      form.append('file', new Blob([new Uint8Array([0, 255, 13, 10])]), 'form.bin');
      const response = await fetch(url, { method: 'POST', body: form });
      expect(await response.text()).toBe('OK - 4');
      await client.files.completeUploadExternal({ files: [{ id }] });
      expect(slack.files[0]?.content).toEqual(Buffer.from([0, 255, 13, 10]));
      expect(slack.files[0]?.title).toBeUndefined();
    });

    it('rejects bytes that do not match the declared length, and unknown upload URLs', async () => {
      const { url } = await startUpload('short.txt', 10);
      const wrong = await fetch(url, { method: 'POST', body: 'hello' });
      expect(wrong.status).toBe(400);
      expect(await wrong.text()).toBe('length_mismatch: expected 10 bytes, got 5');
      const unknown = await fetch(`${slack.url}/upload/FNOTAFILE1`, { method: 'POST', body: 'x' });
      expect(unknown.status).toBe(404);
    });

    it('will not complete a file whose bytes never arrived, or one completed already', async () => {
      const { id, url } = await startUpload('late.txt', 1);
      const early = await platformError(client.files.completeUploadExternal({ files: [{ id }] }));
      expect(early.data.error).toBe('file_not_found');
      await fetch(url, { method: 'POST', body: 'x' });
      await client.files.completeUploadExternal({ files: [{ id }] });
      const twice = await platformError(client.files.completeUploadExternal({ files: [{ id }] }));
      expect(twice.data.error).toBe('file_not_found');
      const madeUp = await platformError(
        client.files.completeUploadExternal({ files: [{ id: 'FNOPE12345' }] }),
      );
      expect(madeUp.data.error).toBe('file_not_found');
      expect(slack.files).toHaveLength(1);
    });

    it('checks the arguments of both methods', async () => {
      const noLength = await platformError(
        client.apiCall('files.getUploadURLExternal', { filename: 'a.txt' }),
      );
      expect(noLength.data.error).toBe('invalid_arguments');
      const badLength = await platformError(
        client.apiCall('files.getUploadURLExternal', { filename: 'a.txt', length: 'lots' }),
      );
      expect(badLength.data.error).toBe('invalid_arguments');
      const noName = await platformError(client.apiCall('files.getUploadURLExternal', { length: 1 }));
      expect(noName.data.error).toBe('invalid_arguments');
      const noFiles = await platformError(client.apiCall('files.completeUploadExternal', {}));
      expect(noFiles.data.error).toBe('invalid_arguments');
      const emptyFiles = await platformError(client.apiCall('files.completeUploadExternal', { files: [] }));
      expect(emptyFiles.data.error).toBe('invalid_arguments');
    });
  });

  describe('chat.postEphemeral', () => {
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: 'Your export could not be sent as a DM.' } },
    ];

    it('records the call with its arguments, blocks parsed', async () => {
      const result = await client.chat.postEphemeral({
        channel: 'C0LOCALCHN1',
        user: USER,
        text: 'Your export could not be sent as a DM.',
        blocks,
      });
      expect(result).toMatchObject({ ok: true, message_ts: expect.stringMatching(/^\d+\.\d{6}$/) });
      const [call] = await slack.waitForCalls('chat.postEphemeral', 1);
      expect(call).toEqual({
        method: 'chat.postEphemeral',
        args: { channel: 'C0LOCALCHN1', user: USER, text: 'Your export could not be sent as a DM.', blocks },
        token: slack.bot.token,
        ok: true,
      });
    });

    it('validates blocks and requires channel, user and text', async () => {
      const tooLong = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
      const invalid = await platformError(
        client.chat.postEphemeral({ channel: 'C1', user: USER, text: 'fallback', blocks: tooLong }),
      );
      expect(invalid.data.error).toBe('invalid_blocks');
      expect(slack.calls[0]?.problems).toEqual([
        'blocks[0] (section): text is 3001 characters; the limit is 3000',
      ]);

      const noUser = await platformError(client.apiCall('chat.postEphemeral', { channel: 'C1', text: 'hi' }));
      expect(noUser.data.error).toBe('invalid_arguments');
      const noChannel = await platformError(client.apiCall('chat.postEphemeral', { user: USER, text: 'hi' }));
      expect(noChannel.data.error).toBe('channel_not_found');
      const noText = await platformError(client.apiCall('chat.postEphemeral', { channel: 'C1', user: USER }));
      expect(noText.data.error).toBe('no_text');
    });
  });
});
