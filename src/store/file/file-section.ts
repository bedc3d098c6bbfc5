/**
 * A part of the data file besides the people, changed as a whole and written with them
 * (installations, team views, orgs' own data): what memory has; what the file has while a change is
 * on its way (a failed write puts it back); and its JSON, kept until it changes, so that a write of
 * other changes does not encode it again.
 */
export class FileSection<T> {
  private current: Record<string, T>;
  private onDisk: Record<string, T> | null = null;
  private version = 0;
  private json: Buffer | undefined;

  constructor(
    private readonly field: string,
    initial: Record<string, T> | undefined,
  ) {
    // No prototype: keys are data (ids), never Object's own names.
    this.current = Object.assign(Object.create(null) as Record<string, T>, initial);
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

  /** Changes memory (a copy of the section, so what the file has stays as it was until written). */
  change(apply: (all: Record<string, T>) => void): void {
    this.onDisk ??= this.current;
    const next = Object.assign(Object.create(null) as Record<string, T>, this.current);
    apply(next);
    this.current = next;
    this.version++;
    this.json = undefined;
  }

  /** `"field":{…}` for the file, or undefined when the section is empty (then it is left out). */
  serialized(): Buffer | undefined {
    if (Object.keys(this.current).length === 0) return undefined;
    this.json ??= Buffer.from(`${JSON.stringify(this.field)}:${JSON.stringify(this.current)}`);
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
    this.json = undefined;
  }
}

/** What one write took of a section. */
export type SectionSnapshot<T> = { data: Record<string, T>; version: number };
