import {
  type DraftCompetency,
  type DraftFramework,
  type Fact,
  type ImportProblem,
  keyOf,
  placeOf,
  quote,
} from './draft.js';

/**
 * Joins what several inputs (rows of one table, or pages of one role at different levels) say about
 * the same role in the same domain. Facts (categories, tiers, expected levels, scale labels, the
 * order of the levels) must agree, and a disagreement names both places. Texts (descriptions and
 * summaries) either must agree too (rows of one table) or the first one is kept, with a note.
 */

export type TextPolicy = 'must-agree' | 'keep-first';

export type MergeResult = { frameworks: DraftFramework[]; problems: ImportProblem[]; notes: ImportProblem[] };

/** The key of the framework a draft belongs to: its role and its domain. */
export function frameworkKey(d: Pick<DraftFramework, 'role' | 'domain'>): string {
  return `${keyOf(d.role.name)}\u0000${keyOf(d.domain.name)}`;
}

/** Merges the drafts of the same role and domain; the others are kept apart, in the order first seen. */
export function mergeDrafts(drafts: readonly DraftFramework[], texts: TextPolicy): MergeResult {
  const byKey = new Map<string, DraftFramework>();
  const problems: ImportProblem[] = [];
  const notes: ImportProblem[] = [];
  for (const draft of drafts) {
    const key = frameworkKey(draft);
    const into = byKey.get(key);
    if (into) mergeInto(into, draft, texts, problems, notes);
    else byKey.set(key, copyDraft(draft));
  }
  return { frameworks: [...byKey.values()], problems, notes };
}

/** Adds what `from` says to `into` (both about the same role and domain). */
export function mergeInto(
  into: DraftFramework,
  from: DraftFramework,
  texts: TextPolicy,
  problems: ImportProblem[],
  notes: ImportProblem[],
): void {
  const text = (what: string, kept: Fact<string> | undefined, other: Fact<string> | undefined) => {
    if (!kept || !other || kept.value === other.value) return;
    const message = `${what} differs from the one on ${placeOf(kept.at, other.at.file)}`;
    if (texts === 'must-agree') {
      const advice = what.startsWith('the description')
        ? 'write it the same way on every row of this competency'
        : 'give it on one row only, or the same way on every row';
      problems.push({ ...other.at, message: `${message}: ${advice}` });
    } else {
      notes.push({
        ...other.at,
        message: `${message}; the one on ${placeOf(kept.at, other.at.file)} is kept`,
      });
    }
  };

  for (const file of from.files) if (!into.files.includes(file)) into.files.push(file);

  text('the role summary', into.role.summary, from.role.summary);
  into.role.summary ??= from.role.summary;

  mergeLevels(into, from, problems, text);

  for (const c of from.competencies) {
    const same = into.competencies.find((k) => keyOf(k.name) === keyOf(c.name));
    if (!same) {
      into.competencies.push(copyCompetency(c));
      continue;
    }
    const fact = (what: string, a: Fact<string | number>, b: Fact<string | number>) => {
      if (a.value === b.value) return;
      problems.push({
        ...b.at,
        message: `${quote(c.name)} has the ${what} ${quote(String(b.value))} here but ${quote(String(a.value))} on ${placeOf(a.at, b.at.file)}: a competency has one ${what}, so make them the same`,
      });
    };
    fact('category', same.category, c.category);
    fact('tier', same.tier, c.tier);
    text(`the description of ${quote(c.name)}`, same.description, c.description);
    for (const [level, expected] of c.expected) {
      const known = same.expected.get(level);
      if (!known) {
        same.expected.set(level, expected);
      } else if (known.value !== expected.value) {
        const name = into.levels.find((l) => keyOf(l.name) === level)?.name ?? level;
        problems.push({
          ...expected.at,
          message: `${quote(c.name)} expects ${expected.value} at ${quote(name)} here but ${known.value} on ${placeOf(known.at, expected.at.file)}: the same competency and level need the same expected level`,
        });
      }
    }
  }

  for (const [value, label] of from.scale) {
    const known = into.scale.get(value);
    if (!known) into.scale.set(value, label);
    else if (known.value !== label.value) {
      problems.push({
        ...label.at,
        message: `the scale label of ${value} is ${quote(label.value)} here but ${quote(known.value)} on ${placeOf(known.at, label.at.file)}: each value of the 1–5 scale has one label`,
      });
    }
  }
}

/**
 * Adds the levels of `from` that `into` lacks, each next to the levels it follows or precedes in
 * `from`, and reports two levels listed in opposite orders.
 */
function mergeLevels(
  into: DraftFramework,
  from: DraftFramework,
  problems: ImportProblem[],
  text: (what: string, kept: Fact<string> | undefined, other: Fact<string> | undefined) => void,
): void {
  const indexOf = (name: string) => into.levels.findIndex((l) => keyOf(l.name) === keyOf(name));
  /** Where the previous level of `from` is in `into`; -1 before the first. */
  let anchor = -1;
  from.levels.forEach((level, i) => {
    const at = indexOf(level.name);
    if (at >= 0) {
      const known = into.levels[at];
      if (known) {
        text(`the summary of the level ${quote(level.name)}`, known.summary, level.summary);
        known.summary ??= level.summary;
        if (known.track && level.track && keyOf(known.track.value) !== keyOf(level.track.value)) {
          problems.push({
            ...level.track.at,
            message: `the level ${quote(level.name)} is on the track ${quote(level.track.value)} here but on ${quote(known.track.value)} on ${placeOf(known.track.at, level.track.at.file)}: a level belongs to one track`,
          });
        }
        known.track ??= level.track;
      }
      if (at < anchor) {
        const before = into.levels[anchor];
        problems.push({
          ...level.at,
          message: `the levels are in another order here (${quote(level.name)} comes after ${quote(before?.name ?? '')}) than on ${placeOf(before?.at ?? level.at, level.at.file)}: list the levels in the same order, most junior first`,
        });
      } else {
        anchor = at;
      }
      return;
    }
    let insertAt: number;
    if (anchor >= 0) insertAt = anchor + 1;
    else {
      // Before the first level that both know, or at the end when there is none.
      const next = from.levels.slice(i + 1).find((l) => indexOf(l.name) >= 0);
      insertAt = next ? indexOf(next.name) : into.levels.length;
    }
    into.levels.splice(insertAt, 0, { ...level });
    anchor = insertAt;
  });
}

function copyCompetency(c: DraftCompetency): DraftCompetency {
  return { ...c, expected: new Map(c.expected) };
}

function copyDraft(d: DraftFramework): DraftFramework {
  return {
    role: { ...d.role },
    domain: { ...d.domain },
    levels: d.levels.map((l) => ({ ...l })),
    competencies: d.competencies.map(copyCompetency),
    scale: new Map(d.scale),
    files: [...d.files],
  };
}
