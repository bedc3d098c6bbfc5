/**
 * Small helpers for Slack's mrkdwn. Anything a person typed, and any name that comes from a YAML file,
 * goes through `escapeText` before it is placed in mrkdwn, so nobody can make the app ping `<!channel>`
 * or forge a link.
 */

export function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * A link, `<address|text>`, to a web page (http or https; anything else gives the text alone).
 * Nothing in the address can end the link early or choose its text: the address is written as the
 * URL parser writes it (spaces, `<`, `>` and quotes percent-encoded), `|` is percent-encoded too, and
 * `&`, `<`, `>` are escaped in both parts.
 */
export function link(url: string, text: string): string {
  let address: URL;
  try {
    address = new URL(url);
  } catch {
    return escapeText(text);
  }
  if (address.protocol !== 'https:' && address.protocol !== 'http:') return escapeText(text);
  return `<${escapeText(address.href).replaceAll('|', '%7C')}|${escapeText(text)}>`;
}

/** Inline code for a command the person can type. Backticks inside would end the code span early. */
export function code(text: string): string {
  return `\`${escapeText(text.replaceAll('`', "'"))}\``;
}

/** A bar such as `▰▰▰▰▱` for 4 out of 5. Screen readers get the numbers from the text beside it. */
export function bar(value: number, max = 5): string {
  const filled = Math.max(0, Math.min(max, Math.round(value)));
  return '▰'.repeat(filled) + '▱'.repeat(max - filled);
}

/** Cuts text to at most `max` characters, ending with an ellipsis when it had to cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  return `${text.slice(0, max - 1).trimEnd()}…`;
}
