import type { OrgData } from '../../model/org-data.js';
import type { PersonKey } from '../../model/person.js';
import type { InstallationRecord, KeptTeamView, PersonData } from '../../model/records.js';
import { ReminderIndex } from '../reminder-index.js';
import { FORMAT_VERSION, type StoreData } from '../schema.js';
import { type Encoded, encoded, FileSection, type SectionSnapshot } from './file-section.js';
import type { DataFileLimit } from './limit.js';

/**
 * What the data file holds, kept in memory: the people, the installations, the team views and what
 * orgs keep of their own; and, for everyone changed since the file last took their change, what the
 * file still has, so that a failed write can be undone. Each person's part of the file (`"key":{…}`)
 * is kept encoded, and encoded again when they change: a write joins the parts as they are, so
 * rewriting the whole file stays simple and durable, while JSON.stringify of every person on every
 * write (≈ 130 ms at 10,000 people) does not hold up the event loop. Encoding a change when it is
 * made also tells the file's length as the next write will have it, so that a change that would
 * make the file too long to read back is refused before it is kept (limit.ts).
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

const HEAD = `{"formatVersion":${FORMAT_VERSION},"people":{`;
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from('}');

/** What a write writes: the file in pieces, and its length in UTF-16 code units (see limit.ts). */
export type Serialized = { pieces: Buffer[]; length: number };

export class FileContents {
  private readonly people: Record<PersonKey, PersonData>;
  private peopleCount: number;
  /**
   * Everyone changed since the file last took their change, with their data as the file has it
   * (undefined: not in the file). A failed write puts them back to exactly that.
   */
  private readonly onDisk = new Map<PersonKey, PersonData | undefined>();
  /** Each person's part of the file, as memory has them. */
  private readonly fragments = new Map<PersonKey, Buffer>();
  /**
   * For each person whose part has letters beyond ASCII: how many more bytes it has than UTF-16 code
   * units (for everyone else, both are the same); so that the file's length is known without decoding.
   */
  private readonly extraBytes = new Map<PersonKey, number>();
  /** The length of everyone's parts together, in UTF-16 code units. */
  private peopleLength = 0;
  /** Where the app is installed. */
  readonly installed: FileSection<InstallationRecord>;
  /** Team views answered recently, by scope (see model/team-views.ts). */
  readonly teamViews: FileSection<KeptTeamView[]>;
  /** What orgs keep of their own, by org id (see model/org-data.ts). */
  readonly orgData: FileSection<OrgData>;
  /** Who has a reminder, and when it is due, as memory has them. */
  readonly reminders = new ReminderIndex();

  constructor(
    data: StoreData,
    /** The file's limit: changes that would make it longer are refused. */
    readonly limit: DataFileLimit,
  ) {
    // No prototype, so any person key (even "__proto__") is a plain own property.
    this.people = Object.assign(Object.create(null) as Record<PersonKey, PersonData>, data.people);
    this.installed = new FileSection('installations', data.installations);
    this.teamViews = new FileSection('teamViews', data.teamViews);
    this.orgData = new FileSection('orgData', data.orgData);
    this.peopleCount = Object.keys(this.people).length;
    // Everyone's part of the file is encoded now, at start, rather than in the first write under load.
    for (const key in this.people) {
      this.reminders.set(key, this.people[key]);
      this.keep(key, this.encode(key, this.people[key]));
    }
  }

  /**
   * The length of the file the next write would write, in UTF-16 code units (see limit.ts): what
   * serialize() gives, without building it.
   */
  get length(): number {
    return this.lengthWith(this.peopleLength, this.peopleCount);
  }

