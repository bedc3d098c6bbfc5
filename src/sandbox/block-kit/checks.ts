import { isRecord } from '../defaults.js';

/**
 * The limits Slack enforces on Block Kit, and the checks every part of the validator is built from:
 * strings, text objects and arrays, each problem said with where it is.
 */

export type Surface = 'message' | 'modal' | 'home';

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
  fileInputFiles: 10,
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

export class Problems {
  readonly list: string[] = [];
  /** block_id → where it was first used */
  readonly blockIds = new Map<string, string>();
  constructor(readonly surface: Surface) {}

  add(where: string, what: string): void {
    this.list.push(`${where}: ${what}`);
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value;
}

export function typeOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.type === 'string' ? value.type : undefined;
}

/** A string limit: a missing value is a problem only when `required`; an empty one always is. */
export function checkString(
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
export function checkText(
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
export function checkArray(
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

/** Blocks arrive as an array, or as a JSON string when sent form-encoded. */
export function parseMaybeJson(p: Problems, where: string, name: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    p.add(where, `${name} is a string that is not valid JSON`);
    return undefined;
  }
}
