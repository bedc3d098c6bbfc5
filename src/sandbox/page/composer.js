// @ts-check
/**
 * The message box: `/competency …` sent to the app as a slash command (anything else, as a message of
 * the person's own in the channel), the @ list for picking people
 * and user groups (mentions.js), and the history of what was sent (arrow keys).
 */
import { fromSlackText, matchMentionables, mentionAt, mentionLabel, toSlackText } from './mentions.js';
import { app, el } from './page-state.js';
import { escapeHtml } from './render.js';
import { post } from './server.js';

/** @typedef {import('./mentions.js').Mentionable} Mentionable */

const COMMAND = '/competency';

/** The people and user groups of the workspace shown, for the @ list. */
function mentionables() {
  return { people: app.state?.users ?? [], groups: app.state?.userGroups ?? [] };
}

/** The @ list: what it offers, which one is highlighted, and where the `@` being typed is. */
const picker = { items: /** @type {Mentionable[]} */ ([]), active: 0, start: -1 };

export function closePicker() {
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

/** The box's keys, clicks and sending. */
export function setUpComposer() {
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
    if (!match && !sent.startsWith('/')) {
      // A message of the person's own, in the channel: what a message shortcut (⋯) can be run on.
      el.composer.value = '';
      app.picked = [];
      closePicker();
      const said = await post('say', { user: app.user, text: sent });
      if (!said.ok) {
        el.hint.textContent = `The message was not sent: ${said.error ?? 'unknown error'}`;
        el.hint.classList.add('is-error');
      }
      return;
    }
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
}
