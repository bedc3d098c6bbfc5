// @ts-check
/**
 * Pure renderers for the sandbox page: Slack mrkdwn and Block Kit → HTML strings, gathered here for the
 * page and the tests from emoji.js, mrkdwn.js (text), rich-text.js and blocks.js. No DOM access, so the
 * same modules run in the browser and under vitest. Every piece of text from a message goes through
 * `escapeHtml`; the only markup in the output is the markup written here.
 */
export { blocksToHtml, confirmDialogToHtml } from './blocks.js';
export { EMOJI } from './emoji.js';
export {
  escapeHtml,
  formatSlackDate,
  mrkdwnToHtml,
  mrkdwnToPlain,
  plainToHtml,
  safeUrl,
  textToHtml,
  textToPlain,
  typedTextToHtml,
} from './mrkdwn.js';
