// @ts-check
/** Slack's confirmation dialog (a Block Kit `confirm`), shown over the page before a click goes ahead. */
import { ctx, el } from './page-state.js';
import { confirmDialogToHtml } from './render.js';

/**
 * Whether a control with a Block Kit `confirm` may go ahead: Slack first asks in its confirmation
 * dialog. Without one, at once.
 * @param {HTMLElement} node @returns {Promise<boolean>}
 */
export async function confirmed(node) {
  const raw = node.dataset.confirm;
  if (!raw) return true;
  let confirm = {};
  try {
    confirm = JSON.parse(raw);
  } catch {
    // a confirm the page cannot read: still ask, with Slack's words
  }
  return askToConfirm(confirm);
}

/** Settles the confirmation dialog on screen, if one is. @type {((ok: boolean) => void) | null} */
let settleDialog = null;

/**
 * Shows a confirmation dialog (a Block Kit confirm object) over the page, as Slack does, and resolves
 * with the choice: the confirm button or Enter → true; the deny button or Esc → false. Focus starts on
 * the confirm button, stays in the dialog, and goes back where it was.
 * @param {unknown} confirm @returns {Promise<boolean>}
 */
export function askToConfirm(confirm) {
  settleDialog?.(false);
  const opener = document.activeElement;
  el.dialogRoot.innerHTML = confirmDialogToHtml(confirm, ctx());
  const choices = /** @type {HTMLButtonElement[]} */ ([
    ...el.dialogRoot.querySelectorAll('[data-confirm-choice]'),
  ]);
  const yes = choices.find((b) => b.dataset.confirmChoice === 'confirm');
  return new Promise((resolve) => {
    /** @param {KeyboardEvent} event */
    const onKey = (event) => {
      const focused = /** @type {HTMLElement | null} */ (document.activeElement);
      if (event.key === 'Escape' || event.key === 'Enter') {
        // Nothing behind the dialog hears these keys (the modal under it stays open).
        event.preventDefault();
        event.stopPropagation();
        // Enter confirms, unless the deny button has the focus: then it is the one pressed.
        settle(event.key === 'Enter' && focused?.dataset.confirmChoice !== 'deny');
      } else if (event.key === 'Tab') {
        event.preventDefault();
        event.stopPropagation();
        const at = choices.indexOf(/** @type {HTMLButtonElement} */ (focused));
        const next = (at + (event.shiftKey ? -1 : 1) + choices.length) % choices.length;
        choices[at === -1 ? choices.length - 1 : next]?.focus();
      }
    };
    /** @param {MouseEvent} event */
    const onClick = (event) => {
      event.stopPropagation();
      const choice = /** @type {HTMLElement | null} */ (
        /** @type {HTMLElement} */ (event.target).closest('[data-confirm-choice]')
      );
      if (choice) settle(choice.dataset.confirmChoice === 'confirm');
      else yes?.focus();
    };
    /** @param {boolean} ok */
    const settle = (ok) => {
      if (settleDialog !== settle) return;
      settleDialog = null;
      document.removeEventListener('keydown', onKey, true);
      el.dialogRoot.removeEventListener('click', onClick);
      el.dialogRoot.innerHTML = '';
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(ok);
    };
    settleDialog = settle;
    document.addEventListener('keydown', onKey, true);
    el.dialogRoot.addEventListener('click', onClick);
    yes?.focus();
  });
}
