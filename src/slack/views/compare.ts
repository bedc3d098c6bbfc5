import type { KnownBlock, SectionBlock } from '@slack/types';
import type { LastRole } from '../../assessments/assessments.js';
import { type Competency, expectedAt, type Framework, type Level } from '../../frameworks/schema.js';
import {
  hasTracks,
  laddersOf,
  nextLevels,
  sharedLevels,
  stepsOf as stepsBetween,
  trackOf,
} from '../../frameworks/tracks.js';
import { blockTextLength, MESSAGE_TEXT_BUDGET } from './budget.js';
import { laddersLine, levelLabel, showLevelButton } from './framework.js';
import { compareButton, everyFrameworkButton } from './help.js';
import { code, escapeText, truncate } from './mrkdwn.js';
import { COMMAND, type Message } from './types.js';

/**
 * `/competency compare` with no role: the person's last role and level as a button ("Compare
 * Solutions Architect levels"); with none, how to ask, with an example from a real framework, and a
 * button to the list of frameworks.
 */
export function compareUsageMessage(frameworks: readonly Framework[], last: LastRole | undefined): Message {
  const example = frameworks[0]?.role.id ?? 'solutions-architect';
  const how = `${code(`${COMMAND} compare <role>`)} shows every level of a role side by side, and what changes from one to the next, e.g. ${code(`${COMMAND} compare ${example}`)}.`;
  if (last) {
    const role = last.framework.role.name;
    const text = `Compare the levels of which role? Yours last was *${escapeText(role)} · ${escapeText(last.level.name)}* (${escapeText(last.framework.domain.name)}).`;
    return {
      text: `Compare the levels of which role? Yours last was ${escapeText(role)} · ${escapeText(last.level.name)}.`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text } },
        {
          type: 'actions',
          block_id: 'compare_usage',
          elements: [
            { ...compareButton(last.framework, last.level.id, `Compare ${role} levels`), style: 'primary' },
            everyFrameworkButton(),
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: how }] },
      ],
    };
  }
  return {
    text: `Type ${COMMAND} compare and a role, e.g. ${COMMAND} compare ${example}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: how } },
      { type: 'actions', block_id: 'compare_usage', elements: [everyFrameworkButton()] },
    ],
  };
}

/**
 * The answer to "Compare levels" and `/competency compare <role>`: every competency with its expected
 * level at each level side by side, then what changes from one level to the next. A framework with
 * career tracks shows one ladder per track, side by side, and every step follows a ladder: from a level
 * to the next on its track (at the fork, to the first level of each track), never across tracks.
 *
 * The caller adds its own buttons, so this leaves room for them: a few blocks under Slack's 50, and
 * block text under MESSAGE_TEXT_BUDGET.
 */

/** Slack allows 50 blocks in a message; the caller may add a divider, buttons and a context line. */
const MAX_BLOCKS = 45;
const SECTION_TEXT_MAX = 3000;
const CONTEXT_TEXT_MAX = 3000;

type Layout = {
  /**
   * How the side-by-side line names each level: `name` (`Mid-Level 2 · Senior 4`), `id`
   * (`mid-level 2 · senior 4`), or `value` (`2 → 4`, with the order of levels given once at the top).
   * `values` is `value` on one line even where there are tracks: the shared levels, then each
   * track's in the order the top lists them, apart by `|` (`1 → 2 ▸ 3 → 4 | 3 → 3`).
   */
  levels: 'name' | 'id' | 'value' | 'values';
  /** How a change is shown: `label` (`Advanced (4/5) → Expert (5/5)`) or `value` (`4 → 5`). */
  changes: 'label' | 'value';
  /** How many competencies get a side-by-side line; the rest are counted in a note. */
  competencies: number;
  /** How many rises (and how many falls) each step lists; the rest are counted in a note. */
  perStep: number;
};

/** One competency's move from one level to the next. */
type Change = { competency: Competency; before: number; after: number; delta: number };

/** From one level to the next: what rises (largest first), what falls, and how many stay. */
type Step = { from: Level; to: Level; rises: Change[]; falls: Change[]; unchanged: number };

/** The comparison, with a button per level to go to that level's framework answer. */
export function compareWithButtons(framework: Framework, from: Level | undefined): Message {
  const message = compareMessage(framework, from);
  const buttons = framework.levels
    .slice(0, 25)
    .map((level) => showLevelButton(framework, level, `See ${level.name}`));
  return {
    text: message.text,
    blocks: [
      ...message.blocks.slice(0, 49),
      { type: 'actions', block_id: 'compare_actions', elements: buttons },
    ],
  };
}

export function compareMessage(framework: Framework, from?: Level): Message {
  const ordered = [
    ...framework.competencies.filter((c) => c.tier === 'primary'),
    ...framework.competencies.filter((c) => c.tier === 'supporting'),
  ];
  const known = from ? framework.levels.find((l) => l.id === from.id) : undefined;
  // A level with a next one gives the steps from it (one, or one per track at a fork); otherwise every step.
  const following = known ? nextLevels(framework, known) : [];
  const pairs =
    known && following.length > 0 ? following.map((to) => ({ from: known, to })) : stepsBetween(framework);
  const steps = changesOf(ordered, pairs);
  const topLevel = known && following.length === 0 ? known : undefined;
  const input: Input = { framework, ordered, steps, topLevel };

  // Try the fullest layouts first, then shorter ways of writing the same thing, and only then
  // leave lines out (with a note saying how many), until the message fits.
  const all = ordered.length;
  const styles: [Layout['levels'], Layout['changes']][] = [
    ['name', 'label'],
    ['id', 'label'],
    ['name', 'value'],
    ['id', 'value'],
    ['value', 'value'],
    ['values', 'value'],
  ];
  for (const [levels, changes] of styles) {
    const message = build(input, { levels, changes, competencies: all, perStep: all });
    if (fits(message)) return message;
  }
  for (let perStep = all - 1; perStep >= 0; perStep--) {
    const message = build(input, { levels: 'values', changes: 'value', competencies: all, perStep });
    if (fits(message)) return message;
  }
  for (let competencies = all - 1; competencies > 0; competencies--) {
    const message = build(input, { levels: 'values', changes: 'value', competencies, perStep: 0 });
    if (fits(message)) return message;
  }
  return build(input, { levels: 'values', changes: 'value', competencies: 0, perStep: 0 });
}

type Input = {
  framework: Framework;
  /** Primary competencies first, then supporting, each in the framework's order. */
  ordered: Competency[];
  steps: Step[];
  /** Set when the caller asked to compare from the most senior level, which has no next step. */
  topLevel: Level | undefined;
};

function fits(message: Message): boolean {
  return message.blocks.length <= MAX_BLOCKS && blockTextLength(message.blocks) <= MESSAGE_TEXT_BUDGET;
}

function changesOf(ordered: Competency[], pairs: readonly { from: Level; to: Level }[]): Step[] {
  return pairs.map(({ from, to }) => {
    const changes = ordered.map((competency): Change => {
      const before = expectedAt(competency, from.id) ?? 0;
      const after = expectedAt(competency, to.id) ?? 0;
      return { competency, before, after, delta: after - before };
    });
    // Array.prototype.sort is stable, so equal changes keep the framework's order.
    const rises = changes.filter((c) => c.delta > 0).sort((a, b) => b.delta - a.delta);
    const falls = changes.filter((c) => c.delta < 0).sort((a, b) => a.delta - b.delta);
    return { from, to, rises, falls, unchanged: changes.length - rises.length - falls.length };
  });
}

function build(input: Input, layout: Layout): Message {
  const { framework, ordered, steps } = input;
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(`Compare levels · ${framework.role.name}`, 150),
        emoji: true,
      },
    },
    contextBlock(framework, layout),
    { type: 'divider' },
  ];

  // Side by side, primary competencies first, then supporting.
  const shown = ordered.slice(0, layout.competencies);
  const hidden = ordered.length - shown.length;
  for (const [heading, tier] of [
    ['Primary competencies', 'primary'],
    ['Supporting competencies', 'supporting'],
  ] as const) {
    const group = shown.filter((c) => c.tier === tier);
    if (group.length === 0) continue;
    const items = [`*${heading}*`, ...group.map((c) => sideBySide(framework, c, layout))];
    blocks.push(...packSections(items, '\n\n'));
  }
  if (hidden > 0) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `…and ${hidden} more ${hidden === 1 ? 'competency' : 'competencies'} not shown here, to keep the message within Slack's limits.`,
        },
      ],
    });
  }

  blocks.push({ type: 'divider' });
  if (framework.levels.length < 2) {
    const only = framework.levels[0];
    const name = only ? ` (${escapeText(only.name)})` : '';
    blocks.push(
      section(
        `*What changes between levels*\nThis framework has a single level${name}, so there is nothing to compare.`,
      ),
    );
  } else {
    if (input.topLevel) {
      const track = trackOf(framework, input.topLevel);
      const where = track ? ` of the ${escapeText(track.name)} track` : '';
      blocks.push(
        section(
          `_${escapeText(input.topLevel.name)} is the most senior level${where}, so here is every step from one level to the next._`,
        ),
      );
    }
    for (const step of steps) blocks.push(...packSections(stepLines(framework, step, layout), '\n'));
  }

  return { text: fallbackText(framework, steps), blocks };
}

