import { MAX_COMPETENCIES, MAX_LEVELS } from '../schema.js';
import {
  cleanName,
  type DraftCompetency,
  type DraftFramework,
  type DraftLevel,
  type Fact,
  type ImportProblem,
  keyOf,
  quote,
  type Tier,
  tooMany,
  type Where,
} from './draft.js';

/**
 * A saved framework page for one role at one level, as text (or as HTML, turned into text first):
 *
 *   <Role>Skills & Competency Framework
 *   <level><Domain><N> competencies
 *   [What skills does a <level> <Role> in <Domain> need?]
 *   [a paragraph about the role at this level]
 *   <Level>            ← the levels, most junior first; the page's own one ends with "Selected"
 *   <Level>Selected
 *   [Core Competencies]
 *   Primary Skills
 *   <Competency name>
 *   <category>
 *   <description, one or more lines>
 *   <Level><Label> (<n>/5)   ← one line per level
 *   …
 *   Supporting Competencies
 *   [Additional Skills]
 *   … more competencies …
 *   <anything after the last "(n/5)" line is not part of the framework and is left out>
 */

/** One line of the page: its text, and its line in the file. */
export type PageLine = { text: string; line: number };

export type PageResult = { draft?: DraftFramework; problems: ImportProblem[] };

const TITLE = /^(.*?)\s*Skills\s*(?:&|and)\s*Competency\s+Framework$/i;
const HEADER = /^(.*?)\s*(\d+)\s*competenc(?:y|ies)$/i;
const QUESTION = /^What skills does an? (.+?) in (.+) need\?$/i;
const RATING = /^(.+?)\s*\(\s*(\d+)\s*\/\s*(\d+)\s*\)$/;
const PRIMARY = /^Primary Skills$/i;
const SUPPORTING = /^Supporting Competencies$/i;
const CORE = /^Core Competencies$/i;
const ADDITIONAL = /^Additional Skills$/i;
const SELECTED = /\s*Selected$/;

/** True when the text looks like a saved framework page (it has the title line). */
export function looksLikePage(text: string): boolean {
  return text.split('\n').some((l) => TITLE.test(cleanName(l)));
}

/** Reads the text of a page; `file` is how messages name it. */
export function parsePageText(text: string, file: string): PageResult {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((t, i) => ({ text: t, line: i + 1 }));
  return parsePageLines(lines, file);
}

