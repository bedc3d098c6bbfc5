// @ts-check
/**
 * Block Kit → HTML for the sandbox page: blocks, interactive elements (buttons, menus, inputs, file
 * pickers) with the data the page sends back when they are used, and confirmation dialogs. No DOM
 * access, so the same module runs in the browser and under vitest. Never throws: a block it cannot
 * render becomes a note.
 */
import { escapeHtml, plainToHtml, safeUrl, textToHtml, textToPlain } from './mrkdwn.js';
import { richElementToHtml } from './rich-text.js';

/**
 * @typedef {import('./mrkdwn.js').RenderContext} RenderContext
 * @typedef {import('./mrkdwn.js').TextObject} TextObject
 * @typedef {Record<string, any>} Block
 */

/** @param {Record<string, unknown>} attrs */
function attrs(attrs) {
  let out = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    out += v === true ? ` ${k}` : ` ${k}="${escapeHtml(v)}"`;
  }
  return out;
}

/** @param {string} what */
const unsupported = (what) => `<span class="unsupported">[unsupported ${escapeHtml(what)}]</span>`;

/** @param {Block} image */
function imageTag(image, cls = 'image') {
  const src = safeUrl(image.image_url ?? image.slack_file?.url);
  if (!src) return `<span class="${cls} image-missing">${escapeHtml(image.alt_text ?? 'image')}</span>`;
  return `<img${attrs({ class: cls, src, alt: image.alt_text ?? '', loading: 'lazy' })}>`;
}

/** @param {Block} option */
function optionText(option) {
  return textToPlain(option?.text);
}

/**
 * An interactive element in a section accessory or an actions block: clicking or choosing posts a click.
 * @param {Block} el @param {string} blockId
 */
function elementToHtml(el, blockId) {
  const type = String(el?.type ?? 'unknown');
  const common = { 'data-action-id': el?.action_id ?? '', 'data-block-id': blockId };
  if (type === 'button') {
    const cls = ['btn', el.style === 'primary' ? 'btn-primary' : el.style === 'danger' ? 'btn-danger' : '']
      .filter(Boolean)
      .join(' ');
    return `<button${attrs({
      type: 'button',
      class: cls,
      'data-kind': 'button',
      ...common,
      'data-value': el.value,
      'data-url': el.url ? safeUrl(el.url) : undefined,
      'data-confirm': el.confirm ? JSON.stringify(el.confirm) : undefined,
      'aria-label': el.accessibility_label,
    })}>${plainToHtml(el.text)}</button>`;
  }
  if (type === 'static_select') return selectToHtml(el, { ...common, 'data-kind': 'static_select' });
  if (type === 'overflow') {
    const items = (Array.isArray(el.options) ? el.options : [])
      .map(
        (/** @type {Block} */ o) =>
          `<button${attrs({
            type: 'button',
            class: 'overflow-option',
            role: 'menuitem',
            'data-kind': 'overflow-option',
            ...common,
            'data-value': o?.value ?? '',
            'data-text': optionText(o),
            'data-url': o?.url ? safeUrl(o.url) : undefined,
            'data-confirm': el.confirm ? JSON.stringify(el.confirm) : undefined,
          })}>${escapeHtml(optionText(o))}</button>`,
      )
      .join('');
    return `<details${attrs({ class: 'overflow', ...common })}><summary class="btn overflow-toggle" aria-label="More actions">⋯</summary><div class="overflow-menu" role="menu">${items}</div></details>`;
  }
  if (type === 'image') return imageTag(el, 'accessory-image');
  return unsupported(`element: ${type}`);
}

