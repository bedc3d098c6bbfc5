import type { IncomingMessage, ServerResponse } from 'node:http';
import { slackId } from '../defaults.js';
import { authenticate, missingScope } from './auth.js';
import { sendHtml, sendText } from './http.js';
import type { InstallationRecord, SharedFile, SlackState } from './state.js';
import type { AddFileOptions, FileDownload, SlackFileObject } from './types.js';
import { type ApiResult, type Method, type MethodCall, missing, str, USER_ID } from './web-api.js';

/**
 * Files people share with the app (`LocalSlack.addFile`: through a modal's `file_input`, say), which
 * the app reads back: files.info, and a GET of the file's `url_private` or `url_private_download`
 * (`/files-pri/<team>-<file id>/[download/]<name>`) with `Authorization: Bearer <token>`. Both need a
 * token of the app's installation in the file's workspace (or org-wide in its Grid org) with the
 * `files:read` scope (the default workspace's original token, which predates scopes here, may too).
 */

/** Where a shared file's URLs start, as on files.slack.com. */
const FILES_PATH = '/files-pri/';

/** Slack's file types and how it names them: type → [mimetype, pretty_type]. */
const FILE_TYPES: Record<string, [string, string]> = {
  csv: ['text/csv', 'CSV'],
  tsv: ['text/tab-separated-values', 'TSV'],
  yaml: ['application/x-yaml', 'YAML'],
  text: ['text/plain', 'Plain Text'],
  html: ['text/html', 'HTML'],
  json: ['application/json', 'JSON'],
  markdown: ['text/markdown', 'Markdown (raw)'],
  pdf: ['application/pdf', 'PDF'],
  png: ['image/png', 'PNG'],
};
const BINARY: [string, string] = ['application/octet-stream', 'Binary'];

/** A file name's extension → Slack's file type. */
const EXTENSIONS: Record<string, string> = {
  csv: 'csv',
  tsv: 'tsv',
  yaml: 'yaml',
  yml: 'yaml',
  txt: 'text',
  text: 'text',
  html: 'html',
  htm: 'html',
  json: 'json',
  md: 'markdown',
  pdf: 'pdf',
  png: 'png',
};

/** Slack's type of a file: from its extension, else `text` for UTF-8 without NUL bytes, else `binary`. */
function fileTypeOf(name: string, content: Buffer): string {
  const extension = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  const known = extension === undefined ? undefined : EXTENSIONS[extension];
  if (known !== undefined) return known;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    return text.includes('\0') ? 'binary' : 'text';
  } catch {
    return 'binary';
  }
}

/** A file a person shares from now on (see `LocalSlack.addFile`); a copy of its file object. */
export function addFile(state: SlackState, options: AddFileOptions): SlackFileObject {
  const { userId, name } = options;
  if (!USER_ID.test(userId)) throw new Error(`local Slack: a user id looks like U0123ABCD, not ${userId}`);
  const teamId = options.teamId ?? state.team.id;
  const place = state.placeOf(teamId);
  if (place?.kind !== 'workspace') {
    throw new Error(`local Slack: ${teamId} is not a workspace of this local Slack`);
  }
  if (typeof name !== 'string' || name.length === 0) throw new Error('local Slack: a file needs a name');
  const content =
    typeof options.content === 'string'
      ? Buffer.from(options.content, 'utf8')
      : Buffer.from(options.content.slice());
  const filetype = options.filetype ?? fileTypeOf(name, content);
  const [mimetype, prettyType] = FILE_TYPES[filetype] ?? FILE_TYPES[fileTypeOf(name, content)] ?? BINARY;
  const id = slackId('F');
  const created = Math.floor(state.now() / 1000);
  const where = `${state.url}${FILES_PATH}${teamId}-${id}`;
  const file: SlackFileObject = {
    id,
    created,
    timestamp: created,
    name,
    title: name,
    mimetype,
    filetype,
    pretty_type: prettyType,
    user: userId,
    user_team: teamId,
    editable: false,
    size: content.length,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: false,
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: `${where}/${encodeURIComponent(name)}`,
    url_private_download: `${where}/download/${encodeURIComponent(name)}`,
    media_display_type: 'unknown',
    permalink: `https://${place.workspace.domain}.slack.com/files/${userId}/${id}/${encodeURIComponent(name)}`,
    permalink_public: `https://slack-files.com/${teamId}-${id}-${slackId('', 10).toLowerCase()}`,
    is_starred: false,
    has_rich_preview: false,
    file_access: 'visible',
  };
  state.sharedFiles.set(id, { file, teamId, content });
  return structuredClone(file);
}

