// @ts-check
/**
 * The page on screen: the workspace and person switchers, the channel, the person's messages with the
 * app (and the files it sent them), the Home tab, and whether the app is installed here. The modal and
 * the shortcuts menu are drawn by modal.js and shortcuts.js.
 */
import { renderModal } from './modal.js';
import { app, ctx, dmSeen, el, hooks, setHtml } from './page-state.js';
import { blocksToHtml, escapeHtml, mrkdwnToHtml, safeUrl, typedTextToHtml } from './render.js';
import { renderShortcuts } from './shortcuts.js';

/** @typedef {import('./page-state.js').Message} Message */

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

/**
 * The ⋯ ("More actions") menu of a message everyone in the conversation sees: the app's message
 * shortcuts, where it is installed. Slack offers none on a message only one person sees.
 * @param {Message} m
 */
function moreActionsHtml(m) {
  const shortcuts = app.state?.workspace?.installed ? (app.state.messageShortcuts ?? []) : [];
  if (m.ephemeral || shortcuts.length === 0) return '';
  const id = escapeHtml(m.id);
  const items = shortcuts
    .map(
      (sc) =>
        `<button type="button" role="menuitem" class="shortcut-item" data-message-shortcut="${escapeHtml(sc.callbackId)}" data-message-id="${id}"><strong>${escapeHtml(sc.name)}</strong><span class="shortcut-description">${escapeHtml(sc.description)}</span></button>`,
    )
    .join('');
  return `<div class="message-actions"><button type="button" class="btn message-more" data-message-more="${id}" data-testid="message-more" aria-haspopup="menu" aria-expanded="false" title="More actions"><span aria-hidden="true">⋯</span><span class="visually-hidden">More actions</span></button><div class="shortcuts-menu message-menu" role="menu" aria-label="More actions" data-testid="message-menu" hidden>${items}</div></div>`;
}

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
  ${moreActionsHtml(m)}
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

export function render() {
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
  // The workspace's admin may bring the org's own frameworks (users.info says is_admin).
  el.userRole.hidden = s.users.find((u) => u.id === app.user)?.admin !== true;

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
  if (installed && app.installedShown === false && app.view === 'home') hooks.openHome();
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
