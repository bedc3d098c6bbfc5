// @ts-check
/** The ⚡ menu by the message box: the app's global shortcuts, and running one. */
import { app, el, setHtml, showBanner } from './page-state.js';
import { escapeHtml } from './render.js';
import { post } from './server.js';

/** @typedef {import('./page-state.js').State} State */

/** The app's global shortcuts, listed in the ⚡ menu by the message box. @param {NonNullable<State['shortcuts']>} shortcuts */
export function renderShortcuts(shortcuts) {
  el.shortcutsToggle.hidden = shortcuts.length === 0;
  if (shortcuts.length === 0) showShortcuts(false);
  setHtml(
    el.shortcutsMenu,
    'shortcuts',
    shortcuts
      .map(
        (sc) =>
          `<button type="button" role="menuitem" class="shortcut-item" data-shortcut="${escapeHtml(sc.callbackId)}"><strong>${escapeHtml(sc.name)}</strong><span class="shortcut-description">${escapeHtml(sc.description)}</span></button>`,
      )
      .join(''),
  );
}

/** @param {boolean} open */
export function showShortcuts(open) {
  el.shortcutsMenu.hidden = !open;
  el.shortcutsToggle.setAttribute('aria-expanded', String(open));
  if (open) /** @type {HTMLElement | null} */ (el.shortcutsMenu.querySelector('button'))?.focus();
}

/** Runs a global shortcut: Slack sends the app a `shortcut` request, and the app opens its modal. @param {string} callbackId */
export async function runShortcut(callbackId) {
  showShortcuts(false);
  const res = await post('shortcut', { user: app.user, callbackId });
  if (!res.ok) showBanner(`The shortcut failed: ${res.error ?? 'unknown error'}`);
  else showBanner('');
}