/** Whether an installation may see a file: one in its workspace, or org-wide in the workspace's org. */
function canSee(state: SlackState, installation: InstallationRecord, shared: SharedFile): boolean {
  const { place } = installation;
  if (place.kind === 'workspace') return place.workspace.id === shared.teamId;
  const where = state.placeOf(shared.teamId);
  return where?.kind === 'workspace' && where.org?.id === place.org.id;
}

/** files.info: the file, for a token whose installation can see it. */
function filesInfo(state: SlackState, { args, actor }: MethodCall): ApiResult {
  const denied = missingScope(actor, ['files:read']);
  if (denied !== undefined) return denied;
  const id = str(args.file);
  if (id === undefined) return missing('file');
  const shared = state.sharedFiles.get(id);
  if (shared === undefined || !canSee(state, actor.installation, shared)) {
    return { ok: false, error: 'file_not_found' };
  }
  return {
    ok: true,
    file: structuredClone(shared.file),
    comments: [],
    response_metadata: { next_cursor: '' },
  };
}

/**
 * What a `/files-pri/<team>-<file id>/[download/]<name>` path names: the file id, and the shared file
 * when every part of the path is that file's; `download` for url_private_download.
 */
function fileOfPath(
  state: SlackState,
  path: string,
): { id: string | undefined; shared: SharedFile | undefined; download: boolean } {
  const [place, ...rest] = path.slice(FILES_PATH.length).split('/');
  const id = /^T[A-Z0-9]+-(F[A-Z0-9]+)$/.exec(place ?? '')?.[1];
  const download = rest.length === 2 && rest[0] === 'download';
  const none = { id, shared: undefined, download };
  if (id === undefined || !(rest.length === 1 || download)) return none;
  let name: string;
  try {
    name = decodeURIComponent(rest.at(-1) ?? '');
  } catch {
    return none;
  }
  const shared = state.sharedFiles.get(id);
  if (shared === undefined || place !== `${shared.teamId}-${id}` || name !== shared.file.name) return none;
  return { id, shared, download };
}

/**
 * `GET /files-pri/…`: a shared file's bytes, for a bearer token of an installation that can see it
 * and has `files:read` (403 without it, 404 when it cannot see the file or there is no such file).
 *
 * A missing or wrong token is answered as Slack answers it: not with an error status but with its
 * sign-in web page, status 200. An app that takes whatever comes back for the file would then read
 * that page as the file; here it gets the page too, so that it must check (the status alone does not
 * tell it: its content type, or its size against the file's `size`, does).
 */
export function handleFileDownload(
  state: SlackState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): void {
  const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const { id, shared, download } = fileOfPath(state, path);
  const record = (status: number, answer: FileDownload['answer']) => {
    state.downloads.push({ fileId: id, token, status, answer });
  };
  const actor = token === undefined ? undefined : authenticate(state, token);
  if (actor === undefined || 'error' in actor) {
    record(200, 'sign-in page');
    sendHtml(
      res,
      200,
      'Slack',
      '<h1>Sign in to Slack</h1>\n<p>You need to sign in to see this page.</p>\n' +
        '<p><small>This local Slack answers a file request without a valid token as Slack does: with this page and HTTP 200.</small></p>',
    );
    return;
  }
  if (missingScope(actor, ['files:read']) !== undefined) {
    record(403, 'refused');
    sendText(res, 403, 'missing_scope: files:read');
    return;
  }
  if (shared === undefined || !canSee(state, actor.installation, shared)) {
    record(404, 'refused');
    sendText(res, 404, 'file_not_found');
    return;
  }
  record(200, 'file');
  const filename = shared.file.name.replace(/["\\\r\n]/g, '_');
  res.writeHead(200, {
    'content-type': shared.file.mimetype,
    'content-length': String(shared.content.length),
    'content-disposition': `${download ? 'attachment' : 'inline'}; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(shared.file.name)}`,
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : shared.content);
}

/** Whether a request path is one of a shared file's URLs. */
export function isFilePath(path: string): boolean {
  return path.startsWith(FILES_PATH);
}

export const sharedFilesMethods: Record<string, Method> = {
  'files.info': (state, call) => ({ result: filesInfo(state, call) }),
};
