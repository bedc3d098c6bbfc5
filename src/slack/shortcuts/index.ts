import type { Middleware, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { ShortcutId } from '../ids.js';
import { evidenceShortcut } from './evidence.js';
import { lookupShortcut } from './lookup.js';

export type ShortcutListener = Middleware<SlackShortcutMiddlewareArgs>;

/**
 * The handler of every shortcut, global or on a message, by the callback_id manifest.yml gives it
 * (`features.shortcuts`).
 */
export function shortcutListeners(
  deps: Deps,
): Record<(typeof ShortcutId)[keyof typeof ShortcutId], ShortcutListener> {
  return { [ShortcutId.lookup]: lookupShortcut(deps), [ShortcutId.evidence]: evidenceShortcut(deps) };
}
