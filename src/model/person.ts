/**
 * Who a person is to the app: the key their records are kept under. Slack says who is acting (see
 * src/slack/person.ts); everything below the Slack layer knows a person only by this key.
 */

/** Who a record belongs to: `<workspace or Enterprise Grid org id>:<user id>`, e.g. `T0123:U0456`. */
export type PersonKey = string;

/** The key a person's records are kept under: their Enterprise Grid org when there is one, else their workspace. */
export function personKey(ids: {
  userId: string;
  teamId?: string | null;
  enterpriseId?: string | null;
}): PersonKey {
  const org = ids.enterpriseId || ids.teamId || 'unknown';
  return `${org}:${ids.userId}`;
}

/** The org part of a person key (`T0123` of `T0123:U0456`): their Enterprise Grid org, else their workspace. */
export function orgOfPerson(person: PersonKey): string {
  const colon = person.indexOf(':');
  return colon < 0 ? person : person.slice(0, colon);
}

/** The user part of a person key (`U0456` of `T0123:U0456`). */
export function userOfPerson(person: PersonKey): string {
  const colon = person.indexOf(':');
  return colon < 0 ? person : person.slice(colon + 1);
}
