import path from 'node:path';
import { Document, isMap, isScalar, isSeq, type Scalar, type YAMLMap } from 'yaml';
import type { z } from 'zod';
import { parseFramework } from '../loader.js';
import { FrameworkError } from '../problems.js';
import { type Framework, type FrameworkFile, FrameworkSchema, frameworkId } from '../schema.js';
import { type DraftFramework, type ImportProblem, keyOf, quote, type Where } from './draft.js';

/**
 * Turns a draft into a framework file: ids made from the names, our defaults for what the input
 * does not say (scale descriptions, role summary, version, source), the same checks as the loader,
 * and YAML laid out like the bundled frameworks.
 */

/** Our words for each step of the 1–5 scale, with the labels used when the input gives none. */
const DEFAULT_SCALE = [
  {
    value: 1,
    label: 'Basic',
    description: 'Knows the main ideas and vocabulary; needs guidance to put them into practice.',
  },
  {
    value: 2,
    label: 'Developing',
    description:
      'Applies it to well-defined tasks with some support; still building judgement for unfamiliar cases.',
  },
  {
    value: 3,
    label: 'Proficient',
    description: 'Handles the usual work in this area on their own, reliably and without close review.',
  },
  {
    value: 4,
    label: 'Advanced',
    description:
      'Takes on complex or unusual cases, makes sound trade-offs, and helps others get better at it.',
  },
  {
    value: 5,
    label: 'Expert',
    description:
      'Sets the direction for this area across the organisation; others look to them for judgement.',
  },
] as const;

/**
 * An id from a name: lower case, accents dropped, anything but letters and digits becomes one
 * hyphen (`Lead-Principal` → `lead-principal`, `C++ & Go` → `c-go`); at most 60 characters.
 */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= 60) return slug;
  const cut = slug.slice(0, 61);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen > 0 ? cut.slice(0, lastHyphen) : cut.slice(0, 60)).replace(/-+$/, '');
}

export type Imported = {
  /** `role.domain`. */
  id: string;
  /** The name the file must have for the app to load it: `<id>.yml`. */
  fileName: string;
  /** The file's text. */
  yaml: string;
  framework: Framework;
};

export type BuildOptions = {
  /** Today, as YYYY-MM-DD: the version of the framework and the date in its source note. */
  today: string;
};

/** Builds and checks one framework; problems point at the input lines. */
export function buildFramework(
  draft: DraftFramework,
  options: BuildOptions,
): { imported?: Imported; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const ids = assignIds(draft, problems);
  checkComplete(draft, problems);
  if (problems.length > 0 || !ids) return { problems };

  const content = toFrameworkFile(draft, ids, options);
  const locate = locator(draft);
  const parsed = FrameworkSchema.safeParse(content);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({
        ...(locate(issue.path) ?? { file: draft.files[0] ?? '' }),
        message: explain(issue, content),
      });
    }
    return { problems: dedupe(problems) };
  }

  const id = frameworkId(content);
  const fileName = `${id}.yml`;
  const yaml = frameworkToYaml(content, draft.files, options.today);
  try {
    // The very check the app runs when it loads the file.
    const framework = parseFramework(yaml, fileName);
    return { imported: { id, fileName, yaml, framework }, problems };
  } catch (error) {
    if (!(error instanceof FrameworkError)) throw error;
    for (const p of error.problems) {
      const at = p.path === undefined ? undefined : locate(parsePath(p.path));
      problems.push({ ...(at ?? { file: draft.files[0] ?? '' }), message: p.message });
    }
    return { problems: dedupe(problems) };
  }
}

type Ids = {
  role: string;
  domain: string;
  levels: string[];
  competencies: string[];
  tracks: Map<string, string>;
};