/** The domain, the order of the levels (ladder by ladder) and the scale, in one context block. */
function contextBlock(framework: Framework, layout: Layout): KnownBlock {
  const levels = laddersLine(framework, escapeText, (l) =>
    layout.levels === 'id' ? `${escapeText(l.name)} (${l.id})` : escapeText(l.name),
  );
  const scale = framework.scale.map((s) => `${s.value} ${escapeText(s.label)}`).join(' · ');
  const howToRead =
    layout.levels === 'values' && hasTracks(framework)
      ? ' (each competency below gives its values in this order: the shared levels, ▸, then each track apart by |)'
      : '';
  return {
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: truncate(`*${escapeText(framework.domain.name)}*`, CONTEXT_TEXT_MAX) },
      { type: 'mrkdwn', text: truncate(`Levels: ${levels}${howToRead}`, CONTEXT_TEXT_MAX) },
      { type: 'mrkdwn', text: truncate(`Scale: ${scale}`, CONTEXT_TEXT_MAX) },
    ],
  };
}

/**
 * `*Composable Commerce Strategy*  ·  _strategic_\nMid-Level 2 · Senior 4 · Lead-Principal 5`; with
 * tracks, the shared levels on one line and each track's levels on a line of its own, side by side.
 */
function sideBySide(framework: Framework, competency: Competency, layout: Layout): string {
  const line = (levels: readonly Level[]) =>
    levels
      .map((level) => {
        const value = String(expectedAt(competency, level.id) ?? '–');
        if (layout.levels === 'name') return `${escapeText(level.name)} ${value}`;
        if (layout.levels === 'id') return `${level.id} ${value}`;
        return value;
      })
      .join(layout.levels === 'value' || layout.levels === 'values' ? ' → ' : ' · ');
  const trackLevels = (levels: readonly Level[]) => levels.filter((l) => l.track !== undefined);
  if (layout.levels === 'values' && hasTracks(framework)) {
    const shared = sharedLevels(framework);
    const ladders = laddersOf(framework)
      .map(({ levels }) => line(trackLevels(levels)))
      .join(' | ');
    const values = shared.length > 0 ? `${line(shared)} ▸ ${ladders}` : ladders;
    return `*${escapeText(competency.name)}*  ·  _${escapeText(competency.category)}_\n${values}`;
  }
  const lines = hasTracks(framework)
    ? [
        ...(sharedLevels(framework).length > 0 ? [line(sharedLevels(framework))] : []),
        ...laddersOf(framework).map(
          ({ track, levels }) => `${escapeText(track?.name ?? '')}: ${line(trackLevels(levels))}`,
        ),
      ]
    : [line(framework.levels)];
  return `*${escapeText(competency.name)}*  ·  _${escapeText(competency.category)}_\n${lines.join('\n')}`;
}

