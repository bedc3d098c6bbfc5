// @ts-check
/**
 * The ⚡ menu by the message box (the app's global shortcuts), the ⋯ menu of each message (its message
 * shortcuts), and running one.
 */
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

/** Opens or closes the ⋯ menu of a message (and closes every other). @param {HTMLElement} button */
export function toggleMessageMenu(button) {
  const menu = /** @type {HTMLElement | null} */ (button.nextElementSibling);
  const open = menu?.hidden ?? false;
  closeMessageMenus();
  if (!menu || !open) return;
  menu.hidden = false;
  button.setAttribute('aria-expanded', 'true');
  /** @type {HTMLElement | null} */ (menu.querySelector('button'))?.focus();
}

export function closeMessageMenus() {
  for (const menu of document.querySelectorAll('.message-menu')) {
    /** @type {HTMLElement} */ (menu).hidden = true;
    menu.previousElementSibling?.setAttribute('aria-expanded', 'false');
  }
}

/**
 * Runs a message shortcut on a message: Slack sends the app a `message_action` request with the
 * message, and the app opens its modal.
 * @param {string} callbackId @param {string} messageId
 */
export async function runMessageShortcut(callbackId, messageId) {
  closeMessageMenus();
  const res = await post('message-shortcut', { user: app.user, callbackId, messageId });
  if (!res.ok) showBanner(`The shortcut failed: ${res.error ?? 'unknown error'}`);
  else showBanner('');
}
