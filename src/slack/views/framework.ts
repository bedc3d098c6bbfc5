import type { Button, KnownBlock, SectionBlock } from '@slack/types';
import { type Competency, expectedAt, type Framework, type Level } from '../../frameworks/schema.js';
import {
  hasTracks,
  laddersOf,
  ladderThrough,
  nextLevels,
  sharedLevels,
  trackOf,
} from '../../frameworks/tracks.js';
import { ActionId } from '../ids.js';
import { encodeValue } from '../values.js';
import { rateButton } from './assessment.js';
import { blockTextLength, MESSAGE_TEXT_BUDGET } from './budget.js';
import { bar, escapeText, link, truncate } from './mrkdwn.js';
import type { Message } from './types.js';

/** `Advanced (4/5)`, the way the source frameworks show an expected level. */
export function levelLabel(framework: Framework, value: number): string {
  const step = framework.scale.find((s) => s.value === value);
  return `${step?.label ?? 'Level'} (${value}/5)`;
}

/** The text to look a framework up again, e.g. `solutions-architect senior e-commerce`. */
export function frameworkQuery(framework: Framework, level: Level): string {
  return `${framework.role.id} ${level.id} ${framework.domain.id}`;
}

/**
 * A button that shows the framework at `level` (the level's name unless told otherwise): the one shape
 * of every "go to this level" button, in answers, the list, find results and comparisons.
 */
export function showLevelButton(framework: Framework, level: Level, text: string = level.name): Button {
  return {
    type: 'button',
    action_id: `${ActionId.showFramework}:${level.id}`,
    text: { type: 'plain_text', text: truncate(text, 75) },
    value: frameworkQuery(framework, level),
  };
}

type Layout = {
  /** `full`: `Mid-Level: Developing (2/5) → …`; `compact`: `Levels: 2 → *4* → 5`, for very large frameworks. */
  levels: 'full' | 'compact';
  descriptionMax: number;
};

/**
 * `Mid-Level: Developing (2/5) → *Senior: Advanced (4/5)* → Lead-Principal: Expert (5/5)`: the ladder
 * the level is on (its track's, when the framework has tracks); for a level below the fork, the
 * shared levels and then the first level of each track (`… → then A: … or B: …`).
 */
function levelsLine(framework: Framework, competency: Competency, current: Level, layout: Layout): string {
  const part = (level: Level) => {
    const value = expectedAt(competency, level.id);
    const shown =
      value === undefined
        ? '–'
        : layout.levels === 'full'
          ? escapeText(levelLabel(framework, value))
          : String(value);
    const text = layout.levels === 'full' ? `${escapeText(level.name)}: ${shown}` : shown;
    return level.id === current.id ? `*${text}*` : text;
  };
  const ladder = ladderThrough(framework, current);
  const parts = ladder.map(part);
  const fork = forkAfter(framework, ladder);
  if (fork.length > 0) parts.push(`then ${fork.map(part).join(' or ')}`);
  return layout.levels === 'full' ? parts.join(' → ') : `Levels: ${parts.join(' → ')}`;
}

/** The first level of each track, after a ladder of shared levels; none after a track's own ladder. */
function forkAfter(framework: Framework, ladder: readonly Level[]): Level[] {
  const last = ladder.at(-1);
  if (last === undefined || last.track !== undefined || !hasTracks(framework)) return [];
  return nextLevels(framework, last);
}

/**
 * `Junior → Engineer → Senior 1, then Individual Contributor: … → …; People Manager: … → …`: the
 * ladders in words. `write` writes a name (escaped for mrkdwn unless told otherwise: a fallback is
 * escaped as a whole); `levelText` a level (its name, by default).
 */
export function laddersLine(
  framework: Framework,
  write: (text: string) => string = escapeText,
  levelText: (level: Level) => string = (level) => write(level.name),
): string {
  const shared = sharedLevels(framework).map(levelText);
  if (!hasTracks(framework)) return shared.join(' → ');
  const tracks = laddersOf(framework).map(
    ({ track, levels }) =>
      `${write(track?.name ?? '')}: ${levels
        .filter((l) => l.track !== undefined)
        .map(levelText)
        .join(' → ')}`,
  );
  return `${shared.length > 0 ? `${shared.join(' → ')}, then ` : ''}${tracks.join('; ')}`;
}

function competencySection(
  framework: Framework,
  competency: Competency,
  level: Level,
  layout: Layout,
): SectionBlock {
  const expected = expectedAt(competency, level.id);
  const lines = [
    `*${escapeText(competency.name)}*  ·  _${escapeText(competency.category)}_`,
    escapeText(truncate(competency.description, layout.descriptionMax)),
    expected === undefined
      ? `Expected at ${escapeText(level.name)}: not given`
      : `Expected at ${escapeText(level.name)}: *${escapeText(levelLabel(framework, expected))}*  ${bar(expected)}`,
  ];
  if (framework.levels.length > 1) lines.push(levelsLine(framework, competency, level, layout));
  return { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } };
}

/**
 * The answer to `/competency <role> <level>`: the role summary, then the primary competencies and
 * the supporting ones, each with its expected level at the chosen level and its neighbours.
 */
export type FrameworkMessageOptions = {
  /** Show the Rate yourself button; with progress, it says how far the person got. */
  rate?: { progress: { position: number; total: number } | undefined };
};

/**
 * Frameworks do not change once loaded, so each answer is built once and kept: the command that
 * everyone types answers from this cache. Keyed by the framework object, so a reload starts afresh.
 * The messages are frozen: callers copy, never change them.
 */