/** @param {Block} el @param {Record<string, unknown>} a */
function selectToHtml(el, a) {
  const initial = el.initial_option?.value;
  /** @param {Block} o */
  const option = (o) =>
    `<option${attrs({ value: o?.value ?? '', selected: initial !== undefined && o?.value === initial })}>${escapeHtml(optionText(o))}</option>`;
  const flat = Array.isArray(el.options) ? el.options.map(option).join('') : '';
  const groups = Array.isArray(el.option_groups)
    ? el.option_groups
        .map(
          (/** @type {Block} */ g) =>
            `<optgroup label="${escapeHtml(textToPlain(g?.label))}">${(Array.isArray(g?.options) ? g.options : []).map(option).join('')}</optgroup>`,
        )
        .join('')
    : '';
  const placeholder = `<option value=""${initial === undefined ? ' selected' : ''} disabled>${escapeHtml(textToPlain(el.placeholder) || 'Select an option')}</option>`;
  return `<select${attrs({ class: 'select', ...a })}>${placeholder}${flat}${groups}</select>`;
}

/**
 * A menu whose options the app gives as the person types (external_select): a text box, and below it
 * the list the page fills from the app's answer. The chosen option is kept on the wrapper
 * (`data-value`, `data-text`); `data-dispatch` says whether choosing one is sent to the app at once.
 * @param {Block} el @param {Record<string, unknown>} common @param {boolean} dispatch
 */
function externalSelectToHtml(el, common, dispatch) {
  const { id, ...rest } = common;
  const initial = el.initial_option;
  const text = initial ? optionText(initial) : '';
  const listId = `${String(id)}-list`;
  const minQuery = Number.isInteger(el.min_query_length) ? el.min_query_length : 3;
  const input = `<input${attrs({
    id,
    type: 'text',
    class: 'text-input',
    role: 'combobox',
    autocomplete: 'off',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listId,
    'data-external-input': true,
    placeholder: el.placeholder ? textToPlain(el.placeholder) : undefined,
    value: text || undefined,
  })}>`;
  return `<div${attrs({
    class: 'external-select',
    ...rest,
    'data-input': 'external_select',
    'data-dispatch': dispatch ? 'true' : undefined,
    'data-min-query-length': String(minQuery),
    'data-value': initial?.value ?? '',
    'data-text': text,
  })}>${input}<ul${attrs({ id: listId, class: 'external-select-list', role: 'listbox', hidden: true })}></ul></div>`;
}

/**
 * A file input, as Slack's file picker: the browser's, taking only the extensions in `filetypes` and
 * at most `max_files` files (Slack's default is 10), with a note of both. The page checks them again
 * on submit (a picker can be told to show every file), sends the chosen files to the sandbox server
 * and puts what Slack says of each in the view's state.
 * @param {Block} el @param {Record<string, unknown>} common @param {boolean} required
 */
function fileInputToHtml(el, common, required) {
  const types = (Array.isArray(el.filetypes) ? el.filetypes : [])
    .filter((/** @type {unknown} */ t) => typeof t === 'string' && t !== '')
    .map((/** @type {string} */ t) => t.toLowerCase().replace(/^\./, ''));
  const max = Number.isInteger(el.max_files) && el.max_files >= 1 ? Math.min(el.max_files, 10) : 10;
  const noteId = `${String(common.id)}-note`;
  const what = types.length > 0 ? types.map((t) => `.${t}`).join(', ') : 'any file';
  const note = `${max === 1 ? 'One file' : `Up to ${max} files`}: ${what}`;
  return `<input${attrs({
    ...common,
    type: 'file',
    class: 'file-input',
    'data-input': 'file_input',
    'data-filetypes': types.join(','),
    'data-max-files': String(max),
    'data-required': required ? 'true' : undefined,
    accept: types.length > 0 ? types.map((t) => `.${t}`).join(',') : undefined,
    multiple: max > 1,
    'aria-describedby': noteId,
  })}><div class="file-input-note" id="${escapeHtml(noteId)}">${escapeHtml(note)}</div>`;
}

