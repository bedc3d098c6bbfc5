import { escapeHtml } from '../../util/html.js';

/**
 * The web pages of installing the app into a workspace or an Enterprise Grid org (distributed mode):
 * the install page at /slack/install, and what the browser shows when Slack sends the person back to
 * /slack/oauth_redirect. Pure functions from facts to HTML; every value is escaped.
 */

export type InstallPage = { status: number; html: string };

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1d1c1d}
a.button{display:inline-block;background:#4a154b;color:#fff;padding:.6rem 1.2rem;border-radius:6px;text-decoration:none;font-weight:600}
p.small{color:#616061;font-size:.9rem}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** /slack/install: what the app does, what it keeps, and the "Add to Slack" button. */
export function installPage(authorizeUrl: string): string {
  return page(
    'Add Competency to Slack',
    `<h1>Add Competency to Slack</h1>
<p>Competency shows the skills a role expects at each level, lets each person rate themselves privately, and shows their gaps.</p>
<p><a class="button" href="${escapeHtml(authorizeUrl)}">Add to Slack</a></p>
<p class="small">Slack asks you to choose the workspace (or, for an Enterprise Grid org, the whole org) and to allow what the app needs: its /competency command, sending its own messages, sending people the files and charts they ask for, and seeing who is in a channel or user group (for team views, which show only totals of what people chose to share). What people rate is kept by this app until they delete it with <code>/competency forget</code>, or until the app is removed from the workspace, which deletes all of that workspace's data.</p>`,
  );
}

/** After Slack sent the person back with a working installation. */
export function installedPage(where: {
  name: string | undefined;
  org: boolean;
  appUrl: string | undefined;
}): string {
  const place = where.org ? 'every workspace of your org' : 'your workspace';
  const name = where.name ? ` (${escapeHtml(where.name)})` : '';
  const open = where.appUrl
    ? `<p><a class="button" href="${escapeHtml(where.appUrl)}">Open Slack</a></p>`
    : '';
  return page(
    'Competency is installed',
    `<h1>Competency is installed</h1>
<p>It is ready in ${place}${name}. In any channel, type <code>/competency help</code> to begin, or open the app's Home tab.</p>${open}`,
  );
}

/**
 * When the install did not go through. The state check guards against someone else's install link
 * being slipped to you (a forged request): a link without it, or from another browser, is refused,
 * and the person is sent back to the start, where a fresh link is made.
 */
export function installFailedPage(code: string | undefined, installPath = '/slack/install'): InstallPage {
  const again = `<p><a class="button" href="${escapeHtml(installPath)}">Start again</a></p>`;
  switch (code) {
    case 'slack_oauth_installer_authorization_error':
      return {
        status: 200,
        html: page(
          'Competency was not installed',
          `<h1>Competency was not installed</h1><p>The install was cancelled in Slack, so nothing was added. You can start again whenever you like.</p>${again}`,
        ),
      };
    case 'slack_oauth_missing_state':
    case 'slack_oauth_invalid_state':
      return {
        status: 400,
        html: page(
          'This install link cannot be used',
          `<h1>This install link cannot be used</h1>
<p>It has expired, was opened in another browser, or did not start from this app's install page, so it cannot be checked as yours. Nothing was installed.</p>
<p>Start again from the install page, in this browser. If you are an Enterprise Grid admin who approved the app in Slack's admin pages, install it from the install page too: it then works in every workspace of the org.</p>${again}`,
        ),
      };
    case 'slack_oauth_missing_code':
      return {
        status: 400,
        html: page(
          'This is not an install link',
          `<h1>This is not an install link</h1><p>This address is where Slack sends you back after you add the app. To add it, start from the install page.</p>${again}`,
        ),
      };
    default:
      return {
        status: 500,
        html: page(
          'Competency could not be installed',
          `<h1>Competency could not be installed</h1><p>Something went wrong while finishing the install; nothing was kept. Please try again in a minute. If it keeps happening, tell whoever runs this app.</p>${again}`,
        ),
      };
  }
}