/** Ids from names; two names that would share an id are a problem (the app could not tell them apart). */
function assignIds(draft: DraftFramework, problems: ImportProblem[]): Ids | undefined {
  const before = problems.length;
  const one = (what: string, name: string, at: Where): string => {
    const id = slugify(name);
    if (id === '') {
      problems.push({
        ...at,
        message: `the ${what} ${quote(name)} has no letters a–z or digits to make an id from: add some (for example a short English name)`,
      });
    }
    return id;
  };
  const many = (what: string, items: { name: string; at: Where }[]): string[] => {
    const byId = new Map<string, { name: string; at: Where }>();
    return items.map((item, i) => {
      let id = slugify(item.name);
      if (id === '') id = `${what}-${i + 1}`;
      const other = byId.get(id);
      if (other) {
        problems.push({
          ...item.at,
          message: `the ${what} ${quote(item.name)} would get the same id "${id}" as ${quote(other.name)} (${placeOfShort(other.at, item.at)}): write the name the same way everywhere, or give them clearly different names`,
        });
      }
      byId.set(id, item);
      return id;
    });
  };
  const ids: Ids = {
    role: one('role', draft.role.name, draft.role.at),
    domain: one('domain', draft.domain.name, draft.domain.at),
    levels: many('level', draft.levels),
    competencies: many('competency', draft.competencies),
    tracks: new Map(),
  };
  // Tracks, by the name as written (case and spaces aside), in the order they first appear.
  const tracks = tracksOf(draft);
  many('track', tracks).forEach((id, i) => {
    const track = tracks[i];
    if (track) ids.tracks.set(keyOf(track.name), id);
  });
  return problems.length > before ? undefined : ids;
}

function placeOfShort(at: Where, from: Where): string {
  return at.file === from.file ? `line ${at.line}` : `${at.file}:${at.line}`;
}

/** Every competency needs an expected level at every level. */
function checkComplete(draft: DraftFramework, problems: ImportProblem[]): void {
  const names = draft.levels.map((l) => l.name).join(', ');
  for (const c of draft.competencies) {
    for (const level of draft.levels) {
      if (!c.expected.has(keyOf(level.name))) {
        problems.push({
          ...c.at,
          message: `${quote(c.name)} has no expected level for the level ${quote(level.name)}: every competency needs one at every level (${names})`,
        });
      }
    }
  }
}

function toFrameworkFile(draft: DraftFramework, ids: Ids, { today }: BuildOptions): FrameworkFile {
  const levelName = (i: number) => draft.levels[i]?.name ?? '';
  const roleSummary =
    draft.role.summary?.value ??
    (draft.levels.length === 1
      ? `${draft.role.name} in ${draft.domain.name}, at the ${levelName(0)} level.`
      : `${draft.role.name} in ${draft.domain.name}: what is expected at each level, from ${levelName(0)} to ${levelName(draft.levels.length - 1)}.`);
  return {
    role: { id: ids.role, name: draft.role.name, aliases: [], summary: roleSummary },
    domain: { id: ids.domain, name: draft.domain.name, aliases: [] },
    version: today,
    source: {
      title: sourceTitle(draft.files),
      note: `Imported with \`competency import\` on ${today}; descriptions and summaries are from the imported file${draft.files.length === 1 ? '' : 's'}.`,
    },
    scale: DEFAULT_SCALE.map((step) => ({
      value: step.value,
      label: draft.scale.get(step.value)?.value ?? step.label,
      description: step.description,
    })),
    ...(ids.tracks.size > 0
      ? {
          tracks: tracksOf(draft).map((t) => ({ id: ids.tracks.get(keyOf(t.name)) ?? '', name: t.name })),
        }
      : {}),
    levels: draft.levels.map((l, i) => ({
      id: ids.levels[i] ?? '',
      name: l.name,
      aliases: [],
      ...(l.track ? { track: ids.tracks.get(keyOf(l.track.value)) ?? '' } : {}),
      ...(l.summary ? { summary: l.summary.value } : {}),
    })),
    competencies: draft.competencies.map((c, i) => ({
      id: ids.competencies[i] ?? '',
      name: c.name,
      category: c.category.value,
      tier: c.tier.value,
      description: c.description.value,
      expected: Object.fromEntries(
        draft.levels.map((l, j) => [ids.levels[j] ?? '', c.expected.get(keyOf(l.name))?.value ?? 0]),
      ),
    })),
  };
}

