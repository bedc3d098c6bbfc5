/**
 * What an importer reads from a file before it becomes a framework: names and facts, each with
 * the file and line it came from, so that every later problem (a conflict between two files, a
 * name that is too long, a level missing for a competency) can point at the line to fix.
 */

/** A place in an input file: the file as the person named it, and a 1-based line. */
export type Where = { file: string; line: number };

/** A value and where it was read. */
export type Fact<T> = { value: T; at: Where };

export type Tier = 'primary' | 'supporting';

/** A level; `track` names its career track (levels without one are shared, below the fork). */
export type DraftLevel = { name: string; at: Where; summary?: Fact<string>; track?: Fact<string> };

export type DraftCompetency = {
  name: string;
  at: Where;
  category: Fact<string>;
  tier: Fact<Tier>;
  description: Fact<string>;
  /** The expected proficiency (1–5) at each level, keyed by `keyOf(level name)`. */
  expected: Map<string, Fact<number>>;
};

/** One role in one domain, as read from one or more inputs. */
export type DraftFramework = {
  role: { name: string; at: Where; summary?: Fact<string> };
  domain: { name: string; at: Where };
  /** In the order read: most junior first. */
  levels: DraftLevel[];
  competencies: DraftCompetency[];
  /** Scale labels the input gives, by value (1–5). */
  scale: Map<number, Fact<string>>;
  /** The input files, in the order read. */
  files: string[];
};

/** A mistake in an input, in words a person can act on. */
export type ImportProblem = { file: string; line?: number; message: string };

/** `people.csv:14: message`, or `people.csv: message` when there is no line. */
export function formatImportProblem(p: ImportProblem): string {
  return p.line === undefined ? `${p.file}: ${p.message}` : `${p.file}:${p.line}: ${p.message}`;
}

/** `line 4` when `at` is in `file`, else `other.csv:4`: how a message names a second place. */
export function placeOf(at: Where, file: string): string {
  return at.file === file ? `line ${at.line}` : `${at.file}:${at.line}`;
}

/** How names are matched between rows and files: case, and runs of spaces, do not matter. */
export function keyOf(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A cell or line as a name: trimmed, with runs of white space (no-break spaces too) made one space. */
export function cleanName(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** Problems sorted by file (in the order the files were given) and then by line. */
export function sortProblems(problems: ImportProblem[], files: readonly string[]): ImportProblem[] {
  const rank = (file: string) => {
    const i = files.indexOf(file);
    return i < 0 ? files.length : i;
  };
  return [...problems].sort((a, b) => rank(a.file) - rank(b.file) || (a.line ?? 0) - (b.line ?? 0));
}

export function quote(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}

/**
 * Why a framework with one `what` too many is refused: `"Level 9" is the 9th level of Tester · Web,
 * and a framework has at most 8 (the most the app can show): …`.
 */
export function tooMany(what: 'level' | 'competency', name: string, of: string, max: number): string {
  const advice =
    what === 'level'
      ? `keep ${max}, or split the levels over several roles`
      : `keep the ${max} that matter most, or split them over several roles or domains`;
  return `${quote(name)} is the ${ordinal(max + 1)} ${what} of ${of}, and a framework has at most ${max} (the most the app can show): ${advice}`;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
