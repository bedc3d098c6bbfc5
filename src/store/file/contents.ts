import type { OrgData } from '../../model/org-data.js';
import type { PersonKey } from '../../model/person.js';
import type { InstallationRecord, KeptTeamView, PersonData } from '../../model/records.js';
import { ReminderIndex } from '../reminder-index.js';
import { FORMAT_VERSION, type StoreData } from '../schema.js';
import { FileSection, type SectionSnapshot } from './file-section.js';

/**
 * What the data file holds, kept in memory: the people, the installations, the team views and what
 * orgs keep of their own; and, for everyone changed since the file last took their change, what the
 * file still has, so that a failed write can be undone. Each person's part of the file (`"key":{…}`) is kept encoded from the
 * last write: a write encodes only the people who changed and joins the rest as they were, so
 * rewriting the whole file stays simple and durable, while JSON.stringify of every person on every
 * write (≈ 130 ms at 10,000 people) does not hold up the event loop.
 */

/**
 * Stands for the installations among the keys of what a write takes (no person key starts with a
 * NUL character).
 */
export const INSTALLATIONS = '\u0000installations';
/** Stands for the team views among them, likewise. */
export const TEAM_VIEWS = '\u0000teamViews';
/** Stands for what orgs keep of their own among them, likewise. */
export const ORG_DATA = '\u0000orgData';

/** What one write takes: everyone changed since the file last took their change, as this write has them. */
export type WriteSnapshot = {
  people: Map<PersonKey, PersonData | undefined>;
  installed: SectionSnapshot<InstallationRecord> | undefined;
  teamViews: SectionSnapshot<KeptTeamView[]> | undefined;
  orgData: SectionSnapshot<OrgData> | undefined;
};

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from('}');

export class FileContents {
  private readonly people: Record<PersonKey, PersonData>;
  private peopleCount: number;
  /**
   * Everyone changed since the file last took their change, with their data as the file has it
   * (undefined: not in the file). A failed write puts them back to exactly that.
   */
  private readonly onDisk = new Map<PersonKey, PersonData | undefined>();
  /** Each person's part of the file, from the last write that encoded it. */
  private readonly fragments = new Map<PersonKey, Buffer>();
  /** Where the app is installed. */
  readonly installed: FileSection<InstallationRecord>;
  /** Team views answered recently, by scope (see model/team-views.ts). */
  readonly teamViews: FileSection<KeptTeamView[]>;
  /** What orgs keep of their own, by org id (see model/org-data.ts). */
  readonly orgData: FileSection<OrgData>;
  /** Who has a reminder, and when it is due, as memory has them. */
  readonly reminders = new ReminderIndex();

  constructor(data: StoreData) {
    // No prototype, so any person key (even "__proto__") is a plain own property.
    this.people = Object.assign(Object.create(null) as Record<PersonKey, PersonData>, data.people);
    this.installed = new FileSection('installations', data.installations);
    this.teamViews = new FileSection('teamViews', data.teamViews);
    this.orgData = new FileSection('orgData', data.orgData);
    this.peopleCount = Object.keys(this.people).length;
    for (const key in this.people) this.reminders.set(key, this.people[key]);
  }

  /** The person's data as memory has it; undefined for someone with none. */
  person(person: PersonKey): PersonData | undefined {
    return this.people[person];
  }

  /** How many people have data. */
  get size(): number {
    return this.peopleCount;
  }

  /** Whether a change of this person is in memory that the file has not taken yet. */
  pending(person: PersonKey): boolean {
    return this.onDisk.has(person);
  }

  /** Everyone with a change in memory that the file has not taken yet. */
  pendingPeople(): IterableIterator<PersonKey> {
    return this.onDisk.keys();
  }

  /** Everyone with data and their data, as memory has them. */
  *entries(): IterableIterator<[PersonKey, Readonly<PersonData>]> {
    for (const key in this.people) {
      const data = this.people[key];
      if (data !== undefined) yield [key, data];
    }
  }