/** @param {Block} el @param {string} blockId @param {string} id @param {RenderContext} [ctx] @param {boolean} [dispatch] @param {boolean} [optional] */
function inputElementToHtml(el, blockId, id, ctx = {}, dispatch = false, optional = false) {
  const type = String(el?.type ?? 'unknown');
  const common = { id, 'data-action-id': el?.action_id ?? '', 'data-block-id': blockId };
  if (type === 'file_input') return fileInputToHtml(el, common, !optional);
  if (type === 'external_select') return externalSelectToHtml(el, common, dispatch);
  if (type === 'static_select')
    return selectToHtml(el, {
      ...common,
      'data-input': 'static_select',
      'data-dispatch': dispatch ? 'true' : undefined,
    });
  if (type === 'users_select') {
    // The people of the workspace, as Slack's picker offers them.
    const people = Object.entries(ctx.users ?? {})
      .map(
        ([userId, name]) =>
          `<option value="${escapeHtml(userId)}"${el.initial_user === userId ? ' selected' : ''}>${escapeHtml(name)}</option>`,
      )
      .join('');
    const placeholder = `<option value=""${el.initial_user ? '' : ' selected'} disabled>${escapeHtml(textToPlain(el.placeholder) || 'Select a person')}</option>`;
    return `<select${attrs({ class: 'select', ...common, 'data-input': 'users_select' })}>${placeholder}${people}</select>`;
  }
  if (type === 'datepicker') {
    return `<input${attrs({ ...common, type: 'date', class: 'text-input', 'data-input': 'datepicker', value: el.initial_date })}>`;
  }
  if (type === 'checkboxes') {
    const initial = new Set(
      (Array.isArray(el.initial_options) ? el.initial_options : []).map((/** @type {Block} */ o) => o?.value),
    );
    return (Array.isArray(el.options) ? el.options : [])
      .map(
        (/** @type {Block} */ o, /** @type {number} */ i) =>
          `<label class="checkbox"><input${attrs({
            ...common,
            id: i === 0 ? id : `${id}-${i}`,
            type: 'checkbox',
            'data-input': 'checkboxes',
            'data-text': optionText(o),
            value: o?.value ?? '',
            checked: initial.has(o?.value),
          })}> ${escapeHtml(optionText(o))}</label>`,
      )
      .join('');
  }
  if (type === 'plain_text_input') {
    const a = {
      ...common,
      class: 'text-input',
      'data-input': 'plain_text_input',
      placeholder: el.placeholder ? textToPlain(el.placeholder) : undefined,
      minlength: el.min_length,
      maxlength: el.max_length,
    };
    return el.multiline
      ? `<textarea${attrs({ ...a, rows: 4 })}>${escapeHtml(el.initial_value ?? '')}</textarea>`
      : `<input${attrs({ ...a, type: 'text', value: el.initial_value })}>`;
  }
  return unsupported(`element: ${type}`);
}

/** @param {Block} el @param {RenderContext} ctx */
function contextElementToHtml(el, ctx) {
  if (el?.type === 'image') return imageTag(el, 'context-image');
  if (el?.type === 'mrkdwn' || el?.type === 'plain_text') return `<span>${textToHtml(el, ctx)}</span>`;
  return unsupported(`element: ${String(el?.type)}`);
}

