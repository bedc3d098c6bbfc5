import { expect } from 'vitest';

/** What the tests of the sandbox page's renderers share: a reader's context, text objects, and a check of the markup. */

export const ctx = {
  users: { U1: 'Ada Lovelace' },
  timeZone: 'UTC',
  locale: 'en-US',
  now: Date.UTC(2026, 10, 27, 9),
};
export const plain = (text: string, emoji?: boolean) => ({
  type: 'plain_text',
  text,
  ...(emoji ? { emoji } : {}),
});
export const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
export const option = (text: string, value: string) => ({ text: plain(text), value });

/**
 * The markup render.js writes, and nothing else: every tag and attribute in the output must be one of
 * these, every attribute value quoted. Text from messages is escaped, so any other tag would be injected.
 */
const TAGS = new Set(
  'a strong em del code pre br span time div h2 h3 hr button select option optgroup details summary label input textarea img ul ol li blockquote'.split(
    ' ',
  ),
);
const ATTRS = new Set(
  'href target rel class datetime title type id for value selected disabled placeholder rows minlength maxlength src alt loading role hidden aria-label label data-kind data-action-id data-block-id data-value data-url data-confirm data-text data-input data-error-for aria-modal aria-labelledby aria-describedby data-testid data-confirm-choice'.split(
    ' ',
  ),
);
export function assertOnlyOwnMarkup(html: string): void {
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/g;
  let rest = html;
  for (const m of html.matchAll(tag)) {
    expect(TAGS, `tag <${m[2]}> in ${html}`).toContain(m[2]);
    for (const a of (m[3] ?? '').matchAll(/([a-z-]+)(?:="([^"]*)")?/g)) {
      expect(ATTRS, `attribute ${a[1]} in ${html}`).toContain(a[1]);
      if (a[1] === 'href' || a[1] === 'src' || a[1] === 'data-url')
        expect(a[2]).toMatch(/^(https?:|mailto:|\/(?!\/))/i);
    }
    rest = rest.replace(m[0], '');
  }
  // whatever is left is text: no raw markup characters at all
  expect(rest).not.toMatch(/[<>"]/);
}