/** Reads a page given as lines (from text, or from HTML by `htmlToLines`). */
export function parsePageLines(input: readonly PageLine[], file: string): PageResult {
  const problems: ImportProblem[] = [];
  const fail = (line: number | undefined, message: string): PageResult => {
    problems.push({ file, ...(line === undefined ? {} : { line }), message });
    return { problems };
  };
  const lines = input.map((l) => ({ text: cleanName(l.text), line: l.line })).filter((l) => l.text !== '');
  const where = (l: PageLine): Where => ({ file, line: l.line });

  // The title: "<Role>Skills & Competency Framework" (the role may be on the line before).
  const t = lines.findIndex((l) => TITLE.test(l.text));
  const titleLine = lines[t];
  if (!titleLine) {
    return fail(
      undefined,
      'this does not look like a saved framework page: no line ends with "Skills & Competency Framework". ' +
        'Import the text of such a page, or a CSV or TSV table (see "Importing a framework" in docs/frameworks.md).',
    );
  }
  let roleLine: PageLine = { text: TITLE.exec(titleLine.text)?.[1]?.trim() ?? '', line: titleLine.line };
  if (roleLine.text === '' && t > 0) roleLine = lines[t - 1] ?? roleLine;
  if (roleLine.text === '')
    return fail(titleLine.line, 'the title names no role: expected "<Role> Skills & Competency Framework"');

  // "<level><Domain><N> competencies".
  const h = lines.findIndex((l, i) => i > t && HEADER.test(l.text));
  const headerLine = lines[h];
  const header = headerLine ? HEADER.exec(headerLine.text) : null;
  if (!headerLine || !header) {
    return fail(
      titleLine.line,
      'expected a line with the level, the domain and the number of competencies after the title, such as "seniorE-commerce8 competencies"',
    );
  }
  const count = Number(header[2]);

  // The sections, and the list of levels just before them.
  const after = (pattern: RegExp) => lines.findIndex((l, i) => i > h && pattern.test(l.text));
  const starts = [after(PRIMARY), after(SUPPORTING)].filter((i) => i >= 0);
  if (starts.length === 0) {
    return fail(
      headerLine.line,
      'found no "Primary Skills" or "Supporting Competencies" section: is the page complete?',
    );
  }
  const sectionStart = Math.min(...starts);
  const core = after(CORE);
  const listEnd = core >= 0 && core < sectionStart ? core : sectionStart;

  const levels: DraftLevel[] = [];
  let selected: DraftLevel | undefined;
  let markNext = false;
  let listStart = listEnd;
  for (let i = listEnd - 1; i > h; i--) {
    const l = lines[i];
    if (!l || !isLevelLine(l.text)) break;
    listStart = i;
    if (l.text === 'Selected') {
      markNext = true;
      continue;
    }
    const name = l.text.replace(SELECTED, '');
    const level: DraftLevel = { name, at: where(l) };
    if (markNext || (name !== l.text && name !== '')) selected = level;
    markNext = false;
    levels.unshift(level);
  }
  if (levels.length === 0) {
    return fail(
      lines[listEnd]?.line ?? headerLine.line,
      'found no list of levels (one per line, the page\'s own one ending with "Selected") before the competencies',
    );
  }
  const levelNames = levels.map((l) => l.name).join(', ');

  // The domain: what follows the level on the header line (or the question, when there is one).
  const lower = (header[1] ?? '').toLowerCase();
  const headerLevel = [...levels]
    .sort((a, b) => b.name.length - a.name.length)
    .find((l) => lower.startsWith(l.name.toLowerCase()));
  const question = lines.slice(h + 1, listStart).find((l) => QUESTION.test(l.text));
  let domain = headerLevel ? (header[1] ?? '').slice(headerLevel.name.length).trim() : '';
  if (domain === '' && question) domain = QUESTION.exec(question.text)?.[2]?.trim() ?? '';
  if (domain === '') {
    return fail(
      headerLine.line,
      `cannot tell the domain from ${quote(headerLine.text)}: it should start with one of the levels (${levelNames}), then the domain`,
    );
  }
  selected ??= headerLevel;
  const framework = `${roleLine.text} · ${domain}`;
  const extraLevel = levels[MAX_LEVELS];
  if (extraLevel) return fail(extraLevel.at.line, tooMany('level', extraLevel.name, framework, MAX_LEVELS));

  // The paragraph about the role at this level: the page's own level gets it as its summary.
  const summaryLines = lines.slice(h + 1, listStart).filter((l) => l !== question);
  const firstSummaryLine = summaryLines[0];
  if (selected && firstSummaryLine) {
    selected.summary = { value: summaryLines.map((l) => l.text).join(' '), at: where(firstSummaryLine) };
  }

  // The competencies, up to the last "(n/5)" line.
  let end = -1;
  for (let i = lines.length - 1; i >= sectionStart; i--) {
    if (RATING.test(lines[i]?.text ?? '')) {
      end = i;
      break;
    }
  }
  if (end < 0) {
    return fail(
      lines[sectionStart]?.line,
      'found no expected levels: each competency should end with one line per level, such as "SeniorAdvanced (4/5)"',
    );
  }

  const competencies: DraftCompetency[] = [];
  const scale = new Map<number, Fact<string>>();
  let tier: Tier = 'primary';
  let i = sectionStart;
  const isRating = (k: number) => RATING.test(lines[k]?.text ?? '');
  const isMarker = (k: number) => {
    const text = lines[k]?.text ?? '';
    return [PRIMARY, SUPPORTING, CORE, ADDITIONAL].some((p) => p.test(text));
  };
  while (i <= end) {
    const l = lines[i];
    if (!l) break;
    if (PRIMARY.test(l.text) || SUPPORTING.test(l.text)) {
      tier = PRIMARY.test(l.text) ? 'primary' : 'supporting';
      i++;
      continue;
    }
    if (CORE.test(l.text) || ADDITIONAL.test(l.text)) {
      i++;
      continue;
    }
    if (isRating(i)) {
      problems.push({
        file,
        line: l.line,
        message: `${quote(l.text)} is an expected level without a competency above it`,
      });
      i++;
      continue;
    }
    // A competency: name, category, description (one or more lines), then the levels.
    const nameLine = l;
    let k = i + 1;
    while (k <= end && !isRating(k) && !isMarker(k)) k++;
    const [categoryLine, ...descriptionLines] = lines.slice(i + 1, k);
    const ratingsStart = k;
    while (k <= end && isRating(k)) k++;
    i = k;
    if (!categoryLine || descriptionLines.length === 0) {
      problems.push({
        file,
        line: nameLine.line,
        message: `${quote(nameLine.text)} should be followed by its category and its description, each on its own line, then its expected levels`,
      });
      continue;
    }
    if (ratingsStart === k) {
      problems.push({
        file,
        line: nameLine.line,
        message: `${quote(nameLine.text)} has no expected levels: after its description, give one line per level, such as "${levels[0]?.name ?? 'Senior'}Proficient (3/5)"`,
      });
      continue;
    }
    const expected = new Map<string, Fact<number>>();
    for (const r of lines.slice(ratingsStart, k)) {
      const m = RATING.exec(r.text);
      if (!m) continue;
      const [, prefix = '', valueText = '', ofText = ''] = m;
      const level = [...levels]
        .sort((a, b) => b.name.length - a.name.length)
        .find((lv) => prefix.toLowerCase().startsWith(lv.name.toLowerCase()));
      if (!level) {
        problems.push({
          file,
          line: r.line,
          message: `${quote(r.text)} does not start with one of the levels listed on line ${levels[0]?.at.line} (${levelNames})`,
        });
        continue;
      }
      if (ofText !== '5') {
        problems.push({
          file,
          line: r.line,
          message: `${quote(r.text)} is on a scale of 1 to ${ofText}; only 1 to 5 can be imported`,
        });
        continue;
      }
      const value = Number(valueText);
      if (value < 1 || value > 5) {
        problems.push({
          file,
          line: r.line,
          message: `expected level "${valueText}" is not 1–5; use a whole number from 1 to 5`,
        });
        continue;
      }
      const key = keyOf(level.name);
      const before = expected.get(key);
      if (before) {
        problems.push({
          file,
          line: r.line,
          message: `${quote(nameLine.text)} has a second expected level for ${quote(level.name)} (the first is on line ${before.at.line}): keep one`,
        });
        continue;
      }
      expected.set(key, { value, at: where(r) });
      const label = cleanName(prefix.slice(level.name.length));
      if (label !== '') {
        const known = scale.get(value);
        if (!known) scale.set(value, { value: label, at: where(r) });
        else if (known.value !== label) {
          problems.push({
            file,
            line: r.line,
            message: `the scale label of ${value} is ${quote(label)} here but ${quote(known.value)} on line ${known.at.line}: each value of the 1–5 scale has one label`,
          });
        }
      }
    }
    competencies.push({
      name: nameLine.text,
      at: where(nameLine),
      category: { value: categoryLine.text, at: where(categoryLine) },
      tier: { value: tier, at: where(nameLine) },
      description: {
        value: descriptionLines.map((d) => d.text).join(' '),
        at: where(descriptionLines[0] ?? nameLine),
      },
      expected,
    });
    if (competencies.length > MAX_COMPETENCIES) {
      return fail(
        nameLine.line,
        `${tooMany('competency', nameLine.text, framework, MAX_COMPETENCIES)}; the rest of the page was not read`,
      );
    }
  }

  if (problems.length === 0 && competencies.length !== count) {
    problems.push({
      file,
      line: headerLine.line,
      message: `the page says ${count} ${count === 1 ? 'competency' : 'competencies'} here, but ${competencies.length} were found: is the page complete?`,
    });
  }
  if (problems.length > 0) return { problems };
  return {
    draft: {
      role: { name: roleLine.text, at: where(roleLine) },
      domain: { name: domain, at: where(headerLine) },
      levels,
      competencies,
      scale,
      files: [file],
    },
    problems,
  };
}

