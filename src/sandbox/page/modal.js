// @ts-check
/**
 * The open modal: drawing it, closing it, and submitting its inputs as Slack's view.state.values
 * (with the files chosen in its file inputs, shared through the sandbox server first).
 */
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
    // File inputs are filled in by attachFiles, once the chosen files are with the sandbox server.
    if (input.dataset.input === 'file_input') continue;
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
    } else if (input.dataset.input === 'datepicker') {
      block[actionId] = { type: 'datepicker', selected_date: input.value === '' ? null : input.value };
    } else if (input.dataset.input === 'checkboxes') {
      const box = /** @type {HTMLInputElement} */ (input);
      const before = /** @type {{ selected_options?: unknown[] } | undefined} */ (block[actionId]);
      const chosen = before?.selected_options ?? [];
      block[actionId] = {
        type: 'checkboxes',
        selected_options: box.checked
          ? [...chosen, { text: { type: 'plain_text', text: box.dataset.text ?? '' }, value: box.value }]
          : chosen,
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

/**
 * What Slack says of each file already attached, by the file the person chose: submitting again
 * (after the app answered with errors) sends the same file, not a copy.
 * @type {WeakMap<File, { user: string, file: Record<string, unknown> }>}
 */
const attached = new WeakMap();

/** A file's bytes as base64, which the sandbox server takes in JSON. @param {File} file */
async function base64Of(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * What is wrong with the files chosen in a file input, as Slack's picker would not let it happen: a
 * required input left empty, more files than `max_files`, a file whose extension is not in `filetypes`.
 * @param {HTMLInputElement} input
 */
function fileProblem(input) {
  const files = [...(input.files ?? [])];
  if (files.length === 0) {
    return input.dataset.required === 'true' ? 'Please complete this required field.' : undefined;
  }
  const max = Number(input.dataset.maxFiles ?? 10);
  if (files.length > max) return max === 1 ? 'Choose one file.' : `Choose at most ${max} files.`;
  const types = (input.dataset.filetypes ?? '').split(',').filter(Boolean);
  if (types.length === 0) return undefined;
  const wrong = files.find((f) => !types.includes(/\.([^.]+)$/.exec(f.name)?.[1]?.toLowerCase() ?? ''));
  return wrong
    ? `${wrong.name} is not a file this form takes: choose a ${types.map((t) => `.${t}`).join(', ')} file.`
    : undefined;
}

/**
 * The modal's file inputs as Slack's view.state.values (`{ type: 'file_input', files }`, each file as
 * Slack describes it), once every chosen file is shared through the sandbox server (POST
 * /sandbox/api/files, which the local Slack keeps for the app to download); or the problems to show
 * under the inputs, or why a file could not be attached.
 * @param {HTMLElement} form
 * @returns {Promise<{ values: Record<string, Record<string, unknown>> } | { errors: Record<string, string> } | { error: string }>}
 */
async function attachFiles(form) {
  const inputs = /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll('[data-input="file_input"]')]);
  /** @type {Record<string, string>} */
  const errors = {};
  for (const input of inputs) {
    const problem = fileProblem(input);
    if (problem) errors[input.dataset.blockId ?? ''] = problem;
  }
  if (Object.keys(errors).length > 0) return { errors };
  /** @type {Record<string, Record<string, unknown>>} */
  const values = {};
  for (const input of inputs) {
    const files = [];
    for (const chosen of input.files ?? []) {
      const known = attached.get(chosen);
      if (known && known.user === app.user) {
        files.push(known.file);
        continue;
      }
      const res = await post('files', { user: app.user, name: chosen.name, content: await base64Of(chosen) });
      if (!res.ok || !res.file)
        return { error: `${chosen.name} could not be attached: ${res.error ?? 'unknown error'}` };
      attached.set(chosen, { user: app.user, file: res.file });
      files.push(res.file);
    }
    const blockId = input.dataset.blockId ?? '';
    values[blockId] ??= {};
    /** @type {Record<string, unknown>} */ (values[blockId])[input.dataset.actionId ?? ''] = {
      type: 'file_input',
      files,
    };
  }
  return { values };
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
  // Another file chosen: what was said of the one before no longer holds.
  el.modalRoot.addEventListener('change', (event) => {
    const input = /** @type {HTMLElement} */ (event.target);
    if (input.dataset?.input !== 'file_input') return;
    const box = /** @type {HTMLElement | null} */ (
      input.closest('.block')?.querySelector('[data-error-for]') ?? null
    );
    if (box) box.hidden = true;
    input.closest('.block')?.classList.remove('has-error');
  });
  el.modalRoot.addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = modalForm();
    if (!form) return;
    const submit = /** @type {HTMLButtonElement | null} */ (
      form.querySelector('[data-testid="modal-submit"]')
    );
    if (!submit || submit.disabled) return;
    submit.disabled = true;
    const error = /** @type {HTMLElement | null} */ (form.querySelector('.modal-error'));
    /** @param {string} message */
    const failed = (message) => {
      submit.disabled = false;
      if (error) {
        error.textContent = `Could not submit: ${message}`;
        error.hidden = false;
      }
    };
    // Files first: Slack has them before the form is submitted, and puts them in its state.
    const files = await attachFiles(form);
    if ('error' in files) return failed(files.error);
    if ('errors' in files) {
      submit.disabled = false;
      if (error) error.hidden = true;
      showErrors(form, files.errors);
      return;
    }
    const res = await post('submit', {
      user: app.user,
      viewId: form.dataset.viewId,
      values: { ...collectValues(form), ...files.values },
    });
    if (!res.ok) return failed(res.error ?? 'unknown error');
    submit.disabled = false;
    if (error) error.hidden = true;
    showErrors(form, res.errors ?? {});
    if (res.closed) void refresh();
  });
}
