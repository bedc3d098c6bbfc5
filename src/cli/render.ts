import type { LookupResult, Suggestion } from '../frameworks/catalog.js';
import { type Competency, expectedAt, type Framework, type Level } from '../frameworks/schema.js';
import { hasTracks, ladderThrough, nextLevels, trackOf } from '../frameworks/tracks.js';

/**
 * Terminal rendering for the `competency` command line: plain text, wrapped to the terminal width.
 * Pure functions: they return lines and never write anything themselves.
 */

/** The name people type at the terminal. */
export const CLI_NAME = 'competency';

/** Narrower than this and wrapping does more harm than good. */
const MIN_WIDTH = 40;
export const DEFAULT_WIDTH = 80;

export type Style = {
  /** The terminal width in columns. */
  width: number;
  /** Bold names with ANSI escapes (only for a terminal that wants colour). */
  color: boolean;
};

const plainStyle: Style = { width: DEFAULT_WIDTH, color: false };

function bold(text: string, style: Style): string {
  return style.color ? `\u001b[1m${text}\u001b[22m` : text;
}

/** The width text is wrapped to: the terminal's, but never narrower than MIN_WIDTH. */
function usableWidth(style: Style): number {
  return Number.isFinite(style.width) ? Math.max(MIN_WIDTH, Math.floor(style.width)) : DEFAULT_WIDTH;
}

/** Characters as a terminal counts them (every character the frameworks use is one column wide). */
function columns(text: string): number {
  return [...text].length;
}

/**
 * Wraps text at spaces so that no line is wider than `width` (a word longer than a whole line
 * gets a line of its own). Every line starts with `indent`.
 */
