import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateMessage } from '../block-kit.js';
import { isRecord, slackId } from '../defaults.js';
import { mediaType, readRawBody, sendText } from './http.js';
import type { PendingUpload, SlackState } from './state.js';
import type { UploadedFile } from './types.js';
import {
  type ApiResult,
  CONVERSATION_ID,
  invalidArguments,
  invalidBlocks,
  type Method,
  type MethodAnswer,
  type MethodCall,
  missing,
  str,
} from './web-api.js';

/**
 * Files: `files.uploadV2` in @slack/web-api is three steps, all supported here —
 * `files.getUploadURLExternal` (per file: `filename`, `length`) → a POST of the bytes to the
 * returned `upload_url` (web-api sends multipart/form-data with one part named `body`; a raw body
 * works too) → `files.completeUploadExternal` (`files` = JSON `[{ id, title }]`, `channel_id`,
 * `initial_comment`, `thread_ts`). Only completed uploads appear in `LocalSlack.files`.
 */

/** The most bytes one upload URL takes (Slack allows far more; tests never need it). */
const UPLOAD_LIMIT = 50 * 1024 * 1024;

function getUploadUrl(state: SlackState, { args }: MethodCall): ApiResult {
  const filename = str(args.filename);
  if (filename === undefined) return missing('filename');
  if (args.length === undefined || args.length === '') return missing('length');
  // Form-encoded, `length` arrives as a string.
  const length = typeof args.length === 'number' ? args.length : Number(String(args.length));
  if (!Number.isSafeInteger(length) || length < 0) {
    return invalidArguments(`length must be a whole number of bytes, not ${JSON.stringify(args.length)}`);
  }
  if (length > UPLOAD_LIMIT) return { ok: false, error: 'file_too_large' };
  const altText = str(args.alt_text) ?? str(args.alt_txt);
  // Slack's limit for an image's description.
  if (altText !== undefined && altText.length > 1000) return { ok: false, error: 'alt_txt_too_large' };
  const id = slackId('F');
  state.uploads.set(id, {
    id,
    filename,
    length,
    content: undefined,
    altText: str(args.alt_text) ?? str(args.alt_txt),
  });
  return { ok: true, upload_url: `${state.url}/upload/${id}`, file_id: id };
}

function completeUpload(state: SlackState, { args, actor }: MethodCall): MethodAnswer {
  if (args.files === undefined) return { result: missing('files') };
  const entries = args.files;
  if (!Array.isArray(entries) || entries.length === 0) {
    return { result: invalidArguments('files must be a non-empty JSON array of { id, title }') };
  }
  const wanted: { upload: PendingUpload; title: string | undefined }[] = [];
  for (const entry of entries) {
    const id = isRecord(entry) ? str(entry.id) : undefined;
    if (!isRecord(entry) || id === undefined) {
      return { result: invalidArguments(`every entry of files needs an id; got ${JSON.stringify(entry)}`) };
    }
    const upload = state.uploads.get(id);
    if (upload === undefined || upload.content === undefined) {
      const why =
        upload === undefined
          ? `${id} is not a file id from files.getUploadURLExternal (or it was completed already)`
          : `nothing was uploaded to the upload_url of ${id}`;
      return {
        result: { ok: false, error: 'file_not_found', response_metadata: { messages: [`[ERROR] ${why}`] } },
      };
    }
    if (wanted.some((w) => w.upload.id === id)) {
      return { result: invalidArguments(`file ${id} is listed twice`) };
    }
    wanted.push({ upload, title: str(entry.title) });
  }

  const channelId = str(args.channel_id) ?? str(args.channels);
  const threadTs = str(args.thread_ts);
  const initialComment = str(args.initial_comment);
  // A user id is not a channel: a DM has to be opened with conversations.open first.
  if (channelId !== undefined && !CONVERSATION_ID.test(channelId)) {
    return { result: { ok: false, error: 'channel_not_found' } };
  }
  if (threadTs !== undefined && channelId === undefined) return { result: missing('channel_id') };
  // Slack ignores blocks when there is an initial_comment; the files stand in for a text fallback.
  if (args.blocks !== undefined && initialComment === undefined) {
    const problems = validateMessage({ text: 'files', blocks: args.blocks });
    if (problems.length > 0) return { result: invalidBlocks(problems), problems };
  }

  const created = Math.floor(Date.now() / 1000);
  const answer: Record<string, unknown>[] = [];
  for (const { upload, title } of wanted) {
    const content = upload.content ?? Buffer.alloc(0);
    state.uploads.delete(upload.id);
    const file: UploadedFile = {
      id: upload.id,
      filename: upload.filename,
      title,
      channelId,
      threadTs,
      initialComment,
      content,
      text: () => content.toString('utf8'),
      altText: upload.altText,
    };
    state.files.push(file);
    answer.push({
      id: upload.id,
      created,
      timestamp: created,
      name: upload.filename,
      title: title ?? upload.filename,
      user: actor.installation.botUserId,
      size: content.length,
    });
  }
  for (const file of state.files.slice(-wanted.length)) state.emit('file', file);
  return { result: { ok: true, files: answer } };
}

/**
 * `POST /upload/<file id>`: takes the bytes of one file: multipart/form-data (web-api posts one part
 * named `body`; the first file part is taken) or, with any other content type, the raw body. Answers
 * as Slack does, `200 OK - <bytes>`; 404 for an id it never handed out (or one already completed),
 * 400 when the byte count differs from the `length` given to files.getUploadURLExternal.
 */
export async function handleUpload(
  state: SlackState,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
): Promise<void> {
  const raw = await readRawBody(req, UPLOAD_LIMIT);
  const upload = state.uploads.get(id);
  if (upload === undefined) {
    sendText(res, 404, 'file_not_found');
    return;
  }
  let content = raw;
  const contentType = req.headers['content-type'];
  if (mediaType(req) === 'multipart/form-data' && contentType !== undefined) {
    let form: FormData;
    try {
      form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    } catch {
      sendText(res, 400, 'invalid_multipart_body');
      return;
    }
    const part = [...form.values()].find((value) => typeof value !== 'string');
    if (part === undefined || typeof part === 'string') {
      sendText(res, 400, 'no_file_data');
      return;
    }
    content = Buffer.from(await part.arrayBuffer());
  }
  if (content.length !== upload.length) {
    sendText(res, 400, `length_mismatch: expected ${upload.length} bytes, got ${content.length}`);
    return;
  }
  upload.content = content;
  sendText(res, 200, `OK - ${content.length}`);
}

export const filesMethods: Record<string, Method> = {
  'files.getUploadURLExternal': (state, call) => ({ result: getUploadUrl(state, call) }),
  'files.completeUploadExternal': completeUpload,
};