/** The tracks the levels name, each once (as first written), in the order they first appear. */
function tracksOf(draft: DraftFramework): { name: string; at: Where }[] {
  const tracks = new Map<string, { name: string; at: Where }>();
  for (const level of draft.levels) {
    if (level.track && !tracks.has(keyOf(level.track.value)))
      tracks.set(keyOf(level.track.value), { name: level.track.value, at: level.track.at });
  }
  return [...tracks.values()];
}

/** The input files by name, as short as the source title must be (200 characters). */
function sourceTitle(files: readonly string[]): string {
  const names = files.map((f) => path.basename(f));
  for (let shown = names.length; shown >= 1; shown--) {
    const rest = names.length - shown;
    const title = names.slice(0, shown).join(', ') + (rest > 0 ? ` and ${rest} more` : '');
    if (title.length <= 200) return title;
  }
  return `${(names[0] ?? 'imported file').slice(0, 180)}…`;
}

// ---------------------------------------------------------------------------------------------
// From a field of the framework back to the input line it came from

type Path = readonly PropertyKey[];

function locator(draft: DraftFramework): (at: Path) => Where | undefined {
  const levelIndex = (id: PropertyKey) => draft.levels.findIndex((l) => slugify(l.name) === String(id));
  return (at) => {
    const [first, second, third, fourth] = at;
    switch (first) {
      case 'role':
        return second === 'summary' ? (draft.role.summary?.at ?? draft.role.at) : draft.role.at;
      case 'domain':
        return draft.domain.at;
      case 'levels': {
        const level = typeof second === 'number' ? draft.levels[second] : draft.levels[8];
        if (!level) return draft.levels[0]?.at;
        if (third === 'track') return level.track?.at ?? level.at;
        return third === 'summary' ? (level.summary?.at ?? level.at) : level.at;
      }
      case 'tracks': {
        const track = typeof second === 'number' ? tracksOf(draft)[second] : undefined;
        return track?.at ?? draft.levels[0]?.at;
      }
      case 'competencies': {
        const c = typeof second === 'number' ? draft.competencies[second] : draft.competencies[24];
        if (!c) return draft.competencies[0]?.at;
        if (third === 'category') return c.category.at;
        if (third === 'tier') return c.tier.at;
        if (third === 'description') return c.description.at;
        if (third === 'expected' && fourth !== undefined) {
          const level = draft.levels[levelIndex(fourth)];
          return (level && c.expected.get(keyOf(level.name))?.at) ?? c.at;
        }
        return c.at;
      }
      case 'scale': {
        const value = typeof second === 'number' ? second + 1 : 0;
        return draft.scale.get(value)?.at;
      }
      default:
        return undefined;
    }
  };
}

