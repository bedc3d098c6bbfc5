import { personDataProblems } from './schema.js';
import {
  countRecords,
  emptyPerson,
  InvalidPersonDataError,
  type PersonData,
  type PersonKey,
  type Store,
} from './store.js';

/** A Store that keeps everything in memory: for unit tests of the domain. Nothing survives a restart. */
export class MemoryStore implements Store {
  readonly location = 'memory';
  private readonly people = new Map<PersonKey, PersonData>();

  get(person: PersonKey): Readonly<PersonData> {
    return this.people.get(person) ?? emptyPerson();
  }

  async update<T>(person: PersonKey, change: (data: PersonData) => T): Promise<T> {
    const copy = structuredClone(this.people.get(person) ?? emptyPerson());
    const result = change(copy);
    // The same check as the file store, so tests of the domain meet the same refusals.
    const problems = personDataProblems(copy);
    if (problems.length > 0) throw new InvalidPersonDataError(problems);
    this.people.set(person, copy);
    return result;
  }

  async forget(person: PersonKey): Promise<number> {
    const data = this.people.get(person);
    this.people.delete(person);
    return data ? countRecords(data) : 0;
  }

  writes(): number {
    return 0;
  }

  size(): number {
    return this.people.size;
  }

  healthy(): boolean {
    return true;
  }

  async close(): Promise<void> {}
}