  /**
   * Refuses (DataFileFullError) a change that makes the file `growth` longer when that passes the
   * limit. A change that shrinks the file, or keeps its length, is always taken.
   */
  admit(growth: number): void {
    if (growth > 0) this.limit.check(this.length + growth);
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

  /**
   * Puts `data` in memory for `person` (undefined: deletes them), remembering what the file has. With
   * `admit` (every change but a deletion), a change that would make the file longer than its limit is
   * refused with DataFileFullError first, and nothing changes.
   */
  replace(person: PersonKey, data: PersonData | undefined, admit?: 'admit'): void {
    const before = this.people[person];
    const part = data === undefined ? undefined : this.encode(person, data);
    const count = this.peopleCount + (data === undefined ? 0 : 1) - (before === undefined ? 0 : 1);
    if (admit) {
      const peopleLength = this.peopleLength - this.lengthOf(person) + (part?.length ?? 0);
      this.admit(this.lengthWith(peopleLength, count) - this.length);
    }
    if (!this.onDisk.has(person)) this.onDisk.set(person, before);
    if (data === undefined) delete this.people[person];
    else this.people[person] = data;
    this.peopleCount = count;
    this.keep(person, part);
    this.reminders.set(person, data);
  }

  /**
   * The whole file, byte for byte as JSON.stringify would write it, as a list of pieces, with its
   * length: each person's part is encoded when they change and reused until they change again, and
   * the pieces go to disk as they are (writev), so no write builds the whole file as one string on the
   * event loop. The length is counted here from the pieces themselves, not taken from `length`, so
   * that the check before a write does not rest on the running count that admitted the changes.
   */
  serialize(): Serialized {
    const pieces: Buffer[] = [Buffer.from(HEAD)];
    let length = HEAD.length;
    let first = true;
    for (const key in this.people) {
      const fragment = this.fragments.get(key);
      if (fragment === undefined) throw new Error(`No part of the data file is kept for ${key}`);
      if (!first) pieces.push(COMMA);
      pieces.push(fragment);
      length += fragment.length + (first ? 0 : 1);
      first = false;
    }
    for (const extra of this.extraBytes.values()) length -= extra;
    // Installations, team views and orgs' own data follow the people, only when there are any (files
    // of one workspace from before them stay as they were).
    pieces.push(CLOSE);
    length += 1;
    for (const section of [this.installed, this.teamViews, this.orgData]) {
      const json = section.serialized();
      if (json === undefined) continue;
      pieces.push(COMMA, json.bytes);
      length += 1 + json.length;
    }
    pieces.push(CLOSE);
    return { pieces, length: length + 1 };
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
      this.keep(person, onDisk === undefined ? undefined : this.encode(person, onDisk));
      this.reminders.set(person, onDisk);
      this.onDisk.delete(person);
    }
    return undone;
  }

  /** The whole file's length with people's parts this long together, and this many people. */
  private lengthWith(peopleLength: number, count: number): number {
    const commas = Math.max(0, count - 1);
    const sections = this.installed.length + this.teamViews.length + this.orgData.length;
    // The head, the people and the commas between them, `}`, the sections, `}`.
    return HEAD.length + peopleLength + commas + 1 + sections + 1;
  }

  /** `"key":{…}`, the person's part of the file. */
  private encode(person: PersonKey, data: PersonData | undefined): Encoded {
    return encoded(`${JSON.stringify(person)}:${JSON.stringify(data)}`);
  }

  /** The length of the person's part as kept, in UTF-16 code units (0: none). */
  private lengthOf(person: PersonKey): number {
    const fragment = this.fragments.get(person);
    return fragment === undefined ? 0 : fragment.length - (this.extraBytes.get(person) ?? 0);
  }

  /** Keeps `part` as the person's part of the file (undefined: they have none). */
  private keep(person: PersonKey, part: Encoded | undefined): void {
    this.peopleLength -= this.lengthOf(person);
    this.fragments.delete(person);
    this.extraBytes.delete(person);
    if (part === undefined) return;
    this.fragments.set(person, part.bytes);
    if (part.bytes.length !== part.length) this.extraBytes.set(person, part.bytes.length - part.length);
    this.peopleLength += part.length;
  }
}
