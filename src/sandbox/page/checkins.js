// @ts-check
import { $, app, hooks, showBanner } from './page-state.js';
import { post, refresh } from './server.js';

/**
 * "Send due check-ins now": the app sends the person's check-in reminder as if its time had come (the
 * sandbox moves the reminders' clock forward for that run), and the page opens their Messages with it.
 */
export function setUpCheckIns() {
  const sendCheckIns = /** @type {HTMLButtonElement} */ ($('send-checkins'));
  sendCheckIns.addEventListener('click', async () => {
    if (sendCheckIns.disabled) return;
    sendCheckIns.disabled = true;
    sendCheckIns.setAttribute('aria-busy', 'true');
    const res = await post('checkins', { user: app.user });
    sendCheckIns.disabled = false;
    sendCheckIns.removeAttribute('aria-busy');
    if (!res.ok) {
      showBanner(res.error ?? 'The check-in was not sent.');
      return;
    }
    showBanner('');
    void hooks.openView('messages');
    void refresh();
  });
}