/** A line of the list of levels: short, and not a sentence. */
function isLevelLine(text: string): boolean {
  return text.length <= 70 && !/[.?!:;,]$/.test(text) && !QUESTION.test(text) && !HEADER.test(text);
}

// ---------------------------------------------------------------------------------------------
// HTML

const BLOCK_TAGS = new Set(
  'address article aside blockquote br dd div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul button'.split(
    ' ',
  ),
);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * The text of an HTML page, line by line, as a browser would lay it out roughly: block elements
 * start new lines, inline ones run together. Each line keeps the line of the HTML it starts on.
 * Scripts, styles, the head and comments are dropped.
 */
export function htmlToLines(html: string): PageLine[] {
  const out: PageLine[] = [];
  let current = '';
  let currentLine = 1;
  let line = 1;
  const flush = () => {
    if (current.trim() !== '') out.push({ text: current.trim(), line: currentLine });
    current = '';
  };
  const addText = (raw: string, startLine: number) => {
    const text = decodeEntities(raw.replace(/\s+/g, ' '));
    if (current.trim() === '' && text.trim() !== '') {
      // The line starts at the first character that shows.
      const lead = raw.length - raw.trimStart().length;
      currentLine = startLine + (raw.slice(0, lead).match(/\n/g)?.length ?? 0);
    }
    current += text;
  };
  const token =
    /<!--[\s\S]*?-->|<(script|style|head|template|noscript)\b[\s\S]*?<\/\1\s*>|<\/?([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>|<![^>]*>/gi;
  let last = 0;
  for (let m = token.exec(html); m; m = token.exec(html)) {
    addText(html.slice(last, m.index), line);
    line += html.slice(last, m.index).match(/\n/g)?.length ?? 0;
    const tag = (m[2] ?? '').toLowerCase();
    if (BLOCK_TAGS.has(tag)) flush();
    line += m[0].match(/\n/g)?.length ?? 0;
    last = m.index + m[0].length;
  }
  addText(html.slice(last), line);
  flush();
  return out;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X'))
      return safeCodePoint(Number.parseInt(name.slice(2), 16), whole);
    if (name.startsWith('#')) return safeCodePoint(Number.parseInt(name.slice(1), 10), whole);
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function safeCodePoint(n: number, fallback: string): string {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : fallback;
}

/** True when the text is HTML rather than plain text. */
export function looksLikeHtml(text: string): boolean {
  return /^\s*(?:\uFEFF)?\s*(?:<!doctype html|<html|<head|<body|<div|<main|<section|<p[\s>])/i.test(text);
}
