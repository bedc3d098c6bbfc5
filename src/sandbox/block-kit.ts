import { checkBlocks, totalText } from './block-kit/blocks.js';
import {
  checkString,
  checkText,
  describe,
  LIMITS,
  Problems,
  parseMaybeJson,
  typeOf,
} from './block-kit/checks.js';
import { checkOptionGroups, checkOptions } from './block-kit/elements.js';
import { isRecord } from './defaults.js';

/**
 * A checker of the Block Kit limits Slack enforces (LIMITS, in block-kit/checks.ts).
 *
 * Slack answers `invalid_blocks` when a payload breaks these rules; this module finds the same
 * mistakes locally and says where they are, e.g.
 * `blocks[3] (section): text is 3001 characters; the limit is 3000`.
 * Deeper places are joined with ` > `: `blocks[2] (actions) > elements[1] (button): …`.
 *
 * Lengths are counted in UTF-16 code units (JavaScript's `length`), which is never less than
 * Slack's count, so a payload that passes here is not too long for Slack.
 *
 * The local Slack checks every message and view it receives with it, and the sandbox every options
 * answer; tests check the app's views with it directly.
 */

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
