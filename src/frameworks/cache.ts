import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Framework } from './schema.js';

/**
 * A cache of framework files that passed every check, so a restart does not parse the same YAML
 * again (parsing YAML is most of a start with many frameworks).
 *
 * An entry is found by the file's path and its exact text, so an edited, moved or new file is
 * always read and checked afresh. The whole cache is dropped when the code that reads and checks
 * frameworks changes (its fingerprint is a hash of that code). Only files without any problem are
 * kept: a file with a mistake is read every time, so its message always points at the right line.
 *
 * The cache is a speed-up and nothing more: a cache that cannot be read or written is ignored.
 */

/** Where the cache lives unless FRAMEWORKS_CACHE_DIR says otherwise: the app's own node_modules/.cache. */
export const DEFAULT_FRAMEWORK_CACHE_DIR = fileURLToPath(
  new URL('../../node_modules/.cache/competency-bot', import.meta.url),
);

const CACHE_FILE = 'frameworks.json';
const FORMAT = 1;

/**
 * The modules whose code decides what a framework file becomes, and whether it passes: the loader and
 * the checks it runs (and the text matching they use), the schema, and the helpers they import.
 */
const CODE = [
  'loader',
  'problems',
  'schema-issues',
  'clashes',
  'text-match',
  'schema',
  '../util/own',
  '../util/value-at',
].map((name) => new URL(`./${name}`, import.meta.url));

type CacheFile = { format: number; fingerprint: string; entries: Record<string, Framework> };

export class FrameworkCache {
  private readonly used = new Map<string, Framework>();
  private changed = false;

  private constructor(
    readonly file: string,
    private readonly fingerprint: string,
    private readonly entries: Map<string, Framework>,
  ) {}

  /** Opens the cache in `dir`; an absent, unreadable or outdated cache opens empty. */
  static async open(dir: string): Promise<FrameworkCache> {
    const file = path.join(dir, CACHE_FILE);
    const fingerprint = await codeFingerprint();
    const entries = new Map<string, Framework>();
    try {
      const saved = JSON.parse(await readFile(file, 'utf8')) as Partial<CacheFile> | null;
      if (saved?.format === FORMAT && saved.fingerprint === fingerprint && saved.entries) {
        for (const [key, framework] of Object.entries(saved.entries)) entries.set(key, framework);
      }
    } catch {
      // No cache yet, or one that cannot be read: start empty.
    }
    return new FrameworkCache(file, fingerprint, entries);
  }

  /** The framework this exact file text became last time, if it passed every check. */
  get(file: string, text: string): Framework | undefined {
    const key = keyOf(file, text);
    const framework = this.entries.get(key);
    if (framework) this.used.set(key, framework);
    return framework;
  }

  /** Remembers a file that passed every check. */
  set(file: string, text: string, framework: Framework): void {
    this.used.set(keyOf(file, text), framework);
    this.changed = true;
  }

  /**
   * Writes what this load used (entries of files no longer loaded are dropped), when anything
   * changed. Resolves to the problem when the cache could not be written; never rejects.
   */
  async save(): Promise<string | undefined> {
    if (!this.changed && this.used.size === this.entries.size) return undefined;
    const content: CacheFile = {
      format: FORMAT,
      fingerprint: this.fingerprint,
      entries: Object.fromEntries(this.used),
    };
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFile(temporary, JSON.stringify(content));
      await rename(temporary, this.file);
      return undefined;
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => {});
      return error instanceof Error ? error.message : String(error);
    }
  }
}

function keyOf(file: string, text: string): string {
  return createHash('sha256').update(path.resolve(file)).update('\0').update(text).digest('hex');
}

/** A hash of the code of the CODE modules, whichever form runs (TypeScript source or the build). */
async function codeFingerprint(): Promise<string> {
  const hash = createHash('sha256').update(`format ${FORMAT}`);
  for (const base of CODE) {
    for (const extension of ['.ts', '.js']) {
      const text = await readFile(new URL(`${base.href}${extension}`), 'utf8').catch(() => undefined);
      if (text !== undefined) hash.update(`${extension}\0${text}\0`);
    }
  }
  return hash.digest('hex');
}
