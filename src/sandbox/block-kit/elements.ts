import { isRecord } from '../defaults.js';
import { checkArray, checkString, checkText, describe, LIMITS, type Problems, typeOf } from './checks.js';

/**
 * Interactive elements and what they hold: buttons, menus (static, external, users, overflow),
 * radio buttons, checkboxes, text inputs, file inputs, images, their options and confirmation dialogs.
 */

const KNOWN_ELEMENT_TYPES = new Set([
  'button',
  'static_select',
  'external_select',
  'users_select',
  'overflow',
  'image',
  'plain_text_input',
  'datepicker',
  'file_input',
  'radio_buttons',
  'checkboxes',
  'plain_text',
  'mrkdwn',
]);

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

export function checkOptions(
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
export function checkOptionGroups(p: Problems, where: string, value: unknown, min: number): unknown[] {
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

export function checkElement(
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
    case 'datepicker':
      checkText(p, at, 'placeholder', el.placeholder, { max: LIMITS.placeholder, plainOnly: true });
      if (
        el.initial_date !== undefined &&
        (typeof el.initial_date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(el.initial_date))
      ) {
        p.add(at, `initial_date is ${describe(el.initial_date)}; expected a day as YYYY-MM-DD`);
      }
      checkConfirm(p, at, el.confirm);
      break;
    case 'file_input':
      checkFileInput(p, at, el);
      break;
    case 'image':
      checkImage(p, at, el);
      break;
  }
}

/**
 * A file input: only in a modal's input blocks (Slack refuses it in the Home tab); `filetypes` a list
 * of file extensions, `max_files` 1–10 (10 when left out).
 */
function checkFileInput(p: Problems, where: string, el: Record<string, unknown>): void {
  if (p.surface !== 'modal') p.add(where, 'a file_input is only allowed in the input blocks of modals');
  const types = checkArray(p, where, 'filetypes', el.filetypes, 0, Number.POSITIVE_INFINITY, false) ?? [];
  types.forEach((type, i) => {
    if (typeof type !== 'string' || type.length === 0) {
      p.add(where, `filetypes[${i}] must be a file extension (a non-empty string), not ${describe(type)}`);
    }
  });
  const max = el.max_files;
  if (
    max !== undefined &&
    (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > LIMITS.fileInputFiles)
  ) {
    const given = typeof max === 'number' ? String(max) : describe(max);
    p.add(where, `max_files must be a whole number from 1 to ${LIMITS.fileInputFiles}, not ${given}`);
  }
}

export function checkImage(p: Problems, where: string, el: Record<string, unknown>): void {
  if (el.slack_file === undefined)
    checkString(p, where, 'image_url', el.image_url, LIMITS.url, { required: true });
  checkString(p, where, 'alt_text', el.alt_text, LIMITS.imageAltText, { required: true });
}
