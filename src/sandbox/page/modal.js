// @ts-check
/** The open modal: drawing it, closing it, and submitting its inputs as Slack's view.state.values. */
import { app, ctx, el, rendered, setHtml, showBanner } from './page-state.js';
import { blocksToHtml, escapeHtml, textToPlain } from './render.js';
import { post, refresh } from './server.js';

/** @typedef {import('./page-state.js').View} View */

/** @param {(View & { id: string }) | null} modal */
export function renderModal(modal) {
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

export function modalForm() {
  return /** @type {HTMLFormElement | null} */ (el.modalRoot.querySelector('[data-testid="modal"]'));
}

export async function closeModal() {
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

/** Submit: the app answers with errors to show, a view to show instead, or nothing (closed). */
export function setUpModal() {
  el.modalRoot.addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = modalForm();
    if (!form) return;
    const submit = /** @type {HTMLButtonElement | null} */ (
      form.querySelector('[data-testid="modal-submit"]')
    );
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
}
