// @ts-check
/**
 * What the person does outside the message box: clicks on buttons, menus and overflow choices (sent to
 * the app as Slack's block_actions), the sidebar (channel, Home, Messages), switching person or
 * workspace, removing the app, and Esc, which closes what is open.
 */

import { closePicker } from './composer.js';
import { askToConfirm, confirmed } from './dialogs.js';
import { chooseExternal, closeExternal } from './external-select.js';
import { closeModal, modalForm } from './modal.js';
import { app, el, rendered, showBanner, surfaceOf } from './page-state.js';
import { post, refresh } from './server.js';
import {
  closeMessageMenus,
  runMessageShortcut,
  runShortcut,
  showShortcuts,
  toggleMessageMenu,
} from './shortcuts.js';
import { render } from './view.js';

/**
 * Sends a click: buttons, overflow choices and select changes.
 * @param {HTMLElement & { disabled?: boolean }} node
 * @param {{ value?: string, selectedOption?: { value: string, text: string }, actionType?: 'external_select' }} what
 */
export async function click(node, what) {
  const where = surfaceOf(node);
  if (!where) return;
  const url = node.dataset.url;
  if (url) window.open(url, '_blank', 'noopener');
  const control = node;
  control.disabled = true;
  control.setAttribute('aria-busy', 'true');
  const res = await post('click', {
    user: app.user,
    ...where,
    actionId: node.dataset.actionId ?? '',
    blockId: node.dataset.blockId ?? '',
    ...what,
  });
  control.disabled = false;
  control.removeAttribute('aria-busy');
  if (!res.ok) showBanner(`The click failed: ${res.error ?? 'unknown error'}`);
  else showBanner('');
}

/** Whether the app is installed in the workspace shown (until the state says otherwise, it is). */
function appInstalled() {
  return app.state?.workspace?.installed !== false;
}

/** Opening the Home tab: Slack tells the app, which publishes it (only where the app is installed). */
export function openHome() {
  if (appInstalled()) void post('home', { user: app.user });
}

/** Removes the app from the workspace shown, as an admin would in Slack. */
async function removeApp() {
  const here = app.state?.workspace;
  if (!here) return;
  const plain = (/** @type {string} */ text) => ({ type: 'plain_text', text });
  const sure = await askToConfirm({
    title: plain(`Remove Competency from ${here.name}?`),
    text: plain(
      `Slack tells the app it was removed, and the app deletes everything it keeps about the people of ${here.name}. You can add it again afterwards.`,
    ),
    confirm: plain('Remove'),
    deny: plain('Cancel'),
    style: 'danger',
  });
  if (!sure) return;
  el.removeApp.disabled = true;
  el.removeApp.setAttribute('aria-busy', 'true');
  const res = await post('uninstall', { workspace: here.id });
  el.removeApp.disabled = false;
  el.removeApp.removeAttribute('aria-busy');
  if (!res.ok) showBanner(`Could not remove Competency: ${res.error ?? 'unknown error'}`);
  else showBanner('');
  void refresh();
}

/** Shows another person (of this workspace or another one). @param {string} user */
function switchTo(user) {
  app.user = user;
  localStorage.setItem('sandbox.user', app.user);
  // Nothing of the previous person stays on screen while the new person's state loads.
  app.state = null;
  app.installedShown = undefined;
  for (const k of Object.keys(rendered)) delete rendered[k];
  for (const pane of [el.channel, el.home, el.dm, el.modalRoot]) pane.innerHTML = '';
  showBanner('');
  closePicker();
  void refresh().then(() => {
    if (app.view === 'home') openHome();
  });
}

/** @param {'channel' | 'home' | 'messages'} view */
export function openView(view) {
  app.view = view;
  render();
  if (view === 'home') openHome();
  const pane = view === 'channel' ? el.channel : view === 'messages' ? el.dm : null;
  if (pane) pane.scrollTop = pane.scrollHeight;
  if (view === 'channel') el.composer.focus();
}