  /** Puts `data` in memory for `person` (undefined: deletes them), remembering what the file has. */
  replace(person: PersonKey, data: PersonData | undefined): void {
    const before = this.people[person];
    if (!this.onDisk.has(person)) this.onDisk.set(person, before);
    if (data === undefined) delete this.people[person];
    else this.people[person] = data;
    this.peopleCount += (data === undefined ? 0 : 1) - (before === undefined ? 0 : 1);
    this.fragments.delete(person);
    this.reminders.set(person, data);
  }

  /**
   * The whole file, byte for byte as JSON.stringify would write it, as a list of pieces: each person's
   * part is encoded once and reused until they change, and the pieces go to disk as they are (writev),
   * so no write builds the whole file as one string on the event loop.
   */
  serialize(): Buffer[] {
    const pieces: Buffer[] = [Buffer.from(`{"formatVersion":${FORMAT_VERSION},"people":{`)];
    let first = true;
    for (const key in this.people) {
      let fragment = this.fragments.get(key);
      if (fragment === undefined) {
        fragment = Buffer.from(`${JSON.stringify(key)}:${JSON.stringify(this.people[key])}`);
        this.fragments.set(key, fragment);
      }
      if (!first) pieces.push(COMMA);
      pieces.push(fragment);
      first = false;
    }
    // Installations, team views and orgs' own data follow the people, only when there are any (files
    // of one workspace from before them stay as they were).
    pieces.push(CLOSE);
    for (const section of [this.installed, this.teamViews, this.orgData]) {
      const json = section.serialized();
      if (json !== undefined) pieces.push(COMMA, json);
    }
    pieces.push(CLOSE);
    return pieces;
  }

  /** At the start of a write: what it takes (the changes made from here on go in the next one). */
  beforeWrite(): WriteSnapshot {
    const people = new Map<PersonKey, PersonData | undefined>();
    for (const person of this.onDisk.keys()) people.set(person, this.people[person]);
    return {
      people,
      installed: this.installed.beforeWrite(),
      teamViews: this.teamViews.beforeWrite(),
      orgData: this.orgData.beforeWrite(),
    };
  }

  /** The write took `snapshot`: the file has it now. */
  written(snapshot: WriteSnapshot): void {
    for (const [person, data] of snapshot.people) {
      // Unchanged since: the file has them as memory does. Changed again: the file has this write's.
      if (this.people[person] === data) this.onDisk.delete(person);
      else this.onDisk.set(person, data);
    }
    this.installed.written(snapshot.installed);
    this.teamViews.written(snapshot.teamViews);
    this.orgData.written(snapshot.orgData);
  }

  /**
   * The write of `snapshot` failed: everyone whose change was in it goes back to what the file
   * holds, changes made since included, and so do the sections it took. Returns the keys of all it
   * took (person keys, INSTALLATIONS, TEAM_VIEWS, ORG_DATA), whose later changes are refused.
   */
  undo(snapshot: WriteSnapshot): ReadonlySet<string> {
    const undone = new Set<string>(snapshot.people.keys());
    if (snapshot.installed !== undefined) {
      undone.add(INSTALLATIONS);
      this.installed.undo();
    }
    if (snapshot.teamViews !== undefined) {
      undone.add(TEAM_VIEWS);
      this.teamViews.undo();
    }
    if (snapshot.orgData !== undefined) {
      undone.add(ORG_DATA);
      this.orgData.undo();
    }
    for (const person of snapshot.people.keys()) {
      const before = this.people[person];
      const onDisk = this.onDisk.get(person);
      if (onDisk === undefined) delete this.people[person];
      else this.people[person] = onDisk;
      this.peopleCount += (onDisk === undefined ? 0 : 1) - (before === undefined ? 0 : 1);
      this.fragments.delete(person);
      this.reminders.set(person, onDisk);
      this.onDisk.delete(person);
    }
    return undone;
  }
}
