import { isRecord } from './defaults.js';

/**
 * A checker of the Block Kit limits Slack enforces (see "Block Kit limits" in DESIGN.md).
 *
 * Slack answers `invalid_blocks` when a payload breaks these rules; this module finds the same
 * mistakes locally and says where they are, e.g.
 * `blocks[3] (section): text is 3001 characters; the limit is 3000`.
 * Deeper places are joined with ` > `: `blocks[2] (actions) > elements[1] (button): …`.
 *
 * Lengths are counted in UTF-16 code units (JavaScript's `length`), which is never less than
 * Slack's count, so a payload that passes here is not too long for Slack.
 */

type Surface = 'message' | 'modal' | 'home';

export const LIMITS = {
  blocks: { message: 50, modal: 100, home: 100 },
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  id: 255,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  staticSelectOptions: 100,
  optionGroups: 100,
  optionGroupLabel: 75,
  overflowOptions: 5,
  radioOptions: 10,
  checkboxOptions: 10,
  placeholder: 150,
  inputLabel: 2000,
  inputHint: 2000,
  plainTextInputLength: 3000,
  imageAltText: 2000,
  imageTitle: 2000,
  accessibilityLabel: 75,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  messageBlockText: 12_000,
} as const;

const KNOWN_BLOCK_TYPES = new Set([
  'section',
  'header',
  'context',
  'divider',
  'actions',
  'input',
  'image',
  'rich_text',
]);
const KNOWN_ELEMENT_TYPES = new Set([
  'button',
  'static_select',
  'external_select',
  'users_select',
  'overflow',
  'image',
  'plain_text_input',
  'radio_buttons',
  'checkboxes',
  'plain_text',
  'mrkdwn',
]);
const SECTION_ACCESSORIES = new Set([
  'button',
  'static_select',
  'external_select',
  'overflow',
  'image',
  'radio_buttons',
  'checkboxes',
]);
const ACTIONS_ELEMENTS = new Set([
  'button',
  'static_select',
  'external_select',
  'overflow',
  'radio_buttons',
  'checkboxes',
]);
const INPUT_ELEMENTS = new Set([
  'plain_text_input',
  'static_select',
  'external_select',
  'users_select',
  'radio_buttons',
  'checkboxes',
]);
const CONTEXT_ELEMENTS = new Set(['image', 'plain_text', 'mrkdwn']);

class Problems {
  readonly list: string[] = [];
  /** block_id → where it was first used */
  readonly blockIds = new Map<string, string>();
  constructor(readonly surface: Surface) {}