/** Clicks, menu changes and Esc anywhere on the page. */
export function setUpActions() {
  document.addEventListener('click', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.closest('#remove-app')) {
      if (!el.removeApp.disabled) void removeApp();
      return;
    }
    if (target.closest('#shortcuts-toggle')) {
      showShortcuts(el.shortcutsMenu.hidden);
      return;
    }
    const shortcut = /** @type {HTMLElement | null} */ (target.closest('[data-shortcut]'));
    if (shortcut) {
      void runShortcut(shortcut.dataset.shortcut ?? '');
      return;
    }
    const more = /** @type {HTMLElement | null} */ (target.closest('[data-message-more]'));
    if (more) {
      toggleMessageMenu(more);
      return;
    }
    const onMessage = /** @type {HTMLElement | null} */ (target.closest('[data-message-shortcut]'));
    if (onMessage) {
      void runMessageShortcut(onMessage.dataset.messageShortcut ?? '', onMessage.dataset.messageId ?? '');
      return;
    }
    if (!target.closest('.message-menu')) closeMessageMenus();
    if (!el.shortcutsMenu.hidden && !target.closest('#shortcuts-menu')) showShortcuts(false);
    const externalOption = /** @type {HTMLElement | null} */ (
      target.closest('[data-kind="external-option"]')
    );
    if (externalOption) {
      chooseExternal(externalOption);
      return;
    }
    for (const wrapper of document.querySelectorAll('.external-select')) {
      if (!wrapper.contains(target)) closeExternal(/** @type {HTMLElement} */ (wrapper));
    }
    const nav = /** @type {HTMLElement | null} */ (target.closest('[data-nav]'));
    if (nav) {
      openView(/** @type {'channel' | 'home' | 'messages'} */ (nav.dataset.nav));
      return;
    }
    if (target.closest('[data-modal-close]')) {
      void closeModal();
      return;
    }
    const button = /** @type {HTMLButtonElement | null} */ (target.closest('button[data-kind]'));
    if (!button || button.disabled) return;
    if (button.dataset.kind === 'overflow-option') {
      const details = button.closest('details');
      if (details) details.open = false;
    }
    void confirmed(button).then((ok) => {
      if (!ok) return;
      if (button.dataset.kind === 'button') {
        void click(button, button.dataset.value !== undefined ? { value: button.dataset.value } : {});
      } else if (button.dataset.kind === 'overflow-option') {
        const value = button.dataset.value ?? '';
        void click(button, { selectedOption: { value, text: button.dataset.text ?? '' } });
      }
    });
  });

  document.addEventListener('change', (event) => {
    const select = /** @type {HTMLSelectElement} */ (event.target);
    if (select === el.switcher) {
      switchTo(select.value);
      return;
    }
    if (select === el.workspaces) {
      // The same person, in the other workspace (each workspace has its own accounts).
      const s = app.state;
      const target = s?.workspaces.find((w) => w.id === select.value);
      if (!s || !target) return;
      const user = target.users[s.users.findIndex((u) => u.id === app.user)] ?? target.users[0];
      if (user) switchTo(user.id);
      return;
    }
    if (select.dataset?.input === 'static_select' && select.dataset.dispatch === 'true') {
      // A menu in an input block with dispatch_action: Slack tells the app of the choice at once.
      const option = select.selectedOptions[0];
      if (option?.value)
        void click(select, { selectedOption: { value: option.value, text: option.textContent ?? '' } });
      return;
    }
    if (select.dataset?.kind !== 'static_select') return;
    const option = select.selectedOptions[0];
    if (!option?.value) return;
    void confirmed(select).then((ok) => {
      if (ok) {
        void click(select, { selectedOption: { value: option.value, text: option.textContent ?? '' } });
        return;
      }
      // Cancelled: the menu shows what it showed before.
      const before = [...select.options].find((o) => o.defaultSelected) ?? select.options[0];
      if (before) select.value = before.value;
    });
  });

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !el.shortcutsMenu.hidden) {
      showShortcuts(false);
      el.shortcutsToggle.focus();
      return;
    }
    const openList = /** @type {HTMLElement | null} */ (
      document.querySelector('.external-select-list:not([hidden])')
    );
    if (event.key === 'Escape' && openList) {
      const wrapper = /** @type {HTMLElement | null} */ (openList.closest('.external-select'));
      if (wrapper) closeExternal(wrapper);
      return;
    }
    if (event.key === 'Escape' && modalForm()) void closeModal();
    if (event.key === 'Escape') {
      /** @type {HTMLDetailsElement} */ for (const d of document.querySelectorAll('details.overflow[open]'))
        d.open = false;
    }
  });
}
