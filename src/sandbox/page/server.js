// @ts-check
/**
 * The page's calls to the sandbox server: posting what the person does, fetching what they see
 * (GET /sandbox/api/state), and refetching it on every `change` Server-Sent Event.
 */
import { app, el, hooks, showBanner } from './page-state.js';

/** @typedef {import('./page-state.js').State} State */

const API = '/sandbox/api';

/** @param {string} path @param {Record<string, unknown>} body */
export async function post(path, body) {
  try {
    const res = await fetch(`${API}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    // JSON from the API; a refusal (wrong address, not the sandbox's own page) is a line of plain text.
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, error: text.trim() || `HTTP ${res.status}` };
    }
    if (!res.ok && json?.ok !== false) return { ok: false, error: `HTTP ${res.status}` };
    return json;
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The state request the page is waiting for, if any. Each request carries the person it asks about and
 * a number; an answer is shown only when it is the newest request and still about the person the page
 * shows. A switch of person asks at once for the new person, so an answer about the previous one that
 * lands afterwards is dropped instead of being shown (or switching the page back).
 * @type {{ user: string, seq: number } | null}
 */
let loading = null;
let fetchAgain = false;
let seq = 0;

/** Fetches the shown person's state; calls for the same person while one is in flight coalesce into one more. */
export async function refresh() {
  if (loading && loading.user === app.user) {
    fetchAgain = true;
    return;
  }
  const request = { user: app.user, seq: ++seq };
  loading = request;
  fetchAgain = false;
  const current = () => request.seq === seq && request.user === app.user;
  try {
    // Without a person, the page asks the server to choose one (its first sample person).
    const res = await fetch(`${API}/state${request.user ? `?user=${encodeURIComponent(request.user)}` : ''}`);
    if (!current()) {
      void res.body?.cancel();
      return;
    }
    if (res.status === 400 && request.user) {
      // a remembered person this sandbox does not know: let the server choose instead
      void res.body?.cancel();
      app.user = '';
      localStorage.removeItem('sandbox.user');
      fetchAgain = true;
      return;
    }
    if (!res.ok) throw new Error((await res.text()).trim() || `HTTP ${res.status}`);
    /** @type {State} */
    const state = await res.json();
    if (!current()) return;
    if (!request.user && state.me) {
      app.user = state.me;
      localStorage.setItem('sandbox.user', app.user);
    }
    if (state.me !== app.user) return;
    app.state = state;
    hooks.render();
  } catch (err) {
    if (current())
      showBanner(`Could not load the sandbox state: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    if (loading === request) {
      loading = null;
      if (fetchAgain) {
        fetchAgain = false;
        void refresh();
      }
    }
  }
}

export function listen() {
  const events = new EventSource(`${API}/events`);
  events.addEventListener('change', () => void refresh());
  events.addEventListener('open', () => {
    el.connection.textContent = '';
    void refresh();
  });
  events.addEventListener('error', () => {
    el.connection.textContent = 'Reconnecting…';
  });
}
