/** A part of the data file, encoded: its UTF-8 bytes, and its length in UTF-16 code units (see limit.ts). */
export type Encoded = { bytes: Buffer; length: number };

/** `text` as it goes to the file. */
export function encoded(text: string): Encoded {
  return { bytes: Buffer.from(text), length: text.length };
}

/**
 * A part of the data file besides the people, changed as a whole and written with them
 * (installations, team views, orgs' own data): what memory has; what the file has while a change is
 * on its way (a failed write puts it back); its JSON, kept until it changes, so that a write of
 * other changes does not encode it again; and its length, measured when it changes, so that the
 * store knows the file's length before it takes the change (limit.ts). A change replaces the
 * entries it changes with new values and leaves the others as they were (the same objects), so only
 * what changed is measured again: many changes in a row (a thousand installations re-sealed) cost
 * no more than one write's encoding each.
 */
export class FileSection<T> {
  private current: Record<string, T>;
  private onDisk: Record<string, T> | null = null;
  private version = 0;
  private json: Encoded | undefined;
  /** The section's length in the file (see `length`). */
  private measured: number;
  /** Each entry's value as last measured, and the length of its `"key":value`. */
  private entries = new Map<string, { value: T; length: number }>();

  constructor(
    private readonly field: string,
    initial: Record<string, T> | undefined,
  ) {
    // No prototype: keys are data (ids), never Object's own names.
    this.current = Object.assign(Object.create(null) as Record<string, T>, initial);
    this.measured = this.measure(this.current);
  }

  get(key: string): T | undefined {
    return Object.hasOwn(this.current, key) ? this.current[key] : undefined;
  }

  keys(): string[] {
    return Object.keys(this.current);
  }

  values(): T[] {
    return Object.values(this.current);
  }

  /** Whether a change is on its way to the file. */
  get pending(): boolean {
    return this.onDisk !== null;
  }

  /** How much of the file the section takes, in UTF-16 code units: with the comma before it; 0 when left out. */
  get length(): number {
    return this.measured;
  }

  /**
   * Changes memory (a copy of the section, so what the file has stays as it was until written).
   * `admit`, when given, hears by how much the file grows (negative: shrinks) before anything changes;
   * if it throws, nothing changed.
   */
  change(apply: (all: Record<string, T>) => void, admit?: (growth: number) => void): void {
    const next = Object.assign(Object.create(null) as Record<string, T>, this.current);
    apply(next);
    const length = this.measure(next);
    admit?.(length - this.measured);
    this.onDisk ??= this.current;
    this.current = next;
    this.version++;
    this.measured = length;
    this.json = undefined;
  }

  /** `"field":{…}` for the file, or undefined when the section is empty (then it is left out). */
  serialized(): Encoded | undefined {
    if (this.measured === 0) return undefined;
    this.json ??= encoded(`${JSON.stringify(this.field)}:${JSON.stringify(this.current)}`);
    return this.json;
  }

  /** At the start of a write: what it writes (undefined when the section has no change on its way). */
  beforeWrite(): SectionSnapshot<T> | undefined {
    return this.onDisk === null ? undefined : { data: this.current, version: this.version };
  }

  /** The write took `snapshot`: the file has it now, and memory equals the file unless changed since. */
  written(snapshot: SectionSnapshot<T> | undefined): void {
    if (snapshot === undefined) return;
    this.onDisk = this.version === snapshot.version ? null : snapshot.data;
  }

  /** The write failed: back to what the file has; every change since is dropped too. */
  undo(): void {
    if (this.onDisk === null) return;
    this.current = this.onDisk;
    this.onDisk = null;
    this.version++;
    this.measured = this.measure(this.current);
    this.json = undefined;
  }

  /**
   * The length of `,"field":{…}` in UTF-16 code units, as JSON.stringify writes it (0 when empty: it
   * is then left out), from each entry's length, measured again only for a value not measured before.
   */
  private measure(section: Record<string, T>): number {
    let length = 0;
    let count = 0;
    for (const key of Object.keys(section)) {
      const value = section[key] as T;
      let entry = this.entries.get(key);
      if (entry === undefined || entry.value !== value) {
        entry = { value, length: JSON.stringify(key).length + 1 + JSON.stringify(value).length };
        this.entries.set(key, entry);
      }
      length += entry.length;
      count++;
    }
    // Entries of keys gone since: forgotten once they are most of what is remembered.
    if (this.entries.size > 2 * count + 16)
      for (const key of this.entries.keys()) if (!Object.hasOwn(section, key)) this.entries.delete(key);
    if (count === 0) return 0;
    // `,` `"field"` `:` `{` entries, with a comma between each two, `}`.
    return 1 + JSON.stringify(this.field).length + 1 + 1 + length + (count - 1) + 1;
  }
}

/** What one write took of a section. */
export type SectionSnapshot<T> = { data: Record<string, T>; version: number };