/** @param {Block} block @param {RenderContext & { idPrefix?: string }} ctx @param {number} index */
function blockToHtml(block, ctx, index) {
  const type = String(block?.type ?? 'unknown');
  const blockId = String(block?.block_id ?? '');
  const open = (/** @type {string} */ extra = '') =>
    `<div${attrs({ class: `block block-${type}${extra}`, 'data-block-id': blockId || undefined })}>`;
  switch (type) {
    case 'header':
      return `${open()}<h3 class="header">${plainToHtml(block.text)}</h3></div>`;
    case 'divider':
      return `${open()}<hr></div>`;
    case 'section': {
      const text = block.text ? `<div class="section-text">${textToHtml(block.text, ctx)}</div>` : '';
      const fields = Array.isArray(block.fields)
        ? `<div class="fields">${block.fields.map((/** @type {Block} */ f) => `<div class="field">${textToHtml(f, ctx)}</div>`).join('')}</div>`
        : '';
      const accessory = block.accessory
        ? `<div class="accessory">${elementToHtml(block.accessory, blockId)}</div>`
        : '';
      return `${open(accessory ? ' has-accessory' : '')}<div class="section-body">${text}${fields}</div>${accessory}</div>`;
    }
    case 'context': {
      const els = (Array.isArray(block.elements) ? block.elements : [])
        .map((/** @type {Block} */ e) => contextElementToHtml(e, ctx))
        .join('');
      return `${open()}${els}</div>`;
    }
    case 'actions': {
      const els = (Array.isArray(block.elements) ? block.elements : [])
        .map((/** @type {Block} */ e) => elementToHtml(e, blockId))
        .join('');
      return `${open()}${els}</div>`;
    }
    case 'image': {
      const title = block.title ? `<div class="image-title">${plainToHtml(block.title)}</div>` : '';
      return `${open()}${title}${imageTag(block)}</div>`;
    }
    case 'input': {
      const id = `${ctx.idPrefix ?? 'sb'}-input-${index}`;
      const optional = block.optional ? ' <span class="optional">(optional)</span>' : '';
      const hint = block.hint ? `<div class="hint">${plainToHtml(block.hint)}</div>` : '';
      return `${open()}<label class="input-label" for="${escapeHtml(id)}">${plainToHtml(block.label)}${optional}</label>${inputElementToHtml(block.element, blockId, id, ctx, block.dispatch_action === true, block.optional === true)}${hint}<div class="input-error" role="alert"${attrs({ 'data-error-for': blockId })} hidden></div></div>`;
    }
    case 'rich_text': {
      const els = (Array.isArray(block.elements) ? block.elements : [])
        .map((/** @type {Block} */ e) => richElementToHtml(e, ctx))
        .join('');
      return `${open()}${els}</div>`;
    }
    default:
      return `<div class="block block-unsupported">${unsupported(`block: ${type}`)}</div>`;
  }
}

/**
 * Block Kit blocks → HTML. Never throws: a block that cannot be rendered becomes a small note.
 * @param {unknown} blocks @param {RenderContext & { idPrefix?: string }} [ctx]
 */
export function blocksToHtml(blocks, ctx = {}) {
  if (!Array.isArray(blocks)) return '';
  return blocks
    .map((block, i) => {
      try {
        return blockToHtml(block, ctx, i);
      } catch {
        return `<div class="block block-unsupported">${unsupported(`block: ${String(block?.type ?? 'unknown')}`)}</div>`;
      }
    })
    .join('');
}

/**
 * A confirmation (the `confirm` of a button or a menu) as Slack shows it: a small dialog over the page
 * with its title, its text, and two buttons: deny ("Cancel" unless it says) and confirm, green, or red
 * with `style: "danger"`. The page shows it and sends the click only once confirm is chosen.
 * @param {unknown} confirm @param {RenderContext} [ctx]
 */
export function confirmDialogToHtml(confirm, ctx = {}) {
  const c = confirm && typeof confirm === 'object' ? /** @type {Block} */ (confirm) : {};
  /** @param {unknown} t @param {string} fallback */
  const label = (t, fallback) => {
    const html = t && typeof t === 'object' ? textToHtml(/** @type {TextObject} */ (t), ctx) : '';
    return html || escapeHtml(fallback);
  };
  const body = c.text && typeof c.text === 'object' ? textToHtml(c.text, ctx) : '';
  const text = body ? `<div class="confirm-text" id="confirm-text">${body}</div>` : '';
  const style = c.style === 'danger' ? 'btn btn-danger' : 'btn btn-primary';
  return `<div class="confirm-backdrop"><div${attrs({
    class: 'confirm-dialog',
    role: 'alertdialog',
    'aria-modal': 'true',
    'aria-labelledby': 'confirm-title',
    'aria-describedby': text ? 'confirm-text' : undefined,
    'data-testid': 'confirm-dialog',
  })}><h2 class="confirm-title" id="confirm-title">${label(c.title, 'Are you sure?')}</h2>${text}<div class="confirm-actions"><button type="button" class="btn" data-confirm-choice="deny">${label(c.deny, 'Cancel')}</button><button type="button" class="${style}" data-confirm-choice="confirm">${label(c.confirm, 'Yes')}</button></div></div></div>`;
}
