// @ts-check
/**
 * Menus the app fills as the person types (external_select): the page asks the app for the options
 * that match (Slack's block_suggestion), shows them, and keeps the chosen one for the submission.
 */
import { app, hooks, surfaceOf } from './page-state.js';
import { escapeHtml } from './render.js';
import { post } from './server.js';

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
export function closeExternal(wrapper) {
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
export function chooseExternal(option) {
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
    void hooks.click(wrapper, { selectedOption: { value, text }, actionType: 'external_select' });
  }
}

/** Typing, focusing and arrow keys in such a menu. */
export function setUpExternalSelects() {
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
}
