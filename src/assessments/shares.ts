import { randomBytes } from 'node:crypto';
import { type Evidence, type OneOnOneMark, type Plan, SHARES_MAX, type Share } from '../model/growth.js';
import { orgOfPerson, type PersonKey } from '../model/person.js';
import type { AssessmentRecord, PersonData } from '../model/records.js';
import type { Store } from '../store/store.js';
import { type OneOnOne, oneOnOneOf } from './one-on-one.js';

/**
 * Sharing with one colleague (a manager, say): a person (the *owner*) gives a colleague of their
 * workspace or org read-only access to their latest finished assessment, its notes and evidence, and
 * their plan, until they take it back. Plain TypeScript over the Store interface: nothing here knows
 * about Slack.
 *
 * Where things are kept (see Share in src/model/growth.ts): the share lives in the owner's record
 * (`shares`), so whether it exists is decided there, in one update; the colleague's record keeps
 * only an index entry (`sharesReceived`), so that their `forget` can find and end what was shared
 * with them, and their `/competency shares` can list it.
 *
 * Who sees what: every read for the colleague names the owner and the share, and is answered only
 * when that share is in the owner's record now and names the person asking as its colleague — the
 * same "not shared" whether the share never existed, was taken back, or is someone else's. What is
 * answered is the owner's latest assessment, with its notes and the evidence of its framework, and
 * their plan: no older assessment, nothing of anyone else.
 */

/** Why a share was not made. Nothing is written in any of these cases. */
export type ShareRefusal =
  | { kind: 'refused'; reason: 'self' | 'no-assessment' | 'too-many' }
  | { kind: 'refused'; reason: 'already'; share: Share };

export type ShareOutcome = { kind: 'shared'; share: Share; record: AssessmentRecord } | ShareRefusal;

/** What the colleague sees: the owner's latest assessment, its evidence, and the owner's plan. */
export type SharedView = {
  kind: 'shared';
  owner: PersonKey;
  share: Share;
  /** The owner's latest finished assessment; undefined when they have none any more. */
  record: AssessmentRecord | undefined;
  /** The evidence the owner added for that assessment's framework, oldest first. */
  evidence: Evidence[];
  plan: Plan | undefined;
};

/** The answer to anyone the share is not for, or no longer for: the same whatever the reason. */
export type NotShared = { kind: 'not-shared' };

/** A share someone gave this person, found through their index and checked in the owner's record. */
export type Received = { owner: PersonKey; share: Share };