/** `competencies[2].expected.senior` → ['competencies', 2, 'expected', 'senior']. */
function parsePath(text: string): PropertyKey[] {
  return (text.match(/[^.[\]]+/g) ?? []).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** What a schema issue means for the input, in its words. */
function explain(issue: z.core.$ZodIssue, content: FrameworkFile): string {
  const what = describeField(issue.path);
  if (issue.code === 'too_big') {
    const max = Number(issue.maximum);
    const value = valueAt(content, issue.path);
    if (typeof value === 'string') {
      return `the ${what} is ${value.trim().length} characters long; the most is ${max}: please shorten it`;
    }
    if (Array.isArray(value)) {
      const noun = issue.path[0] === 'levels' ? 'levels' : 'competencies';
      return `there are ${value.length} ${noun} in this framework; the most the app can show is ${max}`;
    }
  }
  if (issue.code === 'too_small') return `the ${what} is empty`;
  return `the ${what}: ${issue.message}`;
}

function describeField(at: Path): string {
  const [first, , third] = at;
  const last = at[at.length - 1];
  if (first === 'role') return last === 'summary' ? 'role summary' : 'role name';
  if (first === 'domain') return 'domain name';
  if (first === 'levels') return third === 'summary' ? 'level summary' : 'level name';
  if (first === 'scale') return 'scale label';
  if (first === 'competencies') {
    if (third === 'category' || third === 'tier' || third === 'description') return String(third);
    if (third === 'name') return 'competency name';
    return 'competency';
  }
  return String(last ?? 'framework');
}

function valueAt(data: unknown, at: Path): unknown {
  let value: unknown = data;
  for (const key of at) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function dedupe(problems: ImportProblem[]): ImportProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}:${p.line}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// YAML

/** Longer texts are written as folded blocks (`>-`), the way the bundled frameworks are. */
const FOLD_OVER = 70;

/** The framework as YAML, laid out like the bundled files: comments, blank lines, short maps on one line. */
function frameworkToYaml(f: FrameworkFile, files: readonly string[], today: string): string {
  const { role, domain, version, source, scale, tracks, levels, competencies } = f;
  const withoutEmptyAliases = <T extends { aliases: string[] }>(item: T) => {
    const { aliases, ...rest } = item;
    return aliases.length > 0 ? item : rest;
  };
  const doc = new Document({
    role: withoutEmptyAliases(role),
    domain: withoutEmptyAliases(domain),
    version,
    source,
    scale,
    ...(tracks && tracks.length > 0 ? { tracks } : {}),
    levels: levels.map(withoutEmptyAliases),
    competencies,
  });

  const root = doc.contents as YAMLMap;
  const fold = (map: unknown, key: string) => {
    if (!isMap(map)) return;
    const node = map.get(key, true) as Scalar | undefined;
    if (
      node &&
      typeof node.value === 'string' &&
      node.value.length > FOLD_OVER &&
      !/^\s|\s$/.test(node.value)
    ) {
      node.type = node.value.includes('\n') ? 'BLOCK_LITERAL' : 'BLOCK_FOLDED';
    }
  };
  const quoteScalar = (map: unknown, key: string) => {
    if (!isMap(map)) return;
    const node = map.get(key, true) as Scalar | undefined;
    if (node) node.type = 'QUOTE_DOUBLE';
  };
  fold(root.get('role', true), 'summary');
  quoteScalar(root, 'version');
  fold(root.get('source', true), 'note');
  const levelsKey = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'levels')?.key;
  if (isScalar(levelsKey))
    levelsKey.commentBefore =
      tracks && tracks.length > 0
        ? ' Ordered from the most junior to the most senior: first the levels every track shares, then each track’s.'
        : ' Ordered from the most junior to the most senior.';
  const levelSeq = root.get('levels', true);
  if (isSeq(levelSeq)) for (const item of levelSeq.items) fold(item, 'summary');
  const competencySeq = root.get('competencies', true);
  if (isSeq(competencySeq)) {
    let tier: string | undefined;
    competencySeq.items.forEach((item, i) => {
      if (!isMap(item)) return;
      fold(item, 'description');
      const expected = item.get('expected', true);
      if (isMap(expected)) expected.flow = true;
      const itemTier = String(item.get('tier'));
      if (itemTier !== tier) {
        item.commentBefore = itemTier === 'primary' ? ' Primary' : ' Supporting';
        tier = itemTier;
      }
      if (i > 0) item.spaceBefore = true;
    });
  }

  const body = doc
    .toString({ lineWidth: 110, minContentWidth: 40 })
    // A blank line before each top-level field after the first, as in the bundled files.
    .replace(/\n((?:# [^\n]*\n)*)(?=[a-z]+:)/g, '\n\n$1');
  const header = [
    '# yaml-language-server: $schema=./framework.schema.json',
    '#',
    `# Competency framework: ${oneLine(role.name)} in ${oneLine(domain.name)}.`,
    `# Imported from ${oneLine(files.map((file) => path.basename(file)).join(', '))} with \`competency import\` on ${today}.`,
    '# Check it with `competency validate <folder>` after any change.',
    '',
  ].join('\n');
  return `${header}\n${body}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}
