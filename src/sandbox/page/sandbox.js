// @ts-check
/**
 * The sandbox page: a small stand-in for the Slack client. It shows the state the sandbox server keeps
 * (GET /sandbox/api/state), refetches it on every `change` Server-Sent Event, and posts what the person does
 * (commands, clicks, modal submissions) back to the server, which turns them into Slack payloads for the app.
 */
import { click, openHome, openView, setUpActions } from './actions.js';
import { setUpCheckIns } from './checkins.js';
import { setUpComposer } from './composer.js';
import { setUpExternalSelects } from './external-select.js';
import { setUpModal } from './modal.js';
import { hooks } from './page-state.js';
import { listen, refresh } from './server.js';
import { render } from './view.js';

// What the parts ask of each other (see `hooks` in page-state.js).
hooks.render = render;
hooks.openHome = openHome;
hooks.openView = openView;
hooks.click = click;

// The page's parts (one module each) are set up in this order: where two listen for the same event on
// the same element, the first set up hears it first.
setUpActions();
setUpModal();
setUpExternalSelects();
setUpComposer();

// Back from the install page in another tab: show what changed at once.
window.addEventListener('focus', () => void refresh());

listen();
void refresh();

setUpCheckIns();
