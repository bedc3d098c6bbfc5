import { isRecord, slackId } from '../defaults.js';
import { missingScope } from './auth.js';
import type { SlackState } from './state.js';
import type { LocalCanvas } from './types.js';
import { type ApiResult, invalidArguments, type Method, type MethodCall, missing, str } from './web-api.js';

/**
 * canvases.create, canvases.edit, canvases.delete and canvases.access.set, as Slack answers them for
 * canvases made from markdown: each canvas is kept with its markdown as last written, so tests can
 * read what a person would see in it. `LocalSlack.refuseCanvases` makes every call answer an error
 * (`not_allowed`, `canvas_disabled`…), as a workspace that does not allow canvases does; an
 * installation made through OAuth without `canvases:write` gets `missing_scope`.
 */

/** Why canvas calls are refused now, if they are. */
function refused(state: SlackState, actor: MethodCall['actor']): ApiResult | undefined {
  const denied = missingScope(actor, ['canvases:write']);
  if (denied !== undefined) return denied;
  return state.canvasRefusal === undefined ? undefined : { ok: false, error: state.canvasRefusal };
}

/** The markdown of `document_content` (`{ type: 'markdown', markdown }`), sent as JSON or as a JSON string. */
function markdownOf(content: unknown): string | undefined {
  let value = content;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(value) || value.type !== 'markdown' || typeof value.markdown !== 'string') return undefined;
  return value.markdown;
}

/** A list argument sent as JSON or as a JSON string. */
function listOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function create(state: SlackState, { args, actor }: MethodCall): ApiResult {
  const denied = refused(state, actor);
  if (denied !== undefined) return denied;
  const markdown = args.document_content === undefined ? '' : markdownOf(args.document_content);
  if (markdown === undefined)
    return invalidArguments('document_content must be { type: "markdown", markdown }');
  const canvas: LocalCanvas = {
    id: slackId('F'),
    teamId: state.workspaceOf(actor, args),
    title: str(args.title) ?? 'Untitled',
    markdown,
    access: {},
  };
  state.canvases.set(canvas.id, canvas);
  return { ok: true, canvas_id: canvas.id };
}

/** canvases.edit: only `replace` of the whole canvas (no section id), the one change the app makes. */
function edit(state: SlackState, { args, actor }: MethodCall): ApiResult {
  const denied = refused(state, actor);
  if (denied !== undefined) return denied;
  const id = str(args.canvas_id);
  if (id === undefined) return missing('canvas_id');
  const canvas = state.canvases.get(id);
  if (canvas === undefined) return { ok: false, error: 'canvas_not_found' };
  const changes = listOf(args.changes);
  if (changes === undefined || changes.length === 0) return missing('changes');
  for (const change of changes) {
    if (!isRecord(change) || change.operation !== 'replace' || change.section_id !== undefined) {
      return invalidArguments('the local Slack only replaces a whole canvas');
    }
    const markdown = markdownOf(change.document_content);
    if (markdown === undefined)
      return invalidArguments('document_content must be { type: "markdown", markdown }');
    canvas.markdown = markdown;
  }
  return { ok: true };
}

function remove(state: SlackState, { args, actor }: MethodCall): ApiResult {
  const denied = refused(state, actor);
  if (denied !== undefined) return denied;
  const id = str(args.canvas_id);
  if (id === undefined) return missing('canvas_id');
  return state.canvases.delete(id) ? { ok: true } : { ok: false, error: 'canvas_not_found' };
}

function accessSet(state: SlackState, { args, actor }: MethodCall): ApiResult {
  const denied = refused(state, actor);
  if (denied !== undefined) return denied;
  const canvas = state.canvases.get(str(args.canvas_id) ?? '');
  if (canvas === undefined) return { ok: false, error: 'canvas_not_found' };
  const level = str(args.access_level);
  if (level !== 'read' && level !== 'write') return invalidArguments('access_level must be read or write');
  for (const user of listOf(args.user_ids) ?? []) {
    if (typeof user === 'string') canvas.access[user] = level;
  }
  return { ok: true };
}

export const canvasesMethods: Record<string, Method> = {
  'canvases.create': (state, call) => ({ result: create(state, call) }),
  'canvases.edit': (state, call) => ({ result: edit(state, call) }),
  'canvases.delete': (state, call) => ({ result: remove(state, call) }),
  'canvases.access.set': (state, call) => ({ result: accessSet(state, call) }),
};
