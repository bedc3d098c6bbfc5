import type pg from 'pg';
import type { PersonKey } from '../../model/person.js';
import type { PersonData } from '../../model/records.js';
import { STATEMENTS } from './people.js';

/** The most people one statement of PersonReads asks for. */
const MOST_AT_ONCE = 100;

type Waiting = { resolve: (data: PersonData | undefined) => void; reject: (error: unknown) => void };

/**
 * Reads of one person's row (the read of every command's page), taken together: the reads asked for
 * in one turn of the event loop (the commands whose requests arrived together) go in one statement
 * (`person_key = ANY($1)`, up to 100 people) once that turn is done; up to `concurrency` statements
 * are on their way at a time, and the reads asked for while all are go together as soon as one comes
 * back. A read alone waits for nothing but the end of its turn. Under a load of commands a statement
 * then serves many of them: one round trip, one plan, one answer to parse, where each used to take
 * its own (measured in one process with 50 readers at once and 3 connections: 70–93 µs of the app's
 * CPU a read, one statement each, against 10–13 µs together). Two reads of one person asked for
 * together share the row read.
 *
 * Each read resolves with the person's data, or undefined when they have no row; when the statement
 * fails, every read it carried rejects with its error.
 */
export class PersonReads {
  /** The reads not sent yet, by person, in the order they were asked for. */
  private readonly waiting = new Map<PersonKey, Waiting[]>();
  private sending = 0;
  private scheduled = false;
  private readonly concurrency: number;

  /** `concurrency`: how many statements may be on their way at once (the read pool's connections). */
  constructor(
    private readonly pool: pg.Pool,
    concurrency: number,
  ) {
    this.concurrency = Number.isSafeInteger(concurrency) && concurrency > 0 ? concurrency : 1;
  }

  read(person: PersonKey): Promise<PersonData | undefined> {
    return new Promise((resolve, reject) => {
      const those = this.waiting.get(person);
      if (those) those.push({ resolve, reject });
      else this.waiting.set(person, [{ resolve, reject }]);
      this.soon();
    });
  }

  /**
   * Sends what waits once the event loop has run what is ready now: every read asked for in this
   * turn (the commands whose requests arrived together) can then go in one statement.
   */
  private soon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.send();
    });
  }

  private send(): void {
    while (this.sending < this.concurrency && this.waiting.size > 0) {
      const batch = new Map<PersonKey, Waiting[]>();
      for (const [person, those] of this.waiting) {
        if (batch.size === MOST_AT_ONCE) break;
        batch.set(person, those);
      }
      for (const person of batch.keys()) this.waiting.delete(person);
      this.sending++;
      void this.fetch(batch).finally(() => {
        this.sending--;
        this.send();
      });
    }
  }

  private async fetch(batch: Map<PersonKey, Waiting[]>): Promise<void> {
    try {
      const found = await this.rows([...batch.keys()]);
      for (const [person, those] of batch) {
        const data = found.get(person);
        for (const one of those) one.resolve(data);
      }
    } catch (error) {
      for (const those of batch.values()) for (const one of those) one.reject(error);
    }
  }

  private async rows(persons: PersonKey[]): Promise<Map<PersonKey, PersonData>> {
    const { rows } = await this.pool.query<{ person_key: string; data: PersonData }>({
      ...STATEMENTS.readPeople,
      values: [persons],
    });
    return new Map(rows.map((row) => [row.person_key, row.data]));
  }
}
