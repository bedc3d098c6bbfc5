// @ts-check
/**
 * What the sandbox page holds, shared by its modules: the page's elements, who it shows and what it
 * last got from the sandbox server, and small helpers for putting it on screen.
 */

/**
 * @typedef {{ id: string, name: string, admin?: boolean }} User
 * @typedef {{ id: string, ts: string, author: { kind: 'user' | 'app', id: string, name: string },
 *   ephemeral: boolean, text: string, blocks: any[] }} Message
 * @typedef {{ id?: string, type?: string, title?: any, submit?: any, close?: any, blocks?: any[] }} View
 * @typedef {{ id: string, name: string, installed: boolean, users: User[] }} Workspace
 * @typedef {import('./mentions.js').Mentionable} Mentionable
 * @typedef {{ id: string, handle: string, name: string, count: number }} UserGroup
 * @typedef {{ users: User[], userGroups?: UserGroup[], channel: { id: string, name: string }, me: string, messages: Message[],
 *   dm: { messages: Message[], files: { id: string, filename: string, title?: string, alt?: string, url: string }[] },
 *   home: View | null, modal: (View & { id: string }) | null, version: number,
 *   shortcuts?: { callbackId: string, name: string, description: string }[],
 *   messageShortcuts?: { callbackId: string, name: string, description: string }[],
 *   workspace: { id: string, name: string, installed: boolean, removed: boolean, installUrl: string },
 *   workspaces: Workspace[] }} State
 */

/** @param {string} id */
export const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

export const el = {
  workspaces: /** @type {HTMLSelectElement} */ ($('workspace-switcher')),
  switcher: /** @type {HTMLSelectElement} */ ($('user-switcher')),
  userRole: $('user-role'),
  title: $('pane-title'),
  connection: $('connection'),
  banner: $('banner'),
  notice: $('install-notice'),
  noticeRemoved: $('install-removed'),
  installLink: /** @type {HTMLAnchorElement} */ ($('install-link')),
  removeApp: /** @type {HTMLButtonElement} */ ($('remove-app')),
  channel: $('pane-channel'),
  home: $('pane-home'),
  dm: $('pane-messages'),
  form: /** @type {HTMLFormElement} */ ($('composer-form')),
  composer: /** @type {HTMLInputElement} */ ($('composer')),
  mentionList: $('mention-list'),
  dialogRoot: $('dialog-root'),
  messagesTab: $('messages-unread').closest('button') ?? $('messages-unread'),
  messagesUnread: $('messages-unread'),
  hint: $('composer-hint'),
  modalRoot: $('modal-root'),
  shortcutsToggle: /** @type {HTMLButtonElement} */ ($('shortcuts-toggle')),
  shortcutsMenu: $('shortcuts-menu'),
};

/**
 * `history`: what was sent from the message box, as the app got it (picked mentions in Slack's form);
 * `picked`: the people and user groups picked from the @ list for what the box holds now.
 * @type {{ user: string, state: State | null, view: 'channel' | 'home' | 'messages', history: string[], historyAt: number, draft: string, draftPicked: Mentionable[], picked: Mentionable[], installedShown: boolean | undefined }}
 */
export const app = {
  user: new URLSearchParams(location.search).get('user') ?? localStorage.getItem('sandbox.user') ?? '',
  state: null,
  installedShown: undefined,
  view: 'channel',
  history: JSON.parse(localStorage.getItem('sandbox.history') ?? '[]'),
  historyAt: -1,
  draft: '',
  draftPicked: [],
  picked: [],
};

/**
 * The direct messages from the app each person has seen (by message id): the ones they had when they
 * last had Messages open. Any other makes Messages unread in the sidebar, as in Slack.
 * @type {Record<string, string[]>}
 */
export const dmSeen = (() => {
  try {
    const seen = JSON.parse(localStorage.getItem('sandbox.dmSeen') ?? '{}');
    return seen && typeof seen === 'object' && !Array.isArray(seen) ? seen : {};
  } catch {
    return {};
  }
})();

/** @type {Record<string, string>} */
export const rendered = {};

/** Sets innerHTML only when it changed, so typing in a modal or an open menu survives unrelated changes. */
/** @param {HTMLElement} node @param {string} key @param {string} html */
export function setHtml(node, key, html) {
  if (rendered[key] === html) return false;
  rendered[key] = html;
  node.innerHTML = html;
  return true;
}

/** @param {string} msg */
export function showBanner(msg) {
  el.banner.textContent = msg;
  el.banner.hidden = !msg;
}

/**
 * What one part of the page asks of another that is set up after it: the page's entry (sandbox.js)
 * fills these in, so that no two parts import each other (the server module redraws through
 * `hooks.render`, the view opens Home through `hooks.openHome`, and so on).
 */
export const hooks = {
  /** Draws the page from the state (view.js). */
  render: () => {},
  /** Opens the Home tab (actions.js). @type {() => void | Promise<void>} */
  openHome: () => {},
  /** Opens a view of the sidebar (actions.js). @type {(view: string) => void | Promise<void>} */
  openView: (_view) => {},
  /** Sends a click (actions.js). @type {(node: HTMLElement, what: { selectedOption?: { value: string, text: string }, actionType?: 'external_select' }) => Promise<void>} */
  click: async (_node, _what) => {},
};

/**
 * Where a node sits: a message (and which) or a view (and which).
 * @param {HTMLElement} node
 */
export function surfaceOf(node) {
  const s = /** @type {HTMLElement | null} */ (node.closest('[data-surface]'));
  if (!s) return undefined;
  const surface = s.dataset.surface;
  if (surface === 'message') return { surface, messageId: s.dataset.messageId };
  return { surface, viewId: s.dataset.viewId || undefined };
}

export function ctx() {
  /** @type {Record<string, string>} */
  const users = {};
  for (const u of app.state?.users ?? []) users[u.id] = u.name;
  return { users };
}
