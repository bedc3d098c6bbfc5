import { randomBytes } from 'node:crypto';
import type { FrameworksOfOrgs } from '../frameworks/org-catalogs.js';
import { EVIDENCE_MAX, EVIDENCE_PER_COMPETENCY_MAX, type Evidence } from '../model/growth.js';
import { orgOfPerson, type PersonKey } from '../model/person.js';
import type { AssessmentRecord, PersonData } from '../model/records.js';
import type { Store } from '../store/store.js';
import { checkNote } from './notes.js';

/**
 * Evidence: Slack messages a person adds to one competency of their framework (the message
 * shortcut "Add as evidence"). Each piece keeps where the message is (its permalink, channel and
 * timestamp), when it was posted, when it was added and by whom — never the message's words, which
 * may be someone else's. It lives in the person's own record, so export, forget and uninstall reach
 * it. Plain TypeScript over the Store interface: nothing here knows about Slack.
 */

/** Where the message is, as Slack said it (chat.getPermalink for its channel and timestamp). */
export type EvidenceInput = {
  frameworkId: string;
  competencyId: string;
  permalink: string;
  channelId: string;
  messageTs: string;
  /** Who added it: the person's Slack user id. */
  addedBy: string;
  /** Their own words about it, checked here (at most NOTE_MAX characters). */
  note?: string | undefined;
};

export type EvidenceOutcome =
  | { kind: 'added'; evidence: Evidence; forCompetency: number }
  /** The same message was added to the same competency already: kept as it was. */
  | { kind: 'already'; evidence: Evidence }
  | { kind: 'competency-full'; competencyName: string }
  | { kind: 'full' }
  | { kind: 'too-long'; length: number }
  | { kind: 'unknown-competency' }
  | { kind: 'bad-message' };

/** A Slack message timestamp, `1700000000.000100`: seconds, and a unique part. */
const MESSAGE_TS = /^(\d{1,12})\.(\d{1,10})$/;

/** When a message was posted, from its timestamp (ISO 8601), or undefined for one that is not a timestamp. */
export function postedAtOf(messageTs: string): string | undefined {
  const match = MESSAGE_TS.exec(messageTs);
  if (!match) return undefined;
  const date = new Date(Number(match[1]) * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Pieces of evidence of one competency of a framework, the most recent message first. */
export function evidenceFor(
  evidence: readonly Evidence[],
  frameworkId: string,
  competencyId: string,
): Evidence[] {
  return evidence
    .filter((e) => e.frameworkId === frameworkId && e.competencyId === competencyId)
    .sort((a, b) => b.postedAt.localeCompare(a.postedAt) || b.addedAt.localeCompare(a.addedAt));
}

/**
 * The evidence a summary of `record` shows: for the person's latest assessment of its framework,
 * everything they added for it (evidence gathered since counts towards the next one); for an older
 * one, only what they had added by the time they finished it, so that it reads as it was.
 */
export function evidenceShownWith(record: AssessmentRecord, data: Readonly<PersonData>): Evidence[] {
  const evidence = (data.evidence ?? []).filter((e) => e.frameworkId === record.frameworkId);
  const latest = data.history.findLast((r) => r.frameworkId === record.frameworkId);
  return latest === undefined || latest.id === record.id
    ? evidence
    : evidence.filter((e) => e.addedAt <= record.finishedAt);
}

export class EvidenceLog {
  constructor(
    private readonly store: Store,
    private readonly frameworks: FrameworksOfOrgs,
    private readonly now: () => Date = () => new Date(),
    private readonly newId: () => string = () => randomBytes(6).toString('base64url'),
  ) {}

  /** Everything the person added, oldest first. */
  async of(person: PersonKey): Promise<readonly Evidence[]> {
    return (await this.store.get(person)).evidence ?? [];
  }

  /**
   * Adds a message as evidence for one competency of a framework the person's org sees, in one
   * update: at most EVIDENCE_PER_COMPETENCY_MAX per competency and EVIDENCE_MAX in all. Adding the
   * same message to the same competency again changes nothing (a submission delivered twice).
   */
  async add(person: PersonKey, input: EvidenceInput, madeAt?: Date): Promise<EvidenceOutcome> {
    const checked = checkNote(input.note);
    if (!checked.ok) return { kind: 'too-long', length: checked.length };
    const postedAt = postedAtOf(input.messageTs);
    if (postedAt === undefined || !/^https?:\/\//.test(input.permalink)) return { kind: 'bad-message' };
    const framework = (await this.frameworks.for(orgOfPerson(person))).get(input.frameworkId);
    const competency = framework?.competencies.find((c) => c.id === input.competencyId);
    if (!framework || !competency) return { kind: 'unknown-competency' };
    const at = this.now().toISOString();
    const id = this.newId();
    return this.store.update(
      person,
      (d): EvidenceOutcome => {
        const all = d.evidence ?? [];
        const same = all.filter((e) => e.frameworkId === framework.id && e.competencyId === competency.id);
        const already = same.find((e) => e.channelId === input.channelId && e.messageTs === input.messageTs);
        if (already) return { kind: 'already', evidence: already };
        if (same.length >= EVIDENCE_PER_COMPETENCY_MAX) {
          return { kind: 'competency-full', competencyName: competency.name };
        }
        if (all.length >= EVIDENCE_MAX) return { kind: 'full' };
        const evidence: Evidence = {
          id,
          frameworkId: framework.id,
          competencyId: competency.id,
          competencyName: competency.name,
          permalink: input.permalink,
          channelId: input.channelId,
          messageTs: input.messageTs,
          postedAt,
          addedAt: at,
          addedBy: input.addedBy,
          ...(checked.text === undefined ? {} : { note: checked.text }),
        };
        d.evidence = [...all, evidence];
        return { kind: 'added', evidence, forCompetency: same.length + 1 };
      },
      madeAt === undefined ? {} : { madeAt },
    );
  }

  /** Removes one piece of the person's evidence; resolves with it, or undefined when it was not there. */
  async remove(person: PersonKey, evidenceId: string): Promise<Evidence | undefined> {
    return this.store.update(person, (d) => {
      const found = d.evidence?.find((e) => e.id === evidenceId);
      if (!found || !d.evidence) return undefined;
      d.evidence = d.evidence.filter((e) => e !== found);
      if (d.evidence.length === 0) delete d.evidence;
      return found;
    });
  }
}