export class Shares {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
    private readonly newId: () => string = () => randomBytes(9).toString('base64url'),
  ) {}

  /** The person key of a user of the owner's workspace or org: shares stay within it. */
  colleagueKey(owner: PersonKey, userId: string): PersonKey {
    return `${orgOfPerson(owner)}:${userId}`;
  }

  /** Whether `share` would be refused now, from one read (the form checks before it closes). */
  async check(owner: PersonKey, colleagueUserId: string): Promise<ShareRefusal | undefined> {
    return refusalIn(await this.store.get(owner), owner, this.colleagueKey(owner, colleagueUserId));
  }

  /**
   * Shares the owner's latest assessment, notes, evidence and plan with a colleague: the share in the
   * owner's record, then the index entry in the colleague's. If that second write fails, the first is
   * undone (and the error rethrown), so a share never exists that the colleague's `forget` could not
   * find. `madeAt`: when the owner asked (see Store.update).
   */
  async share(
    owner: PersonKey,
    ownerUserId: string,
    colleagueUserId: string,
    madeAt?: Date,
  ): Promise<ShareOutcome> {
    const colleague = this.colleagueKey(owner, colleagueUserId);
    const at = this.now().toISOString();
    const id = this.newId();
    const outcome = await this.store.update(
      owner,
      (d): ShareOutcome => {
        const refused = refusalIn(d, owner, colleague);
        if (refused) return refused;
        const record = d.history.at(-1);
        if (!record) return { kind: 'refused', reason: 'no-assessment' };
        const share: Share = { id, withUserId: colleagueUserId, with: colleague, ownerUserId, at };
        d.shares = [...(d.shares ?? []), share];
        return { kind: 'shared', share, record };
      },
      madeAt === undefined ? {} : { madeAt },
    );
    if (outcome.kind !== 'shared') return outcome;
    try {
      await this.store.update(
        colleague,
        (d) => {
          const received = d.sharesReceived ?? [];
          if (!received.some((r) => r.of === owner && r.id === id))
            d.sharesReceived = [...received, { of: owner, id }];
        },
        { madeAt: new Date(at) },
      );
    } catch (error) {
      await removeShare(this.store, owner, id).catch(() => undefined);
      throw error;
    }
    return outcome;
  }

  /** Remembers the direct message the colleague got, so taking the share back can say so there. */
  async delivered(
    owner: PersonKey,
    shareId: string,
    message: { channel: string; ts: string },
  ): Promise<void> {
    await this.store.update(owner, (d) => {
      const share = d.shares?.find((s) => s.id === shareId);
      if (share && !share.message) share.message = { ...message };
    });
  }

  /** Deletes a share outright (its direct message could not be sent), with the colleague's index entry. */
  async cancelUndelivered(owner: PersonKey, shareId: string): Promise<void> {
    const removed = await removeShare(this.store, owner, shareId);
    if (removed) await removeReceived(this.store, removed.with, { of: owner, id: shareId });
  }

  /** What `colleague` may see of the owner's, if the share `shareId` is in the owner's record and is theirs. */
  async open(colleague: PersonKey, owner: PersonKey, shareId: string): Promise<SharedView | NotShared> {
    const data = await this.store.get(owner);
    const share = shareFor(data, shareId, colleague);
    if (!share) return { kind: 'not-shared' };
    const record = data.history.at(-1);
    return {
      kind: 'shared',
      owner,
      share: { ...share },
      record,
      evidence: record ? (data.evidence ?? []).filter((e) => e.frameworkId === record.frameworkId) : [],
      plan: data.plan,
    };
  }

  /**
   * The owner takes a share back: it goes from their record, and its entry from the colleague's
   * index. Resolves with the share as it was (to mark its direct message), or undefined when it was
   * not there (taken back already): then nothing changed.
   */
  async takeBack(owner: PersonKey, shareId: string): Promise<Share | undefined> {
    const removed = await removeShare(this.store, owner, shareId);
    if (removed) await removeReceived(this.store, removed.with, { of: owner, id: shareId });
    return removed;
  }

  /** Whom the person shares with, oldest first. */
  async given(owner: PersonKey): Promise<Share[]> {
    return [...((await this.store.get(owner)).shares ?? [])];
  }

  /** Who shares with this person, oldest first: each entry of their index checked in its owner's record. */
  async received(person: PersonKey): Promise<Received[]> {
    const index = (await this.store.get(person)).sharesReceived ?? [];
    const read = await Promise.all(
      index.map(async (entry) => ({ entry, data: await this.store.get(entry.of) })),
    );
    const result: Received[] = [];
    for (const { entry, data } of read) {
      const share = shareFor(data, entry.id, person);
      if (share) result.push({ owner: entry.of, share });
    }
    return result;
  }

  /**
   * The 1:1 summary of a share's two people, for either of them (`person`): the owner's focus areas,
   * their plan items due within two weeks or overdue (in the plan's time zone), and what moved since
   * the last 1:1 summary; then this one is remembered (on the share) for the next. Refused like
   * `open` for anyone else.
   */
  async oneOnOne(person: PersonKey, owner: PersonKey, shareId: string): Promise<OneOnOne | NotShared> {
    const now = this.now();
    return this.store.update(owner, (d): OneOnOne | NotShared => {
      const share = d.shares?.find((s) => s.id === shareId);
      if (!share || (person !== owner && share.with !== person)) return { kind: 'not-shared' };
      const summary = oneOnOneOf(d, share, owner, now);
      const latest = d.history.at(-1);
      const mark: OneOnOneMark = {
        at: now.toISOString(),
        ...(latest ? { assessmentId: latest.id } : {}),
        items: Object.fromEntries((d.plan?.items ?? []).map((item) => [item.id, item.status])),
      };
      share.lastOneOnOne = mark;
      return summary;
    });
  }

  /**
   * The direct messages to mark once the person's data is deleted: those of the shares they gave, and
   * of the shares given to them (kept in the owners' records). Read before `forget`.
   */
  async messagesAround(person: PersonKey): Promise<{ channel: string; ts: string; ownerUserId: string }[]> {
    const given = (await this.given(person)).flatMap((s) =>
      s.message ? [{ ...s.message, ownerUserId: s.ownerUserId }] : [],
    );
    const received = (await this.received(person)).flatMap(({ share }) =>
      share.message ? [{ ...share.message, ownerUserId: share.ownerUserId }] : [],
    );
    return [...given, ...received];
  }
}

