import { applyChange } from './schema.js';
import {
  countRecords,
  emptyPerson,
  type PersonData,
  type PersonKey,
  type Store,
  type StoreHealth,
} from './store.js';

/** A Store that keeps everything in memory: for unit tests of the domain. Nothing survives a restart. */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  readonly location = 'memory';
  private readonly people = new Map<PersonKey, PersonData>();
  private writes = 0;

  async get(person: PersonKey): Promise<Readonly<PersonData>> {
    return this.people.get(person) ?? emptyPerson();
  }

  async update<T>(person: PersonKey, change: (data: PersonData) => T): Promise<T> {
    // The same change as the other stores, so tests of the domain meet the same refusals.
    const { result, next } = applyChange(this.people.get(person) ?? emptyPerson(), change);
    if (next === undefined) return result;
    this.people.set(person, next);
    this.writes++;
    return result;
  }

  async forget(person: PersonKey): Promise<number> {
    const data = this.people.get(person);
    if (!data) return 0;
    this.people.delete(person);
    this.writes++;
    return countRecords(data);
  }

  async size(): Promise<number> {
    return this.people.size;
  }

  async health(): Promise<StoreHealth> {
    return { kind: this.kind, ok: true, people: this.people.size, writes: this.writes };
  }

  async close(): Promise<void> {}
}