const answers = new WeakMap<Framework, Map<string, Message>>();

export function frameworkMessage(
  framework: Framework,
  level: Level,
  options: FrameworkMessageOptions = {},
): Message {
  const progress = options.rate?.progress;
  const key = `${level.id}|${options.rate ? (progress ? `${progress.position}/${progress.total}` : 'rate') : 'plain'}`;
  let cache = answers.get(framework);
  if (!cache) {
    cache = new Map();
    answers.set(framework, cache);
  }
  let message = cache.get(key);
  if (!message) {
    message = deepFreeze(fitFrameworkMessage(framework, level, options));
    cache.set(key, message);
  }
  return message;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function fitFrameworkMessage(framework: Framework, level: Level, options: FrameworkMessageOptions): Message {
  // Most frameworks fit as they are. Very large ones first get a shorter line of levels, then
  // evenly shortened descriptions, so that the message stays within Slack's limits.
  const full = buildFrameworkMessage(
    framework,
    level,
    { levels: 'full', descriptionMax: Number.POSITIVE_INFINITY },
    options,
  );
  if (blockTextLength(full.blocks) <= MESSAGE_TEXT_BUDGET) return full;
  const compact = buildFrameworkMessage(
    framework,
    level,
    { levels: 'compact', descriptionMax: Number.POSITIVE_INFINITY },
    options,
  );
  const compactLength = blockTextLength(compact.blocks);
  if (compactLength <= MESSAGE_TEXT_BUDGET) return compact;
  const descriptions = framework.competencies.reduce((sum, c) => sum + c.description.length, 0);
  const room = MESSAGE_TEXT_BUDGET - (compactLength - descriptions);
  const descriptionMax = Math.max(40, Math.floor(room / framework.competencies.length));
  return buildFrameworkMessage(framework, level, { levels: 'compact', descriptionMax }, options);
}

function buildFrameworkMessage(
  framework: Framework,
  level: Level,
  layout: Layout,
  options: FrameworkMessageOptions,
): Message {
  const primary = framework.competencies.filter((c) => c.tier === 'primary');
  const supporting = framework.competencies.filter((c) => c.tier === 'supporting');
  const title = `${framework.role.name} · ${level.name}`;
  const summary = level.summary
    ? `${escapeText(framework.role.summary)}\n_At ${escapeText(level.name)}:_ ${escapeText(level.summary)}`
    : escapeText(framework.role.summary);
  const scale = framework.scale.map((s) => `${s.value} ${escapeText(s.label)}`).join(' · ');
  const track = trackOf(framework, level);

  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(title, 150), emoji: true } },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*${escapeText(framework.domain.name)}*  ·  ${summary}` },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${track ? `Track: ${escapeText(track.name)}  ·  ` : ''}${framework.competencies.length} competencies (${primary.length} primary, ${supporting.length} supporting)  ·  Scale: ${scale}${
            layout.levels === 'compact' ? `  ·  Levels: ${laddersLine(framework)}` : ''
          }`,
        },
      ],
    },
  ];
  for (const [heading, group] of [
    ['Primary competencies', primary],
    ['Supporting competencies', supporting],
  ] as const) {
    if (group.length === 0) continue;
    blocks.push({ type: 'divider' });
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${heading}*` } });
    for (const competency of group) blocks.push(competencySection(framework, competency, level, layout));
  }

  const otherLevels = framework.levels.filter((l) => l.id !== level.id);
  const start = encodeValue({ f: framework.id, l: level.id });
  const rate: Button[] = options.rate
    ? [
        rateButton(framework.id, level.id, options.rate.progress),
        {
          type: 'button',
          action_id: ActionId.rateAll,
          text: { type: 'plain_text', text: 'Rate all at once' },
          value: start,
        },
      ]
    : [];
  if (framework.levels.length > 1) {
    rate.push({
      type: 'button',
      action_id: ActionId.compareLevels,
      text: { type: 'plain_text', text: 'Compare levels' },
      value: start,
    });
  }
  const buttons = otherLevels
    .slice(0, 24 - rate.length)
    .map((other) => showLevelButton(framework, other, `See ${other.name}`));
  blocks.push({ type: 'divider' });
  if (rate.length + buttons.length > 0) {
    blocks.push({ type: 'actions', block_id: 'framework_actions', elements: [...rate, ...buttons] });
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: sourceLine(framework) }],
  });

  // The fallback text is read as mrkdwn too, so it is escaped like the blocks.
  const text = escapeText(
    `${title} (${framework.domain.name}): ${framework.competencies
      .map((c) => {
        const expected = expectedAt(c, level.id);
        return `${c.name} ${expected === undefined ? 'not given' : levelLabel(framework, expected)}`;
      })
      .join('; ')}`,
  );
  return { text: truncate(text, 3000), blocks };
}

function sourceLine(framework: Framework): string {
  const source = framework.source;
  const from = source.publisher ? `${source.title}, ${source.publisher}` : source.title;
  const date = source.date ? `, ${source.date}` : '';
  // The link is kept whole (a cut link would show its markup); the text before it gives way.
  const sourceLink = source.url ? ` (${link(source.url, 'source')})` : '';
  const shown = sourceLink.length <= 1000 ? sourceLink : ' (source)';
  return `${truncate(
    `Framework version ${escapeText(framework.version)} · based on ${escapeText(from)}${date}`,
    2000 - shown.length,
  )}${shown}`;
}