/** The share `shareId` in the owner's data, if `colleague` is the one it is with. */
function shareFor(data: Readonly<PersonData>, shareId: string, colleague: PersonKey): Share | undefined {
  const share = data.shares?.find((s) => s.id === shareId);
  return share && share.with === colleague ? share : undefined;
}

/** Why sharing with `colleague` would be refused in the owner's data now; undefined when it would not. */
function refusalIn(
  data: Readonly<PersonData>,
  owner: PersonKey,
  colleague: PersonKey,
): ShareRefusal | undefined {
  if (colleague === owner) return { kind: 'refused', reason: 'self' };
  const existing = data.shares?.find((s) => s.with === colleague);
  if (existing) return { kind: 'refused', reason: 'already', share: { ...existing } };
  if ((data.shares?.length ?? 0) >= SHARES_MAX) return { kind: 'refused', reason: 'too-many' };
  if (data.history.length === 0) return { kind: 'refused', reason: 'no-assessment' };
  return undefined;
}

/** Deletes the share `shareId` from the owner's record; resolves with it, if it was there. */
async function removeShare(store: Store, owner: PersonKey, shareId: string): Promise<Share | undefined> {
  return store.update(owner, (d) => {
    const share = d.shares?.find((s) => s.id === shareId);
    if (!share || !d.shares) return undefined;
    d.shares = d.shares.filter((s) => s !== share);
    if (d.shares.length === 0) delete d.shares;
    return share;
  });
}

/** Deletes one entry of a colleague's index (`sharesReceived`). */
async function removeReceived(
  store: Store,
  colleague: PersonKey,
  entry: { of: PersonKey; id: string },
): Promise<void> {
  await store.update(colleague, (d) => {
    if (!d.sharesReceived?.some((r) => r.of === entry.of && r.id === entry.id)) return;
    d.sharesReceived = d.sharesReceived.filter((r) => !(r.of === entry.of && r.id === entry.id));
    if (d.sharesReceived.length === 0) delete d.sharesReceived;
  });
}

/**
 * Before a person's own record is deleted: ends the shares given to them (deleted from the owners'
 * records) and the index entries of the colleagues they shared with. Each is one update of one
 * person; run before `store.forget`, so a failure part way leaves their own record, with its shares
 * and index, for the next try to find.
 */
export async function forgetSharesAround(store: Store, person: PersonKey): Promise<void> {
  const data = await store.get(person);
  for (const entry of data.sharesReceived ?? []) {
    await store.update(entry.of, (d) => {
      if (!d.shares?.some((s) => s.id === entry.id && s.with === person)) return;
      d.shares = d.shares.filter((s) => !(s.id === entry.id && s.with === person));
      if (d.shares.length === 0) delete d.shares;
    });
  }
  for (const share of data.shares ?? []) {
    await removeReceived(store, share.with, { of: person, id: share.id });
  }
}
