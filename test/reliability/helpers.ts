import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { personKey } from '../../src/model/person.js';
import type { PersonData } from '../../src/model/records.js';
import { LOCAL_TEAM } from '../../src/sandbox/defaults.js';
import type { Harness } from '../integration/harness.js';

/** The lowdb store's file inside the harness's data folder. */
const DATA_FILE = 'competency-data.json';

/** The data file's exact bytes, or null while the store has never written it. */
export async function dataFileBytes(h: Harness): Promise<Buffer | null> {
  try {
    return await readFile(path.join(h.dataDir, DATA_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  if (a === null || b === null) return a === b;
  return a.equals(b);
}

/** What the store holds about a user of the local workspace (empty for someone it has never seen). */
export function personOf(h: Harness, userId: string): Promise<Readonly<PersonData>> {
  return h.store.get(personKey({ userId, teamId: LOCAL_TEAM.id }));
}

/** The same person as written in the data file, or undefined when the file does not name them. */
export async function personOnDisk(h: Harness, userId: string): Promise<PersonData | undefined> {
  const bytes = await dataFileBytes(h);
  if (bytes === null) return undefined;
  const data = JSON.parse(bytes.toString('utf8')) as { people?: Record<string, PersonData> };
  return data.people?.[personKey({ userId, teamId: LOCAL_TEAM.id })];
}

export type RawResponse = { status: number; text: string };

/**
 * POSTs a body with exactly these headers and nothing else Slack-specific: for requests that are
 * not signed the way signing.ts signs them (a header left out, a body changed after signing).
 */
export async function postRaw(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<RawResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, text: await response.text() };
}

/**
 * The texts Slack parses as mrkdwn in a message, modal or Home view: every `{ type: 'mrkdwn', text }`
 * object, and the top-level `text` (the notification fallback, which Slack parses for mentions too).
 * plain_text objects are shown as typed, so they are left out.
 */
export function mrkdwnTexts(payload: unknown): string[] {
  const found: string[] = [];
  if (isObject(payload) && typeof payload.text === 'string') found.push(payload.text);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
    } else if (isObject(node)) {
      if (node.type === 'mrkdwn' && typeof node.text === 'string') found.push(node.text);
      for (const value of Object.values(node)) walk(value);
    }
  };
  if (isObject(payload)) {
    walk(payload.blocks);
    walk(payload.view);
    walk(payload.attachments);
  }
  return found;
}

/** A Slack control sequence left raw: a special mention, a user, channel or group mention, or a link. */
const CONTROL = /<(?:[!@#]|http|mailto)[^>]*>?/gi;

/**
 * The control sequences in `texts` that did not come from the app itself. The app writes exactly
 * two kinds of its own: `<!date^…^…|…>` (a time in each reader's zone) and a mention of the person who
 * asked (`ownMentions`). Anything else — or one of those that is also found verbatim in the `input`
 * the test sent — is something that was let through unescaped.
 */
export function unescapedInjections(texts: string[], input: string, ownMentions: string[] = []): string[] {
  const own = (seq: string) =>
    /^<!date\^\d+\^[^|>]*\|[^<>]*>$/.test(seq) || ownMentions.some((id) => seq === `<@${id}>`);
  const bad: string[] = [];
  for (const text of texts) {
    for (const match of text.matchAll(CONTROL)) {
      const seq = match[0];
      if (!own(seq) || input.includes(seq)) bad.push(seq.slice(0, 80));
    }
  }
  return bad;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