/** The heading of one step, its rises and its falls, one line each. */
function stepLines(framework: Framework, step: Step, layout: Layout): string[] {
  const from = escapeText(step.from.name);
  const to = escapeText(step.to.name);
  const total = step.rises.length + step.falls.length + step.unchanged;
  const lines = [`*What changes from ${from} to ${to}*`];
  if (step.rises.length === 0 && step.falls.length === 0) {
    lines.push(`Nothing rises from ${from} to ${to}: every expectation stays the same.`);
    return lines;
  }
  if (step.rises.length === 0) {
    lines.push(`Nothing rises from ${from} to ${to}.`);
  } else {
    const what = total === 1 ? 'competency rises' : 'competencies rise';
    lines.push(`${step.rises.length} of ${total} ${what}:`);
    lines.push(...changeLines(framework, step.rises, layout));
  }
  if (step.falls.length > 0) {
    const what = step.falls.length === 1 ? 'competency is' : 'competencies are';
    lines.push(`${step.falls.length} ${what} expected lower at ${to} than at ${from}:`);
    lines.push(...changeLines(framework, step.falls, layout));
  }
  return lines;
}

/** `• Composable Commerce Strategy: Advanced (4/5) → Expert (5/5), +1`, up to the layout's limit. */
function changeLines(framework: Framework, changes: Change[], layout: Layout): string[] {
  const value = (v: number) =>
    layout.changes === 'label' ? escapeText(levelLabel(framework, v)) : String(v);
  const lines = changes.slice(0, layout.perStep).map((c) => {
    const sign = c.delta > 0 ? '+' : '−';
    return `• ${escapeText(c.competency.name)}: ${value(c.before)} → ${value(c.after)}, ${sign}${Math.abs(c.delta)}`;
  });
  const rest = changes.length - lines.length;
  if (rest > 0) {
    const where = layout.competencies > 0 ? ' (see the levels side by side above)' : '';
    lines.push(lines.length === 0 ? `_Not listed here${where}._` : `_…and ${rest} more${where}._`);
  }
  return lines;
}