function wrap(text: string, width: number, indent = ''): string[] {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line === '') line = indent + word;
    else if (columns(line) + 1 + columns(word) <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = indent + word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * Joins parts with `separator`, starting a new line (with `indent`) before a part that would not fit.
 * A line that is continued ends with the separator, so it is clear that more follows.
 * The first line starts with `firstIndent`.
 */
function joinWrapped(
  parts: readonly string[],
  separator: string,
  width: number,
  indent = '',
  firstIndent = indent,
): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    if (line === '') line = (lines.length === 0 ? firstIndent : indent) + part;
    else if (columns(line) + columns(separator) + columns(part) <= width) line += separator + part;
    else {
      lines.push(line + separator.trimEnd());
      line = indent + part;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A bar such as `▰▰▰▰▱` for 4 out of 5. */
function meter(value: number, max = 5): string {
  const filled = Math.max(0, Math.min(max, Math.round(value)));
  return '▰'.repeat(filled) + '▱'.repeat(max - filled);
}

/** `Advanced (4/5)`: the scale's label for a value, and the value. */
function levelLabel(framework: Framework, value: number): string {
  const step = framework.scale.find((s) => s.value === value);
  return `${step?.label ?? 'Level'} (${value}/5)`;
}

/** The parts of `Expected at Senior: Advanced (4/5)  ▰▰▰▰▱` (joined by two spaces). */
function expectedParts(framework: Framework, competency: Competency, level: Level): string[] {
  const value = expectedAt(competency, level.id);
  if (value === undefined) return [`Expected at ${level.name}: not given`];
  return [`Expected at ${level.name}: ${levelLabel(framework, value)}`, meter(value)];
}

/**
 * The parts of `Mid-Level: Developing (2/5) → [Senior: Advanced (4/5)] → Lead-Principal: Expert (5/5)`:
 * the ladder the level is on (its track's); below a fork, the shared levels and then `then A: … or B: …`.
 */
function levelParts(framework: Framework, competency: Competency, current: Level): string[] {
  const part = (level: Level) => {
    const value = expectedAt(competency, level.id);
    const text = `${level.name}: ${value === undefined ? '–' : levelLabel(framework, value)}`;
    return level.id === current.id ? `[${text}]` : text;
  };
  const ladder = ladderThrough(framework, current);
  const parts = ladder.map(part);
  const last = ladder.at(-1);
  if (last !== undefined && last.track === undefined && hasTracks(framework)) {
    const fork = nextLevels(framework, last);
    if (fork.length > 0) parts.push(`then ${fork.map(part).join(' or ')}`);
  }
  return parts;
}

/** A command to type, e.g. `competency show solutions-architect senior`. */
function showCommand(query: string): string {
  return `${CLI_NAME} show ${query}`;
}

// ---------------------------------------------------------------------------------------------
// competency list

/** One line per framework (id, role · domain, levels, competencies), columns aligned, then a hint. */
export function renderList(frameworks: readonly Framework[], style: Style = plainStyle): string[] {
  if (frameworks.length === 0) {
    return ['No frameworks found.'];
  }
  const rows = frameworks.map((f) => [
    f.id,
    `${f.role.name} · ${f.domain.name}`,
    `levels: ${f.levels.map((l) => l.id).join(', ')}`,
    count(f.competencies.length, 'competency', 'competencies'),
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => columns(row[i] ?? ''))));
  const lines = rows.map((row) =>
    row
      .map((cell, i) => {
        const padded = i < row.length - 1 ? cell + ' '.repeat((widths[i] ?? 0) - columns(cell)) : cell;
        return i === 0 ? bold(padded, style) : padded;
      })
      .join('  '),
  );
  const first = frameworks[0];
  const example = first?.levels[Math.min(1, first.levels.length - 1)];
  const footer = [`${count(frameworks.length, 'framework', 'frameworks')}.`];
  if (first && example) {
    footer.push(`See one with: ${showCommand(`${first.role.id} ${example.id}`)}`);
  }
  return [...lines, '', ...footer];
}

// ---------------------------------------------------------------------------------------------
// competency show

export type FrameworkRenderOptions = {
  /** Name the domain in the suggested commands (when the role has frameworks for several domains). */
  withDomain?: boolean;
};

/**
 * A framework at one level, for reading in a terminal: title, summaries, the scale, then the primary
 * and supporting competencies, each with its expected level here and at the neighbouring levels.
 */
export function renderFramework(
  framework: Framework,
  level: Level,
  style: Style = plainStyle,
  options: FrameworkRenderOptions = {},
): string[] {
  const width = usableWidth(style);
  const primary = framework.competencies.filter((c) => c.tier === 'primary');
  const supporting = framework.competencies.filter((c) => c.tier === 'supporting');
  const title = `${framework.role.name} · ${level.name} · ${framework.domain.name}`;
  const track = trackOf(framework, level);

  const lines: string[] = [
    bold(title, style),
    '═'.repeat(Math.min(columns(title), width)),
    ...wrap(framework.role.summary, width),
  ];
  if (track)
    lines.push('', ...wrap(`Track: ${track.name}${track.summary ? ` — ${track.summary}` : ''}`, width));
  if (level.summary) lines.push('', ...wrap(`At ${level.name}: ${level.summary}`, width));
  lines.push(
    '',
    `${count(framework.competencies.length, 'competency', 'competencies')} (${primary.length} primary, ${supporting.length} supporting)`,
    ...joinWrapped(
      framework.scale.map((s, i) => `${i === 0 ? 'Scale: ' : ''}${s.value} ${s.label}`),
      ' · ',
      width,
      ' '.repeat(columns('Scale: ')),
      '',
    ),
  );

  for (const [heading, group] of [
    ['Primary competencies', primary],
    ['Supporting competencies', supporting],
  ] as const) {
    if (group.length === 0) continue;
    lines.push('', bold(heading, style), '─'.repeat(Math.min(columns(heading), width)));
    for (const competency of group) {
      lines.push('', ...competencyLines(framework, competency, level, style));
    }
  }

  const others = framework.levels.filter((l) => l.id !== level.id);
  if (others.length > 0) {
    const domain = options.withDomain ? ` ${framework.domain.id}` : '';
    lines.push(
      '',
      'Other levels:',
      ...others.map((l) => `  ${showCommand(`${framework.role.id} ${l.id}${domain}`)}`),
    );
  }
  const source = [framework.source.title, framework.source.publisher, framework.source.date]
    .filter((part) => part !== undefined)
    .join(', ');
  lines.push(
    '',
    ...wrap(`Source: ${source}. Framework ${framework.id}, version ${framework.version}.`, width),
  );
  return lines;
}

function competencyLines(framework: Framework, competency: Competency, level: Level, style: Style): string[] {
  const width = usableWidth(style);
  const indent = '  ';
  const heading =
    columns(`${competency.name} · ${competency.category}`) <= width
      ? [`${bold(competency.name, style)} · ${competency.category}`]
      : [bold(competency.name, style), `${indent}${competency.category}`];
  const lines = [
    ...heading,
    ...wrap(competency.description, width, indent),
    ...joinWrapped(expectedParts(framework, competency, level), '  ', width, indent),
  ];
  if (framework.levels.length > 1) {
    lines.push(...joinWrapped(levelParts(framework, competency, level), ' → ', width, indent));
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Lookup problems

export type LookupProblem = Exclude<LookupResult, { kind: 'found' } | { kind: 'empty' }>;

/**
 * A kind explanation of why `competency show …` found nothing, with the commands that would work.
 * `usage` is true when something was simply left out (a level, a domain), false for a mistake.
 */
export function renderLookupProblem(
  problem: LookupProblem,
  style: Style = plainStyle,
  options: FrameworkRenderOptions = {},
): { lines: string[]; usage: boolean } {
  const width = usableWidth(style);
  const { headline, suggestions, choose } = describeProblem(problem, options.withDomain ?? false);
  const lines = wrap(headline, width);
  if (suggestions.length > 0) {
    lines.push(choose ? 'Choose one:' : 'Did you mean:');
    for (const s of suggestions) lines.push(`  ${showCommand(s.query)}`);
  }
  if (!choose) lines.push(`Run \`${CLI_NAME} list\` to see every framework.`);
  return { lines, usage: choose };
}

function describeProblem(
  problem: LookupProblem,
  withDomain: boolean,
): {
  headline: string;
  suggestions: Suggestion[];
  choose: boolean;
} {
  const names = (items: readonly { name: string }[]) => items.map((i) => i.name).join(', ');
  switch (problem.kind) {
    case 'unknown-role':
      return {
        headline: `I couldn't find a role called "${problem.input}".`,
        suggestions: problem.suggestions,
        choose: false,
      };
    case 'missing-level':
      return {
        headline: `Which level of ${problem.framework.role.name} (${problem.framework.domain.name})? Its levels are ${names(problem.framework.levels)}.`,
        suggestions: problem.framework.levels.map((level) => ({
          label: level.name,
          query: [
            problem.framework.role.id,
            level.id,
            ...(withDomain ? [problem.framework.domain.id] : []),
          ].join(' '),
        })),
        choose: true,
      };
    case 'unknown-level':
      return {
        headline: `${problem.framework.role.name} has no level called "${problem.input}". Its levels are ${names(problem.framework.levels)}.`,
        suggestions: problem.suggestions,
        choose: false,
      };
    case 'missing-domain':
      return {
        headline: `${problem.roleName} has frameworks for several domains: ${names(problem.frameworks.map((f) => f.domain))}. Which one?`,
        suggestions: problem.suggestions,
        choose: true,
      };
    case 'unknown-domain':
      return {
        headline: `${problem.roleName} has no framework for "${problem.input}". It has ${names(problem.frameworks.map((f) => f.domain))}.`,
        suggestions: problem.suggestions,
        choose: false,
      };
  }
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
