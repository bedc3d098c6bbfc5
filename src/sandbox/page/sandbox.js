// @ts-check
/**
 * The sandbox page: a small stand-in for the Slack client. It shows the state the sandbox server keeps
 * (GET /sandbox/api/state), refetches it on every `change` Server-Sent Event, and posts what the person does
 * (commands, clicks, modal submissions) back to the server, which turns them into Slack payloads for the app.
 */
import { fromSlackText, matchMentionables, mentionAt, mentionLabel, toSlackText } from './mentions.js';
import {
  blocksToHtml,
  confirmDialogToHtml,
  escapeHtml,
  mrkdwnToHtml,
  safeUrl,
  textToPlain,
  typedTextToHtml,
} from './render.js';

const API = '/sandbox/api';
const COMMAND = '/competency';

/**
 * @typedef {{ id: string, name: string }} User
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
 *   workspace: { id: string, name: string, installed: boolean, removed: boolean, installUrl: string },
 *   workspaces: Workspace[] }} State
 */

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const el = {
  workspaces: /** @type {HTMLSelectElement} */ ($('workspace-switcher')),
  switcher: /** @type {HTMLSelectElement} */ ($('user-switcher')),
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
const app = {
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
const dmSeen = (() => {
  try {
    const seen = JSON.parse(localStorage.getItem('sandbox.dmSeen') ?? '{}');
    return seen && typeof seen === 'object' && !Array.isArray(seen) ? seen : {};
  } catch {
    return {};
  }
})();

// ------------------------------------------------------------------------------------------- server calls

/** @param {string} path @param {Record<string, unknown>} body */
async function post(path, body) {
  try {
    const res = await fetch(`${API}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    // JSON from the API; a refusal (wrong address, not the sandbox's own page) is a line of plain text.
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, error: text.trim() || `HTTP ${res.status}` };
    }
    if (!res.ok && json?.ok !== false) return { ok: false, error: `HTTP ${res.status}` };
    return json;
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The state request the page is waiting for, if any. Each request carries the person it asks about and
 * a number; an answer is shown only when it is the newest request and still about the person the page
 * shows. A switch of person asks at once for the new person, so an answer about the previous one that
 * lands afterwards is dropped instead of being shown (or switching the page back).
 * @type {{ user: string, seq: number } | null}
 */
let loading = null;
let fetchAgain = false;
let seq = 0;

/** Fetches the shown person's state; calls for the same person while one is in flight coalesce into one more. */
async function refresh() {
  if (loading && loading.user === app.user) {
    fetchAgain = true;
    return;
  }
  const request = { user: app.user, seq: ++seq };
  loading = request;
  fetchAgain = false;
  const current = () => request.seq === seq && request.user === app.user;
  try {
    // Without a person, the page asks the server to choose one (its first sample person).
    const res = await fetch(`${API}/state${request.user ? `?user=${encodeURIComponent(request.user)}` : ''}`);
    if (!current()) {
      void res.body?.cancel();
      return;
    }
    if (res.status === 400 && request.user) {
      // a remembered person this sandbox does not know: let the server choose instead
      void res.body?.cancel();
      app.user = '';
      localStorage.removeItem('sandbox.user');
      fetchAgain = true;
      return;
    }
    if (!res.ok) throw new Error((await res.text()).trim() || `HTTP ${res.status}`);
    /** @type {State} */
    const state = await res.json();
    if (!current()) return;
    if (!request.user && state.me) {
      app.user = state.me;
      localStorage.setItem('sandbox.user', app.user);
    }
    if (state.me !== app.user) return;
    app.state = state;
    render();
  } catch (err) {
    if (current())
      showBanner(`Could not load the sandbox state: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    if (loading === request) {
      loading = null;
      if (fetchAgain) {
        fetchAgain = false;
        void refresh();
      }
    }
  }
}

function listen() {
  const events = new EventSource(`${API}/events`);
  events.addEventListener('change', () => void refresh());
  events.addEventListener('open', () => {
    el.connection.textContent = '';
    void refresh();
  });
  events.addEventListener('error', () => {
    el.connection.textContent = 'Reconnecting…';
  });
}

// ------------------------------------------------------------------------------------------------ render

/** @type {Record<string, string>} */
const rendered = {};

/** Sets innerHTML only when it changed, so typing in a modal or an open menu survives unrelated changes. */
/** @param {HTMLElement} node @param {string} key @param {string} html */
function setHtml(node, key, html) {
  if (rendered[key] === html) return false;
  rendered[key] = html;
  node.innerHTML = html;
  return true;
}

/** @param {string} msg */
function showBanner(msg) {
  el.banner.textContent = msg;
  el.banner.hidden = !msg;
}

function ctx() {
  /** @type {Record<string, string>} */
  const users = {};
  for (const u of app.state?.users ?? []) users[u.id] = u.name;
  return { users };
}

/** @param {string} ts */
function timeOf(ts) {
  const d = new Date(Number(ts) * 1000);
  if (Number.isNaN(d.getTime())) return { short: '', long: '' };
  return {
    short: d.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' }),
    long: d.toLocaleString(),
  };
}

const EYE =
  '<svg class="eye" viewBox="0 0 20 20" width="14" height="14" aria-hidden="true"><path fill="currentColor" d="M10 4C5.5 4 2.2 7.2 1 10c1.2 2.8 4.5 6 9 6s7.8-3.2 9-6c-1.2-2.8-4.5-6-9-6zm0 10a4 4 0 110-8 4 4 0 010 8zm0-6.2a2.2 2.2 0 100 4.4 2.2 2.2 0 000-4.4z"/></svg>';

/** @param {Message} m @param {ReturnType<typeof ctx>} c */
function messageHtml(m, c) {
  const t = timeOf(m.ts);
  const isApp = m.author?.kind === 'app';
  const name = m.author?.name ?? m.author?.id ?? '?';
  const body =
    Array.isArray(m.blocks) && m.blocks.length > 0
      ? blocksToHtml(m.blocks, { ...c, idPrefix: `m-${m.id}` })
      : isApp
        ? mrkdwnToHtml(m.text, c)
        : typedTextToHtml(m.text, c);
  const ephemeral = m.ephemeral ? `<div class="ephemeral-note">${EYE} Only visible to you</div>` : '';
  return `<article class="message${m.ephemeral ? ' is-ephemeral' : ''}" data-testid="message" data-surface="message" data-message-id="${escapeHtml(m.id)}" data-ephemeral="${m.ephemeral ? 'true' : 'false'}">
  <div class="avatar${isApp ? ' avatar-app' : ''}" aria-hidden="true">${escapeHtml(name.slice(0, 1).toUpperCase())}</div>
  <div class="message-main">
    ${ephemeral}
    <div class="message-meta"><span class="author">${escapeHtml(name)}</span>${isApp ? '<span class="app-badge">APP</span>' : ''}<time class="ts" title="${escapeHtml(t.long)}">${escapeHtml(t.short)}</time></div>
    <div class="message-body">${body}</div>
  </div>
</article>`;
}

/** @param {HTMLElement} pane @param {string} key @param {Message[]} messages @param {string} empty @param {string} [extra] */
function renderMessages(pane, key, messages, empty, extra = '') {
  const c = ctx();
  const atBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 80;
  const before = pane.querySelectorAll('[data-testid="message"]').length;
  const html =
    (messages.length
      ? messages.map((m) => messageHtml(m, c)).join('')
      : `<p class="empty">${escapeHtml(empty)}</p>`) + extra;
  if (setHtml(pane, key, html) && (atBottom || messages.length > before)) pane.scrollTop = pane.scrollHeight;
}

function render() {
  const s = app.state;
  if (!s) return;
  // workspace switcher: each workspace has its own people, the app installed or not
  const here = s.workspace;
  const workspaceOptions = (s.workspaces ?? [])
    .map(
      (w) =>
        `<option value="${escapeHtml(w.id)}"${w.id === here?.id ? ' selected' : ''}>${escapeHtml(w.name)}</option>`,
    )
    .join('');
  if (setHtml(el.workspaces, 'workspaces', workspaceOptions) && here) el.workspaces.value = here.id;
  const installed = here?.installed !== false;
  el.notice.hidden = installed;
  el.removeApp.hidden = !installed;
  if (here) {
    el.noticeRemoved.hidden = installed || !here.removed;
    for (const node of el.notice.querySelectorAll('[data-workspace-name]')) node.textContent = here.name;
    if (el.installLink.getAttribute('href') !== here.installUrl) {
      const href = safeUrl(here.installUrl);
      if (href) el.installLink.href = href;
    }
  }

  // user switcher
  const options = s.users
    .map(
      (u) =>
        `<option value="${escapeHtml(u.id)}"${u.id === app.user ? ' selected' : ''}>${escapeHtml(u.name)}</option>`,
    )
    .join('');
  if (setHtml(el.switcher, 'switcher', options)) el.switcher.value = app.user;

  const channelName = s.channel?.name ?? 'general';
  const titles = {
    channel: `# ${channelName}`,
    home: 'Competency · Home',
    messages: 'Competency · Messages',
  };
  el.title.textContent = titles[app.view];
  el.composer.setAttribute('aria-label', `Message #${channelName}`);
  for (const b of document.querySelectorAll('[data-nav]')) {
    const active = /** @type {HTMLElement} */ (b).dataset.nav === app.view;
    b.classList.toggle('active', active);
    if (active) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
  }
  el.channel.hidden = app.view !== 'channel';
  el.home.hidden = app.view !== 'home';
  el.dm.hidden = app.view !== 'messages';
  el.form.hidden = app.view !== 'channel';

  renderMessages(el.channel, 'channel', s.messages ?? [], 'No messages yet. Type /competency help below.');

  const files = s.dm?.files ?? [];
  const filesHtml = files.length
    ? `<div class="files"><h2>Files</h2><ul>${files
        .map((f) => {
          const href = safeUrl(f.url);
          const label = escapeHtml(f.filename);
          const title =
            f.title && f.title !== f.filename
              ? ` <span class="file-title">${escapeHtml(f.title)}</span>`
              : '';
          // A picture is shown, as Slack shows it, with its description as alt text.
          const picture =
            href && /\.png$/i.test(f.filename)
              ? `<img class="file-image" src="${escapeHtml(href)}" alt="${escapeHtml(f.alt ?? f.title ?? f.filename)}">`
              : '';
          return `<li>${href ? `<a href="${escapeHtml(href)}" download="${escapeHtml(f.filename)}">${label}</a>` : label}${title}${picture}</li>`;
        })
        .join('')}</ul></div>`
    : '';
  renderMessages(el.dm, 'dm', s.dm?.messages ?? [], 'No messages from Competency yet.', filesHtml);
  renderUnread(s.dm?.messages ?? []);

  const home = s.home;
  setHtml(
    el.home,
    'home',
    !installed
      ? '<p class="empty">Competency is not installed in this workspace, so it has no Home tab here.</p>'
      : home
        ? `<div class="home-view" data-surface="home" data-view-id="${escapeHtml(home.id ?? '')}">${blocksToHtml(home.blocks, { ...ctx(), idPrefix: 'home' })}</div>`
        : '<p class="empty">The app has not published a Home tab for you yet.</p>',
  );
  // Installed in another tab while the Home tab is open here: Slack would now show the app's Home.
  if (installed && app.installedShown === false && app.view === 'home') openHome();
  app.installedShown = installed;

  renderModal(s.modal);
  // Slack lists an app's shortcuts only where the app is installed.
  renderShortcuts(installed ? (s.shortcuts ?? []) : []);
}

/**
 * Messages in the sidebar is unread (bold, with the number of new messages) while the app's direct
 * messages to this person include any they have not seen; having Messages open sees them.
 * @param {Message[]} messages
 */
function renderUnread(messages) {
  const seen = new Set(dmSeen[app.user] ?? []);
  if (app.view === 'messages') {
    if (messages.some((m) => !seen.has(m.id))) {
      dmSeen[app.user] = messages.map((m) => m.id);
      localStorage.setItem('sandbox.dmSeen', JSON.stringify(dmSeen));
    }
  }
  const unread = app.view === 'messages' ? 0 : messages.filter((m) => !seen.has(m.id)).length;
  el.messagesUnread.textContent = unread > 0 ? String(unread) : '';
  el.messagesUnread.hidden = unread === 0;
  el.messagesTab.classList.toggle('has-unread', unread > 0);
  if (unread > 0)
    el.messagesTab.setAttribute(
      'aria-label',
      `Messages, ${unread} unread ${unread === 1 ? 'message' : 'messages'}`,
    );
  else el.messagesTab.removeAttribute('aria-label');
}

/** The app's global shortcuts, listed in the ⚡ menu by the message box. @param {NonNullable<State['shortcuts']>} shortcuts */
function renderShortcuts(shortcuts) {
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
function showShortcuts(open) {
  el.shortcutsMenu.hidden = !open;
  el.shortcutsToggle.setAttribute('aria-expanded', String(open));
  if (open) /** @type {HTMLElement | null} */ (el.shortcutsMenu.querySelector('button'))?.focus();
}

/** Runs a global shortcut: Slack sends the app a `shortcut` request, and the app opens its modal. @param {string} callbackId */
async function runShortcut(callbackId) {
  showShortcuts(false);
  const res = await post('shortcut', { user: app.user, callbackId });
  if (!res.ok) showBanner(`The shortcut failed: ${res.error ?? 'unknown error'}`);
  else showBanner('');
}

/** @param {(View & { id: string }) | null} modal */
function renderModal(modal) {
  if (!modal) {
    setHtml(el.modalRoot, 'modal', '');
    return;
  }
  const c = ctx();
  const title = escapeHtml(textToPlain(modal.title, c) || 'Competency');
  const close = escapeHtml(textToPlain(modal.close, c) || 'Cancel');
  const submit = modal.submit
    ? `<button type="submit" class="btn btn-primary" data-testid="modal-submit">${escapeHtml(textToPlain(modal.submit, c))}</button>`
    : '';
  const html = `<div class="modal-backdrop">
  <form class="modal" role="dialog" aria-modal="true" aria-labelledby="modal-title" data-testid="modal" data-surface="modal" data-view-id="${escapeHtml(modal.id)}" novalidate>
    <header class="modal-header"><h2 id="modal-title">${title}</h2><button type="button" class="icon-button" data-modal-close aria-label="Close">✕</button></header>
    <div class="modal-body">${blocksToHtml(modal.blocks, { ...c, idPrefix: `v-${modal.id}` })}</div>
    <div class="modal-error" role="alert" hidden></div>
    <footer class="modal-footer"><button type="button" class="btn" data-modal-close>${close}</button>${submit}</footer>
  </form>
</div>`;
  const wasOpen = Boolean(rendered.modal);
  if (setHtml(el.modalRoot, 'modal', html) && !wasOpen) {
    const first = /** @type {HTMLElement | null} */ (
      el.modalRoot.querySelector('select, input, textarea, button')
    );
    first?.focus();
  }
}

// --------------------------------------------------------------------------------------------- actions

/** @param {HTMLElement} node */
function surfaceOf(node) {
  const s = /** @type {HTMLElement | null} */ (node.closest('[data-surface]'));
  if (!s) return undefined;
  const surface = s.dataset.surface;
  if (surface === 'message') return { surface, messageId: s.dataset.messageId };
  return { surface, viewId: s.dataset.viewId || undefined };
}

/**
 * Whether a control with a Block Kit `confirm` may go ahead: Slack first asks in its confirmation
 * dialog. Without one, at once.
 * @param {HTMLElement} node @returns {Promise<boolean>}
 */
async function confirmed(node) {
  const raw = node.dataset.confirm;
  if (!raw) return true;
  let confirm = {};
  try {
    confirm = JSON.parse(raw);
  } catch {
    // a confirm the page cannot read: still ask, with Slack's words
  }
  return askToConfirm(confirm);
}

/** Settles the confirmation dialog on screen, if one is. @type {((ok: boolean) => void) | null} */
let settleDialog = null;

/**
 * Shows a confirmation dialog (a Block Kit confirm object) over the page, as Slack does, and resolves
 * with the choice: the confirm button or Enter → true; the deny button or Esc → false. Focus starts on
 * the confirm button, stays in the dialog, and goes back where it was.
 * @param {unknown} confirm @returns {Promise<boolean>}
 */
function askToConfirm(confirm) {
  settleDialog?.(false);
  const opener = document.activeElement;
  el.dialogRoot.innerHTML = confirmDialogToHtml(confirm, ctx());
  const choices = /** @type {HTMLButtonElement[]} */ ([
    ...el.dialogRoot.querySelectorAll('[data-confirm-choice]'),
  ]);
  const yes = choices.find((b) => b.dataset.confirmChoice === 'confirm');
  return new Promise((resolve) => {
    /** @param {KeyboardEvent} event */
    const onKey = (event) => {
      const focused = /** @type {HTMLElement | null} */ (document.activeElement);
      if (event.key === 'Escape' || event.key === 'Enter') {
        // Nothing behind the dialog hears these keys (the modal under it stays open).
        event.preventDefault();
        event.stopPropagation();
        // Enter confirms, unless the deny button has the focus: then it is the one pressed.
        settle(event.key === 'Enter' && focused?.dataset.confirmChoice !== 'deny');
      } else if (event.key === 'Tab') {
        event.preventDefault();
        event.stopPropagation();
        const at = choices.indexOf(/** @type {HTMLButtonElement} */ (focused));
        const next = (at + (event.shiftKey ? -1 : 1) + choices.length) % choices.length;
        choices[at === -1 ? choices.length - 1 : next]?.focus();
      }
    };
    /** @param {MouseEvent} event */
    const onClick = (event) => {
      event.stopPropagation();
      const choice = /** @type {HTMLElement | null} */ (
        /** @type {HTMLElement} */ (event.target).closest('[data-confirm-choice]')
      );
      if (choice) settle(choice.dataset.confirmChoice === 'confirm');
      else yes?.focus();
    };
    /** @param {boolean} ok */
    const settle = (ok) => {
      if (settleDialog !== settle) return;
      settleDialog = null;
      document.removeEventListener('keydown', onKey, true);
      el.dialogRoot.removeEventListener('click', onClick);
      el.dialogRoot.innerHTML = '';
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(ok);
    };
    settleDialog = settle;
    document.addEventListener('keydown', onKey, true);
    el.dialogRoot.addEventListener('click', onClick);
    yes?.focus();
  });
}

/**
 * Sends a click: buttons, overflow choices and select changes.
 * @param {HTMLElement & { disabled?: boolean }} node
 * @param {{ value?: string, selectedOption?: { value: string, text: string }, actionType?: 'external_select' }} what
 */
async function click(node, what) {
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
function openHome() {
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
  if (!el.shortcutsMenu.hidden && !target.closest('#shortcuts-menu')) showShortcuts(false);
  const externalOption = /** @type {HTMLElement | null} */ (target.closest('[data-kind="external-option"]'));
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

/** @param {'channel' | 'home' | 'messages'} view */
function openView(view) {
  app.view = view;
  render();
  if (view === 'home') openHome();
  const pane = view === 'channel' ? el.channel : view === 'messages' ? el.dm : null;
  if (pane) pane.scrollTop = pane.scrollHeight;
  if (view === 'channel') el.composer.focus();
}

// ------------------------------------------------------------------------------------------------ modal

function modalForm() {
  return /** @type {HTMLFormElement | null} */ (el.modalRoot.querySelector('[data-testid="modal"]'));
}

async function closeModal() {
  const form = modalForm();
  if (!form) return;
  const viewId = form.dataset.viewId;
  const res = await post('close', { user: app.user, viewId });
  if (!res.ok) showBanner(`Could not close the modal: ${res.error ?? 'unknown error'}`);
  void refresh();
}

/** Slack's view.state.values from the modal's inputs. @param {HTMLElement} form */
function collectValues(form) {
  /** @type {Record<string, Record<string, unknown>>} */
  const values = {};
  for (const node of form.querySelectorAll('[data-input]')) {
    const input = /** @type {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} */ (node);
    const blockId = input.dataset.blockId ?? '';
    const actionId = input.dataset.actionId ?? '';
    values[blockId] ??= {};
    const block = /** @type {Record<string, unknown>} */ (values[blockId]);
    if (input.dataset.input === 'external_select') {
      const value = input.dataset.value ?? '';
      block[actionId] = {
        type: 'external_select',
        selected_option: value
          ? { text: { type: 'plain_text', text: input.dataset.text ?? '' }, value }
          : null,
      };
    } else if (input.dataset.input === 'users_select') {
      block[actionId] = { type: 'users_select', selected_user: input.value === '' ? null : input.value };
    } else if (input.dataset.input === 'static_select') {
      const option = /** @type {HTMLSelectElement} */ (input).selectedOptions[0];
      block[actionId] = {
        type: 'static_select',
        selected_option: option?.value
          ? { text: { type: 'plain_text', text: option.textContent ?? '' }, value: option.value }
          : null,
      };
    } else {
      block[actionId] = { type: 'plain_text_input', value: input.value === '' ? null : input.value };
    }
  }
  return values;
}

/** @param {HTMLElement} form @param {Record<string, string>} errors */
function showErrors(form, errors) {
  for (const node of form.querySelectorAll('[data-error-for]')) {
    const box = /** @type {HTMLElement} */ (node);
    const message = errors[box.dataset.errorFor ?? ''];
    box.textContent = message ?? '';
    box.hidden = !message;
    box.closest('.block')?.classList.toggle('has-error', Boolean(message));
  }
  const first = /** @type {HTMLElement | null} */ (form.querySelector('.has-error [data-input]'));
  first?.focus();
}

el.modalRoot.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = modalForm();
  if (!form) return;
  const submit = /** @type {HTMLButtonElement | null} */ (form.querySelector('[data-testid="modal-submit"]'));
  if (!submit || submit.disabled) return;
  submit.disabled = true;
  const res = await post('submit', {
    user: app.user,
    viewId: form.dataset.viewId,
    values: collectValues(form),
  });
  submit.disabled = false;
  const error = /** @type {HTMLElement | null} */ (form.querySelector('.modal-error'));
  if (!res.ok) {
    if (error) {
      error.textContent = `Could not submit: ${res.error ?? 'unknown error'}`;
      error.hidden = false;
    }
    return;
  }
  if (error) error.hidden = true;
  showErrors(form, res.errors ?? {});
  if (res.closed) void refresh();
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

// ------------------------------------------------------------------------- menus the app fills as you type

/** The newest options request of each menu: older answers that arrive later are dropped. */
const externalRequests = new WeakMap();
/** @type {WeakMap<HTMLElement, ReturnType<typeof setTimeout>>} */
const externalTimers = new WeakMap();

/** @param {HTMLElement} wrapper */
function externalParts(wrapper) {
  return {
    input: /** @type {HTMLInputElement} */ (wrapper.querySelector('[data-external-input]')),
    list: /** @type {HTMLElement} */ (wrapper.querySelector('.external-select-list')),
  };
}

/** @param {HTMLElement} wrapper */
function closeExternal(wrapper) {
  const { input, list } = externalParts(wrapper);
  list.hidden = true;
  input?.setAttribute('aria-expanded', 'false');
}

/**
 * Asks the app for the options that match what was typed (Slack's block_suggestion, signed, through
 * the sandbox server), once at least min_query_length characters are typed.
 * @param {HTMLElement} wrapper
 */
async function loadExternal(wrapper) {
  const { input, list } = externalParts(wrapper);
  const where = surfaceOf(wrapper);
  if (!input || !list || !where) return;
  const value = input.value;
  if (value.length < Number(wrapper.dataset.minQueryLength ?? 3)) {
    closeExternal(wrapper);
    return;
  }
  const request = {};
  externalRequests.set(wrapper, request);
  const res = await post('options', {
    user: app.user,
    viewId: where.viewId,
    actionId: wrapper.dataset.actionId ?? '',
    blockId: wrapper.dataset.blockId ?? '',
    value,
  });
  if (externalRequests.get(wrapper) !== request || !wrapper.isConnected) return;
  /** @type {{ text: string, value: string, description?: string }[]} */
  const options = res.ok ? (res.options ?? []) : [];
  list.innerHTML = !res.ok
    ? `<li class="external-select-note">${escapeHtml(`Could not load the options: ${res.error ?? 'unknown error'}`)}</li>`
    : options.length === 0
      ? '<li class="external-select-note">No results</li>'
      : options
          .map(
            (o) =>
              `<li role="presentation"><button type="button" role="option" class="external-option" data-kind="external-option" data-value="${escapeHtml(o.value)}" data-text="${escapeHtml(o.text)}">${escapeHtml(o.text)}${o.description ? `<span class="option-description">${escapeHtml(o.description)}</span>` : ''}</button></li>`,
          )
          .join('');
  list.hidden = false;
  input.setAttribute('aria-expanded', 'true');
}

/** @param {HTMLElement} wrapper */
function scheduleExternal(wrapper) {
  clearTimeout(externalTimers.get(wrapper));
  externalTimers.set(
    wrapper,
    setTimeout(() => void loadExternal(wrapper), 120),
  );
}

/** An option chosen in such a menu: kept for the submission, and sent at once with dispatch_action. @param {HTMLElement} option */
function chooseExternal(option) {
  const wrapper = /** @type {HTMLElement | null} */ (option.closest('.external-select'));
  if (!wrapper) return;
  const value = option.dataset.value ?? '';
  const text = option.dataset.text ?? '';
  const { input } = externalParts(wrapper);
  wrapper.dataset.value = value;
  wrapper.dataset.text = text;
  if (input) input.value = text;
  closeExternal(wrapper);
  input?.focus();
  if (wrapper.dataset.dispatch === 'true') {
    void click(wrapper, { selectedOption: { value, text }, actionType: 'external_select' });
  }
}

document.addEventListener('input', (event) => {
  const input = /** @type {HTMLElement} */ (event.target);
  if (!input.matches?.('[data-external-input]')) return;
  const wrapper = /** @type {HTMLElement | null} */ (input.closest('.external-select'));
  if (!wrapper) return;
  // What is typed no longer names the chosen option until one is chosen again.
  if (/** @type {HTMLInputElement} */ (input).value !== wrapper.dataset.text) wrapper.dataset.value = '';
  scheduleExternal(wrapper);
});

document.addEventListener('focusin', (event) => {
  const input = /** @type {HTMLElement} */ (event.target);
  if (!input.matches?.('[data-external-input]')) return;
  const wrapper = /** @type {HTMLElement | null} */ (input.closest('.external-select'));
  // Opening the menu: with min_query_length 0 the app lists options before anything is typed.
  if (wrapper && !wrapper.dataset.value) scheduleExternal(wrapper);
});

document.addEventListener('keydown', (event) => {
  const target = /** @type {HTMLElement} */ (event.target);
  const wrapper = /** @type {HTMLElement | null} */ (target.closest?.('.external-select'));
  if (!wrapper) return;
  const options = /** @type {HTMLElement[]} */ ([...wrapper.querySelectorAll('.external-option')]);
  const at = options.indexOf(target);
  if (event.key === 'Enter' && target.matches('[data-external-input]')) {
    // Enter picks the first option, as in Slack, rather than submitting the form.
    event.preventDefault();
    const first = options[0];
    if (first && !externalParts(wrapper).list.hidden) chooseExternal(first);
  } else if (event.key === 'ArrowDown') {
    event.preventDefault();
    options[Math.min(options.length - 1, at + 1)]?.focus();
  } else if (event.key === 'ArrowUp') {
    event.preventDefault();
    if (at <= 0) externalParts(wrapper).input?.focus();
    else options[at - 1]?.focus();
  }
});

// --------------------------------------------------------------------------------------------- composer

/** The people and user groups of the workspace shown, for the @ list. */
function mentionables() {
  return { people: app.state?.users ?? [], groups: app.state?.userGroups ?? [] };
}

/** The @ list: what it offers, which one is highlighted, and where the `@` being typed is. */
const picker = { items: /** @type {Mentionable[]} */ ([]), active: 0, start: -1 };

function closePicker() {
  picker.items = [];
  picker.start = -1;
  el.mentionList.hidden = true;
  el.mentionList.innerHTML = '';
  el.composer.setAttribute('aria-expanded', 'false');
  el.composer.removeAttribute('aria-activedescendant');
}

/** Opens, filters or closes the @ list for what is typed before the caret. */
function updatePicker() {
  const box = el.composer;
  const caret = box.selectionStart ?? box.value.length;
  const at = box.selectionEnd === caret ? mentionAt(box.value, caret) : undefined;
  const { people, groups } = mentionables();
  const items = at ? matchMentionables(at.query, people, groups) : [];
  if (!at || items.length === 0) {
    closePicker();
    return;
  }
  picker.items = items;
  picker.start = at.start;
  picker.active = 0;
  renderPicker();
}

function renderPicker() {
  el.mentionList.innerHTML = picker.items
    .map((m, i) => {
      const person = m.kind === 'person';
      const name = person ? m.name : `@${m.handle}`;
      const count = m.kind === 'group' && m.count !== undefined ? m.count : undefined;
      const detail = person
        ? m.id === app.user
          ? 'you'
          : ''
        : `${m.name}${count === undefined ? '' : ` · ${count} ${count === 1 ? 'person' : 'people'}`}`;
      return `<div role="option" id="mention-option-${i}" class="mention-option${person ? '' : ' is-group'}" data-index="${i}" aria-selected="${i === picker.active}"><span class="mention-avatar" aria-hidden="true">${person ? escapeHtml(m.name.slice(0, 1).toUpperCase()) : '@'}</span><span class="mention-name">${escapeHtml(name)}</span>${detail ? ` <span class="mention-detail">${escapeHtml(detail)}</span>` : ''}</div>`;
    })
    .join('');
  el.mentionList.hidden = false;
  el.composer.setAttribute('aria-expanded', 'true');
  el.composer.setAttribute('aria-activedescendant', `mention-option-${picker.active}`);
  el.mentionList.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
}

/** Puts the chosen person or group in the box as `@Name `, and remembers it was picked. @param {number} index */
function pickMention(index) {
  const m = picker.items[index];
  if (!m || picker.start < 0) return;
  const box = el.composer;
  const caret = box.selectionStart ?? box.value.length;
  const rest = box.value.slice(caret);
  const token = `${mentionLabel(m)}${/^\s/.test(rest) ? '' : ' '}`;
  box.value = box.value.slice(0, picker.start) + token + rest;
  const end = picker.start + token.length;
  box.setSelectionRange(end, end);
  app.picked = [...app.picked.filter((p) => !(p.kind === m.kind && p.id === m.id)), m];
  closePicker();
  box.focus();
}

/** Keys while the @ list is open: arrows move, Enter or Tab picks, Esc closes. @param {KeyboardEvent} event */
function pickerKey(event) {
  if (event.isComposing) return false;
  const n = picker.items.length;
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    picker.active = (picker.active + (event.key === 'ArrowDown' ? 1 : -1) + n) % n;
    renderPicker();
  } else if (event.key === 'Enter' || event.key === 'Tab') {
    pickMention(picker.active);
  } else if (event.key === 'Escape') {
    closePicker();
  } else {
    return false;
  }
  event.preventDefault();
  event.stopPropagation();
  return true;
}

el.mentionList.addEventListener('mousedown', (event) => event.preventDefault()); // the box keeps the focus
el.mentionList.addEventListener('click', (event) => {
  const option = /** @type {HTMLElement | null} */ (
    /** @type {HTMLElement} */ (event.target).closest('[data-index]')
  );
  if (option) pickMention(Number(option.dataset.index));
});
el.composer.addEventListener('click', updatePicker);
el.composer.addEventListener('blur', closePicker);

el.form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const raw = el.composer.value.trim();
  if (!raw) return;
  // The people and groups picked from the @ list (of this workspace) go as Slack sends them.
  const { people, groups } = mentionables();
  const here = app.picked.filter((m) =>
    m.kind === 'person' ? people.some((p) => p.id === m.id) : groups.some((g) => g.id === m.id),
  );
  const sent = toSlackText(raw, here);
  const match = /^\/competency(?:\s+([\s\S]*))?$/i.exec(sent);
  if (!match) {
    el.hint.textContent = `Only ${COMMAND} works here. Try “${COMMAND} help”.`;
    el.hint.classList.add('is-error');
    return;
  }
  app.history = [...app.history.filter((h) => h !== sent), sent].slice(-50);
  localStorage.setItem('sandbox.history', JSON.stringify(app.history));
  app.historyAt = -1;
  app.picked = [];
  closePicker();
  el.composer.value = '';
  el.hint.textContent = '';
  el.hint.classList.remove('is-error');
  const res = await post('command', { user: app.user, text: (match[1] ?? '').trim() });
  if (!res.ok) {
    el.hint.textContent = `The command failed: ${res.error ?? 'unknown error'}`;
    el.hint.classList.add('is-error');
  }
});

el.composer.addEventListener('keydown', (event) => {
  if (!el.mentionList.hidden && pickerKey(event)) return;
  if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
  const h = app.history;
  if (h.length === 0) return;
  if (event.key === 'ArrowUp') {
    if (app.historyAt === -1) {
      app.draft = el.composer.value;
      app.draftPicked = app.picked;
      app.historyAt = h.length - 1;
    } else if (app.historyAt > 0) app.historyAt -= 1;
  } else {
    if (app.historyAt === -1) return;
    app.historyAt = app.historyAt < h.length - 1 ? app.historyAt + 1 : -1;
  }
  event.preventDefault();
  if (app.historyAt === -1) {
    el.composer.value = app.draft;
    app.picked = app.draftPicked;
  } else {
    // A line sent before, readable again, with its mentions picked again.
    const { people, groups } = mentionables();
    const recalled = fromSlackText(h[app.historyAt] ?? '', people, groups);
    el.composer.value = recalled.text;
    app.picked = recalled.picked;
  }
  const end = el.composer.value.length;
  el.composer.setSelectionRange(end, end);
});

el.composer.addEventListener('input', () => {
  if (el.hint.classList.contains('is-error')) {
    el.hint.textContent = '';
    el.hint.classList.remove('is-error');
  }
  updatePicker();
});

// Back from the install page in another tab: show what changed at once.
window.addEventListener('focus', () => void refresh());

listen();
void refresh();

// ------------------------------------------------------------------------------------ check-in reminders

/**
 * "Send due check-ins now": the app sends the person's check-in reminder as if its time had come (the
 * sandbox moves the reminders' clock forward for that run), and the page opens their Messages with it.
 */
const sendCheckIns = /** @type {HTMLButtonElement} */ ($('send-checkins'));
sendCheckIns.addEventListener('click', async () => {
  if (sendCheckIns.disabled) return;
  sendCheckIns.disabled = true;
  sendCheckIns.setAttribute('aria-busy', 'true');
  const res = await post('checkins', { user: app.user });
  sendCheckIns.disabled = false;
  sendCheckIns.removeAttribute('aria-busy');
  if (!res.ok) {
    showBanner(res.error ?? 'The check-in was not sent.');
    return;
  }
  showBanner('');
  openView('messages');
  void refresh();
});