/** Joins items into as few section blocks as fit Slack's 3000-character limit on section text. */
function packSections(items: string[], separator: string): SectionBlock[] {
  const texts: string[] = [];
  let current = '';
  for (const raw of items) {
    const item = truncate(raw, SECTION_TEXT_MAX);
    if (current === '') current = item;
    else if (current.length + separator.length + item.length <= SECTION_TEXT_MAX) {
      current += separator + item;
    } else {
      texts.push(current);
      current = item;
    }
  }
  if (current !== '') texts.push(current);
  return texts.map(section);
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/**
 * For notifications and screen readers: which levels, and per step how many competencies rise and
 * the largest rise. Escaped, because Slack reads the fallback as mrkdwn too.
 */
function fallbackText(framework: Framework, steps: Step[]): string {
  const head = `Compare levels · ${framework.role.name} (${framework.domain.name}): ${laddersLine(framework, (name) => name)}.`;
  const parts = steps.map((step) => {
    const top = step.rises[0];
    const rises =
      step.rises.length === 0
        ? 'nothing rises'
        : `${step.rises.length} ${step.rises.length === 1 ? 'competency rises' : 'competencies rise'}, most ${top?.competency.name} (+${top?.delta})`;
    const falls = step.falls.length > 0 ? `, ${step.falls.length} fall` : '';
    return `From ${step.from.name} to ${step.to.name}: ${rises}${falls}.`;
  });
  if (framework.levels.length < 2) parts.push('A single level, so there is nothing to compare.');
  return truncate(escapeText([head, ...parts].join(' ')), 3000);
}