  add(where: string, what: string): void {
    this.list.push(`${where}: ${what}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value;
}

function typeOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.type === 'string' ? value.type : undefined;
}

/** A string limit: a missing value is a problem only when `required`; an empty one always is. */
function checkString(
  p: Problems,
  where: string,
  name: string,
  value: unknown,
  max: number,
  options: { required?: boolean; allowEmpty?: boolean } = {},
): void {
  if (value === undefined) {
    if (options.required) p.add(where, `${name} is missing`);
    return;
  }
  if (typeof value !== 'string') {
    p.add(where, `${name} must be a string, not ${describe(value)}`);
    return;
  }
  if (value.length === 0 && !options.allowEmpty) {
    p.add(where, `${name} is empty`);
    return;
  }
  if (value.length > max) p.add(where, `${name} is ${value.length} characters; the limit is ${max}`);
}

/** A text object: `{ type: 'plain_text' | 'mrkdwn', text }`. */
function checkText(
  p: Problems,
  where: string,
  name: string,
  value: unknown,
  options: { max?: number; required?: boolean; plainOnly?: boolean } = {},
): void {
  if (value === undefined) {
    if (options.required) p.add(where, `${name} is missing`);
    return;
  }
  if (!isRecord(value)) {
    p.add(where, `${name} must be a text object ({ type, text }), not ${describe(value)}`);
    return;
  }
  const { type, text } = value;
  if (type !== 'plain_text' && type !== 'mrkdwn') {
    p.add(where, `${name} has type ${describe(type)}; a text object is plain_text or mrkdwn`);
    return;
  }
  if (options.plainOnly && type !== 'plain_text') {
    p.add(where, `${name} must be plain_text, not ${type}`);
  }
  if (typeof text !== 'string' || text.length === 0) {
    p.add(where, `${name} has no text (text must be a non-empty string)`);
    return;
  }
  if (options.max !== undefined && text.length > options.max) {
    p.add(where, `${name} is ${text.length} characters; the limit is ${options.max}`);
  }
  if (type === 'mrkdwn' && value.emoji !== undefined) {
    p.add(where, `${name} is mrkdwn; emoji is only allowed on plain_text`);
  }
  if (type === 'plain_text' && value.verbatim !== undefined) {
    p.add(where, `${name} is plain_text; verbatim is only allowed on mrkdwn`);
  }
}

/** An array with a count range; returns the array (or undefined when it is not one). */
function checkArray(
  p: Problems,
  where: string,
  name: string,
  value: unknown,
  min: number,
  max: number,
  required: boolean,
): unknown[] | undefined {
  if (value === undefined) {
    if (required) p.add(where, `${name} is missing`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    p.add(where, `${name} must be an array, not ${describe(value)}`);
    return undefined;
  }
  if (value.length < min) {
    p.add(
      where,
      min === 1 ? `${name} is empty; give at least 1` : `${name} has ${value.length}; give at least ${min}`,
    );
  }
  if (value.length > max) p.add(where, `${name} has ${value.length} items; the limit is ${max}`);
  return value;
}

function checkConfirm(p: Problems, where: string, value: unknown): void {
  if (value === undefined) return;
  const at = `${where} > confirm`;
  if (!isRecord(value)) {
    p.add(at, `must be an object, not ${describe(value)}`);
    return;
  }
  checkText(p, at, 'title', value.title, { max: LIMITS.confirmTitle, required: true, plainOnly: true });
  checkText(p, at, 'text', value.text, { max: LIMITS.confirmText, required: true });
  checkText(p, at, 'confirm', value.confirm, { max: LIMITS.confirmButton, required: true, plainOnly: true });
  checkText(p, at, 'deny', value.deny, { max: LIMITS.confirmButton, required: true, plainOnly: true });
  if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') {
    p.add(at, `style is ${describe(value.style)}; allowed: primary, danger`);
  }
}

type OptionRules = { plainOnly: boolean; allowUrl: boolean };

function checkOption(p: Problems, where: string, value: unknown, rules: OptionRules): void {
  if (!isRecord(value)) {
    p.add(where, `must be an option object ({ text, value }), not ${describe(value)}`);
    return;
  }
  checkText(p, where, 'text', value.text, {
    max: LIMITS.optionText,
    required: true,
    plainOnly: rules.plainOnly,
  });
  checkString(p, where, 'value', value.value, LIMITS.optionValue, { required: true });
  checkText(p, where, 'description', value.description, {
    max: LIMITS.optionDescription,
    plainOnly: rules.plainOnly,
  });
  if (value.url !== undefined) {
    if (rules.allowUrl) checkString(p, where, 'url', value.url, LIMITS.url);
    else p.add(where, 'url is only allowed on overflow menu options');
  }
}

function checkOptions(
  p: Problems,
  where: string,
  value: unknown,
  min: number,
  max: number,
  rules: OptionRules,
): unknown[] {
  const options = checkArray(p, where, 'options', value, min, max, true) ?? [];
  options.forEach((option, i) => {
    checkOption(p, `${where} > options[${i}]`, option, rules);
  });
  return options;
}

function optionKey(option: unknown): string | undefined {
  if (!isRecord(option) || !isRecord(option.text)) return undefined;
  return JSON.stringify([option.value, option.text.type, option.text.text]);
}

/** Slack requires an initial option to be exactly one of the options (same value and text). */
function checkInitialOption(
  p: Problems,
  where: string,
  name: string,
  initial: unknown,
  options: unknown[],
): void {
  if (initial === undefined) return;
  const key = optionKey(initial);
  const found = key !== undefined && options.some((option) => optionKey(option) === key);
  if (!found) p.add(where, `${name} must be one of the options (same value and text)`);
}

/**
 * A select's `option_groups` (at least `min` groups): each a plain-text label and 1–100 options.
 * Returns every option of every group, to check an initial option against.
 */
function checkOptionGroups(p: Problems, where: string, value: unknown, min: number): unknown[] {
  let all: unknown[] = [];
  const groups = checkArray(p, where, 'option_groups', value, min, LIMITS.optionGroups, true) ?? [];
  groups.forEach((group, i) => {
    const at = `${where} > option_groups[${i}]`;
    if (!isRecord(group)) {
      p.add(at, `must be an object ({ label, options }), not ${describe(group)}`);
      return;
    }
    checkText(p, at, 'label', group.label, {
      max: LIMITS.optionGroupLabel,
      required: true,
      plainOnly: true,
    });
    const opts = checkOptions(p, at, group.options, 1, LIMITS.staticSelectOptions, {
      plainOnly: true,
      allowUrl: false,
    });
    all = all.concat(opts);
  });
  return all;
}

function checkStaticSelect(p: Problems, where: string, el: Record<string, unknown>): void {
  checkText(p, where, 'placeholder', el.placeholder, { max: LIMITS.placeholder, plainOnly: true });
  let all: unknown[] = [];
  if (el.options !== undefined && el.option_groups !== undefined) {
    p.add(where, 'give either options or option_groups, not both');
  }
  if (el.option_groups !== undefined) {
    all = checkOptionGroups(p, where, el.option_groups, 1);
  } else {
    all = checkOptions(p, where, el.options, 1, LIMITS.staticSelectOptions, {
      plainOnly: true,
      allowUrl: false,
    });
  }
  checkInitialOption(p, where, 'initial_option', el.initial_option, all);
  checkConfirm(p, where, el.confirm);
}

function checkElement(
  p: Problems,
  where: string,
  label: string,
  el: unknown,
  allowed: Set<string>,
  blockType: string,
): void {
  const type = typeOf(el);
  if (!isRecord(el) || type === undefined) {
    p.add(where, `${label} must be an element object with a type, not ${describe(el)}`);
    return;
  }
  if (!KNOWN_ELEMENT_TYPES.has(type)) {
    p.add(where, `${label} has unknown element type ${describe(type)}`);
    return;
  }
  if (!allowed.has(type)) {
    p.add(where, `${label} (${type}) is not allowed in ${blockType} blocks`);
    return;
  }
  const at = `${where} > ${label} (${type})`;
  if (type !== 'plain_text' && type !== 'mrkdwn' && type !== 'image') {
    checkString(p, at, 'action_id', el.action_id, LIMITS.id);
  }
  switch (type) {
    case 'plain_text':
    case 'mrkdwn':
      checkText(p, where, label, el);
      break;
    case 'button':
      checkText(p, at, 'text', el.text, { max: LIMITS.buttonText, required: true, plainOnly: true });
      checkString(p, at, 'value', el.value, LIMITS.buttonValue);
      checkString(p, at, 'url', el.url, LIMITS.url);
      checkString(p, at, 'accessibility_label', el.accessibility_label, LIMITS.accessibilityLabel);
      if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
        p.add(
          at,
          `style is ${describe(el.style)}; allowed: primary, danger (or leave it out for the default)`,
        );
      }
      checkConfirm(p, at, el.confirm);
      break;
    case 'static_select':
      checkStaticSelect(p, at, el);
      break;
    case 'external_select':
      // Its options come from the app as the person types (block_suggestion): see validateOptionsResponse.
      checkText(p, at, 'placeholder', el.placeholder, { max: LIMITS.placeholder, plainOnly: true });
      if (el.options !== undefined || el.option_groups !== undefined) {
        p.add(at, 'an external_select takes no options: the app gives them when Slack asks');
      }
      if (el.initial_option !== undefined) {
        checkOption(p, `${at} > initial_option`, el.initial_option, { plainOnly: true, allowUrl: false });
      }
      if (
        el.min_query_length !== undefined &&
        (typeof el.min_query_length !== 'number' ||
          !Number.isInteger(el.min_query_length) ||
          el.min_query_length < 0)
      ) {
        p.add(at, 'min_query_length must be a whole number, 0 or more');
      }
      checkConfirm(p, at, el.confirm);
      break;
    case 'users_select':
      checkText(p, at, 'placeholder', el.placeholder, { max: 150, plainOnly: true });
      if (el.initial_user !== undefined && (typeof el.initial_user !== 'string' || el.initial_user === ''))
        p.add(at, `initial_user is ${describe(el.initial_user)}; expected a user id`);
      checkConfirm(p, at, el.confirm);
      break;
    case 'overflow':
      checkOptions(p, at, el.options, 1, LIMITS.overflowOptions, { plainOnly: true, allowUrl: true });
      checkConfirm(p, at, el.confirm);
      break;
    case 'radio_buttons': {
      const options = checkOptions(p, at, el.options, 1, LIMITS.radioOptions, {
        plainOnly: false,
        allowUrl: false,
      });
      checkInitialOption(p, at, 'initial_option', el.initial_option, options);
      checkConfirm(p, at, el.confirm);
      break;
    }
    case 'checkboxes': {
      const options = checkOptions(p, at, el.options, 1, LIMITS.checkboxOptions, {
        plainOnly: false,
        allowUrl: false,
      });
      const initial =
        checkArray(p, at, 'initial_options', el.initial_options, 0, options.length, false) ?? [];
      initial.forEach((option, i) => {
        checkInitialOption(p, at, `initial_options[${i}]`, option, options);
      });
      checkConfirm(p, at, el.confirm);
      break;
    }
    case 'plain_text_input': {
      checkText(p, at, 'placeholder', el.placeholder, { max: LIMITS.placeholder, plainOnly: true });
      checkString(p, at, 'initial_value', el.initial_value, LIMITS.plainTextInputLength, {
        allowEmpty: true,
      });
      for (const key of ['min_length', 'max_length'] as const) {
        const n = el[key];
        if (n === undefined) continue;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > LIMITS.plainTextInputLength) {
          p.add(at, `${key} must be a whole number from 0 to ${LIMITS.plainTextInputLength}`);
        }
      }
      break;
    }
    case 'image':
      checkImage(p, at, el);
      break;
  }
}

function checkImage(p: Problems, where: string, el: Record<string, unknown>): void {
  if (el.slack_file === undefined)
    checkString(p, where, 'image_url', el.image_url, LIMITS.url, { required: true });
  checkString(p, where, 'alt_text', el.alt_text, LIMITS.imageAltText, { required: true });
}

/** action_id must be unique among the elements of one block. */
function checkUniqueActionIds(p: Problems, where: string, elements: unknown[]): void {
  const seen = new Map<string, number>();
  elements.forEach((el, i) => {
    if (!isRecord(el) || typeof el.action_id !== 'string') return;
    const first = seen.get(el.action_id);
    if (first === undefined) seen.set(el.action_id, i);
    else p.add(where, `elements[${i}] uses action_id "${el.action_id}" already used by elements[${first}]`);
  });
}

function checkBlock(p: Problems, block: unknown, index: number): void {
  const type = typeOf(block);
  if (!isRecord(block) || type === undefined) {
    p.add(`blocks[${index}]`, `must be a block object with a type, not ${describe(block)}`);
    return;
  }
  const where = `blocks[${index}] (${type})`;
  if (!KNOWN_BLOCK_TYPES.has(type)) {
    p.add(`blocks[${index}]`, `unknown block type ${describe(type)}`);
    return;
  }
  if (block.block_id !== undefined) {
    checkString(p, where, 'block_id', block.block_id, LIMITS.id);
    if (typeof block.block_id === 'string') {
      const first = p.blockIds.get(block.block_id);
      if (first === undefined) p.blockIds.set(block.block_id, `blocks[${index}]`);
      else p.add(where, `block_id "${block.block_id}" is already used by ${first}; block_id must be unique`);
    }
  }
  switch (type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined) {
        p.add(where, 'a section needs text or fields');
      }
      checkText(p, where, 'text', block.text, { max: LIMITS.sectionText });
      const fields = checkArray(p, where, 'fields', block.fields, 1, LIMITS.sectionFields, false) ?? [];
      fields.forEach((field, i) => {
        checkText(p, where, `fields[${i}]`, field, { max: LIMITS.sectionFieldText, required: true });
      });
      if (block.accessory !== undefined) {
        checkElement(p, where, 'accessory', block.accessory, SECTION_ACCESSORIES, 'section');
      }
      break;
    }
    case 'header':
      checkText(p, where, 'text', block.text, { max: LIMITS.headerText, required: true, plainOnly: true });
      break;
    case 'context': {
      const elements =
        checkArray(p, where, 'elements', block.elements, 1, LIMITS.contextElements, true) ?? [];
      elements.forEach((el, i) => {
        checkElement(p, where, `elements[${i}]`, el, CONTEXT_ELEMENTS, 'context');
      });
      break;
    }
    case 'actions': {
      const elements =
        checkArray(p, where, 'elements', block.elements, 1, LIMITS.actionsElements, true) ?? [];
      elements.forEach((el, i) => {
        checkElement(p, where, `elements[${i}]`, el, ACTIONS_ELEMENTS, 'actions');
      });
      checkUniqueActionIds(p, where, elements);
      break;
    }
    case 'input':
      if (p.surface === 'message') p.add(where, 'input blocks are only allowed in modals and the Home tab');
      checkText(p, where, 'label', block.label, { max: LIMITS.inputLabel, required: true, plainOnly: true });
      checkText(p, where, 'hint', block.hint, { max: LIMITS.inputHint, plainOnly: true });
      if (block.element === undefined) p.add(where, 'element is missing');
      else checkElement(p, where, 'element', block.element, INPUT_ELEMENTS, 'input');
      if (block.optional !== undefined && typeof block.optional !== 'boolean') {
        p.add(where, 'optional must be true or false');
      }
      if (block.dispatch_action !== undefined && typeof block.dispatch_action !== 'boolean') {
        p.add(where, 'dispatch_action must be true or false');
      }
      break;
    case 'image':
      checkImage(p, where, block);
      checkText(p, where, 'title', block.title, { max: LIMITS.imageTitle, plainOnly: true });
      break;
    case 'rich_text':
      checkArray(p, where, 'elements', block.elements, 1, Number.POSITIVE_INFINITY, true);
      break;
    case 'divider':
      break;
  }
}

/** The sum of every `text` string anywhere inside the blocks. */
function totalText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + totalText(item), 0);
  if (!isRecord(value)) return 0;
  let sum = 0;
  for (const [key, item] of Object.entries(value)) {
    if (key === 'text' && typeof item === 'string') sum += item.length;
    else sum += totalText(item);
  }
  return sum;
}

/** Blocks arrive as an array, or as a JSON string when sent form-encoded. */
function parseMaybeJson(p: Problems, where: string, name: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    p.add(where, `${name} is a string that is not valid JSON`);
    return undefined;
  }
}

function checkBlocks(p: Problems, where: string, value: unknown, required: boolean): unknown[] {
  const max = LIMITS.blocks[p.surface];
  const blocks = checkArray(p, where, 'blocks', value, 0, max, required);
  if (blocks === undefined) return [];
  blocks.forEach((block, i) => {
    checkBlock(p, block, i);
  });
  return blocks;
}

/**
 * Problems with a message payload (chat.postMessage / chat.postEphemeral / chat.update arguments,
 * a response_url body, or a slash command's ack body). An empty list means it is fine.
 */
export function validateMessage(payload: unknown): string[] {
  const p = new Problems('message');
  const where = 'message';
  if (!isRecord(payload)) {
    p.add(where, `must be an object, not ${describe(payload)}`);
    return p.list;
  }
  if (typeof payload.text !== 'string' || payload.text.trim().length === 0) {
    p.add(
      where,
      'text is missing or empty; always give a text fallback (notifications and screen readers use it)',
    );
  }
  if (
    payload.response_type !== undefined &&
    payload.response_type !== 'in_channel' &&
    payload.response_type !== 'ephemeral'
  ) {
    p.add(where, `response_type is ${describe(payload.response_type)}; allowed: in_channel, ephemeral`);
  }
  if (payload.blocks !== undefined) {
    const blocks = checkBlocks(p, where, parseMaybeJson(p, where, 'blocks', payload.blocks), false);
    const total = totalText(blocks);
    if (total > LIMITS.messageBlockText) {
      p.add(where, `all block text together is ${total} characters; the limit is ${LIMITS.messageBlockText}`);
    }
  }
  return p.list;
}

/** Problems with a view: a modal (views.open / views.update) or a Home tab (views.publish). */
export function validateView(view: unknown): string[] {
  const where = 'view';
  const probe = new Problems('modal');
  const parsed = parseMaybeJson(probe, where, 'view', view);
  if (!isRecord(parsed)) {
    if (probe.list.length === 0) probe.add(where, `must be an object, not ${describe(parsed)}`);
    return probe.list;
  }
  const type = parsed.type;
  if (type !== 'modal' && type !== 'home') {
    probe.add(where, `type is ${describe(type)}; a view is modal or home`);
    return probe.list;
  }
  const p = new Problems(type);
  const blocks = checkBlocks(p, where, parseMaybeJson(p, where, 'blocks', parsed.blocks), true);
  checkString(p, where, 'callback_id', parsed.callback_id, LIMITS.id, { allowEmpty: true });
  checkString(p, where, 'external_id', parsed.external_id, LIMITS.id, { allowEmpty: true });
  checkString(p, where, 'private_metadata', parsed.private_metadata, LIMITS.privateMetadata, {
    allowEmpty: true,
  });
  if (type === 'modal') {
    checkText(p, where, 'title', parsed.title, { max: LIMITS.modalTitle, required: true, plainOnly: true });
    checkText(p, where, 'submit', parsed.submit, { max: LIMITS.modalButton, plainOnly: true });
    checkText(p, where, 'close', parsed.close, { max: LIMITS.modalButton, plainOnly: true });
    const hasInput = blocks.some((block) => typeOf(block) === 'input');
    if (hasInput && parsed.submit === undefined) p.add(where, 'a modal with input blocks needs submit');
  }
  return p.list;
}

/**
 * Problems with the answer to an options request (block_suggestion) for an external_select: an
 * object with `options` (at most 100) or `option_groups` (at most 100, each with at most 100
 * options), plain_text options within the option limits. An empty answer shows no options.
 */
export function validateOptionsResponse(body: unknown): string[] {
  const p = new Problems('modal');
  const where = 'options response';
  if (body === undefined) return p.list;
  if (!isRecord(body)) {
    p.add(where, `must be an object ({ options } or { option_groups }), not ${describe(body)}`);
    return p.list;
  }
  const rules = { plainOnly: true, allowUrl: false };
  if (body.options !== undefined && body.option_groups !== undefined) {
    p.add(where, 'give either options or option_groups, not both');
  }
  if (body.option_groups !== undefined) {
    checkOptionGroups(p, where, body.option_groups, 0);
  } else if (body.options !== undefined) {
    checkOptions(p, where, body.options, 0, LIMITS.staticSelectOptions, rules);
  }
  return p.list;
}

/** Throws an Error listing every problem; for tests. */
export function assertValidOptionsResponse(body: unknown): void {
  assertNoProblems('options response', validateOptionsResponse(body));
}

function assertNoProblems(kind: string, problems: string[]): void {
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    throw new Error(`Invalid Block Kit ${kind} (${count}):\n- ${problems.join('\n- ')}`);
  }
}

/** Throws an Error listing every problem; for tests. */
export function assertValidMessage(payload: unknown): void {
  assertNoProblems('message', validateMessage(payload));
}

/** Throws an Error listing every problem; for tests. */
export function assertValidView(view: unknown): void {
  assertNoProblems('view', validateView(view));
}
