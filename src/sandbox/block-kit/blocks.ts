import { isRecord } from '../defaults.js';
import { checkArray, checkString, checkText, describe, LIMITS, type Problems, typeOf } from './checks.js';
import { checkElement, checkImage } from './elements.js';

/** Blocks: which kinds there are, what each may hold, and the limits of a surface's list of blocks. */

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
  'datepicker',
  'static_select',
  'external_select',
  'overflow',
  'radio_buttons',
  'checkboxes',
]);
const INPUT_ELEMENTS = new Set([
  'plain_text_input',
  'datepicker',
  'static_select',
  'external_select',
  'users_select',
  'radio_buttons',
  'checkboxes',
  'file_input',
]);
const CONTEXT_ELEMENTS = new Set(['image', 'plain_text', 'mrkdwn']);

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
export function totalText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + totalText(item), 0);
  if (!isRecord(value)) return 0;
  let sum = 0;
  for (const [key, item] of Object.entries(value)) {
    if (key === 'text' && typeof item === 'string') sum += item.length;
    else sum += totalText(item);
  }
  return sum;
}

export function checkBlocks(p: Problems, where: string, value: unknown, required: boolean): unknown[] {
  const max = LIMITS.blocks[p.surface];
  const blocks = checkArray(p, where, 'blocks', value, 0, max, required);
  if (blocks === undefined) return [];
  blocks.forEach((block, i) => {
    checkBlock(p, block, i);
  });
  return blocks;
}
