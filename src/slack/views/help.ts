import type { Button, KnownBlock } from '@slack/types';
import type { LastRole } from '../../assessments/assessments.js';
import type { Framework } from '../../frameworks/schema.js';
import { ActionId } from '../ids.js';
import { type ButtonCommand, encodeValue } from '../values.js';
import { rateButton } from './assessment.js';
import { exampleSearch } from './find.js';
import { showLevelButton } from './framework.js';
import { code, escapeText, truncate } from './mrkdwn.js';
import { COMMAND, type Message } from './types.js';

/** The framework and level an example shows: the second level of the first framework. */
function exampleOf(frameworks: readonly Framework[]) {
  const framework = frameworks[0];
  const level = framework?.levels[Math.min(1, framework.levels.length - 1)];
  return framework && level ? { framework, level } : undefined;
}

/** An example command built from a real framework, so the help never suggests something that fails. */
function example(frameworks: readonly Framework[]): string {
  const found = exampleOf(frameworks);
  if (!found) return `${COMMAND} solutions-architect senior`;
  return `${COMMAND} ${found.framework.role.id} ${found.level.id}`;
}

/** A button that runs a command as if typed (`command_run:<command>`); see ActionId.runCommand. */
export function commandButton(command: ButtonCommand, text: string, q?: string): Button {
  return {
    type: 'button',
    action_id: `${ActionId.runCommand}:${command}`,
    text: { type: 'plain_text', text: truncate(text, 75) },
    value: encodeValue({ c: command, ...(q === undefined ? {} : { q }) }),
  };
}

/** See every framework: the first page of the list. */
export function everyFrameworkButton(text = 'See every framework'): Button {
  return {
    type: 'button',
    action_id: ActionId.listPage,
    text: { type: 'plain_text', text },
    value: '1',
  };
}

/** My history. */
export function historyButton(text = 'My history'): Button {
  return { type: 'button', action_id: ActionId.showHistory, text: { type: 'plain_text', text } };
}

/** Compare the levels of a framework, from one of them. */
export function compareButton(framework: Framework, levelId: string, text = 'Compare levels'): Button {
  return {
    type: 'button',
    action_id: ActionId.compareLevels,
    text: { type: 'plain_text', text: truncate(text, 75) },
    value: encodeValue({ f: framework.id, l: levelId }),
  };
}

/**
 * Rate yourself on the person's last role and level: Continue rating (3 of 8) when a run is in
 * progress, Rate yourself again when they finished one (a new run) — Rate again against version X
 * when the framework has a newer version than the one they rated against — else Rate yourself.
 */
export function lastRoleRateButton(last: LastRole): Button {
  if (last.progress || !last.latest) {
    return rateButton(last.framework.id, last.level.id, last.progress);
  }
  return {
    type: 'button',
    action_id: ActionId.startAssessment,
    style: 'primary',
    text: {
      type: 'plain_text',
      text:
        last.latest.frameworkVersion === last.framework.version
          ? 'Rate yourself again'
          : truncate(`Rate again against version ${last.framework.version}`, 75),
    },
    value: encodeValue({ f: last.framework.id, l: last.level.id, r: 1 }),
  };
}

/**
 * The answer to `/competency` and `/competency help`: what the app does, a button for everything a
 * person can do from here (their last role and level when there is one: see it, rate, continue;
 * their history; the reviews they asked for; every framework), and the commands that take words,
 * with examples. `intro`: a line above it all.
 */
export function helpMessage(
  frameworks: readonly Framework[],
  options: { intro?: string; last?: LastRole | undefined } = {},
): Message {
  const { intro, last } = options;
  const ex = example(frameworks);
  const usage = [
    `${code(`${COMMAND} <role> <level>`)}  what a role expects at a level, e.g. ${code(ex)}; add the domain when a role has several`,
    `${code(`${COMMAND} find <words>`)}  frameworks and competencies with those words, e.g. ${code(exampleSearch(frameworks))}`,
    `${code(`${COMMAND} list 2`)}  a page of every framework and its levels (the button shows the first)`,
    `${code(`${COMMAND} compare <role>`)}  every level side by side, and what changes from one to the next`,
    `${code(`${COMMAND} share`)}  typed in a channel: post your latest self-assessment there, after a preview`,
    `${code(`${COMMAND} ask @name`)}  ask a colleague to rate you against your latest self-assessment; they do not see your ratings until they finish, then you both see the two side by side`,
    `${code(`${COMMAND} shares`)}  whom you share with (*Share with…* on a summary or in Home: one person, your manager say, sees your latest self-assessment, notes, evidence and plan, read-only, until you take it back), who shares with you, and a *1:1 summary* for the two of you`,
    `*Add a note*  beside any rating, to say why; *Add as evidence*  in the menu of any Slack message (⋯), to keep a link to it under one of your competencies (never its words)`,
    `*Make a plan*  on a summary: a goal, a next step and a target date for each focus area; it lives in the app's Home tab and check-ins ask how it goes`,
    `*Progress over time*  on your history or in Home: a chart of each competency across your assessments, in your direct messages; summaries say how close you are to the next level`,
    `${code(`${COMMAND} team`)}  totals for this channel of what its members chose to share (no names, nothing until enough people have); ${code(`${COMMAND} team @group`)} for a user group`,
    `*Check-in reminders*  on a summary or in the app's Home tab, choose *Monthly* or *Quarterly* to get a direct message (a working day, 10:00 your time) with the first question to rate yourself again; each has *Snooze a week* and *Stop reminders*. Off unless you choose`,
  ];
  const shown = last ?? exampleOf(frameworks);
  const first: Button[] = [];
  if (shown) {
    const what = `${shown.framework.role.name} · ${shown.level.name}`;
    first.push(showLevelButton(shown.framework, shown.level, last ? `See ${what}` : `Try ${what}`));
  }
  if (last) first.push(lastRoleRateButton(last));
  first.push(everyFrameworkButton(), historyButton(), commandButton('reviews', 'Reviews I asked for'));
  const blocks: KnownBlock[] = [];
  if (intro) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: intro } });
  blocks.push(
    { type: 'header', text: { type: 'plain_text', text: 'Competency frameworks in Slack' } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'See the competencies a role expects at each level, then press *Rate yourself* to rate yourself on each one and see your gaps. Answers and ratings are visible only to you, unless you share them.',
      },
    },
  );
  if (last) {
    const state = last.progress
      ? `you are rating yourself on it (${last.progress.position + 1} of ${last.progress.total})`
      : last.latest
        ? 'you rated yourself on it last'
        : 'you started rating yourself on it';
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Your role: *${escapeText(last.framework.role.name)} · ${escapeText(last.level.name)}* (${escapeText(last.framework.domain.name)}): ${state}.`,
        },
      ],
    });
  }
  blocks.push(
    { type: 'actions', block_id: 'help_actions', elements: first },
    { type: 'section', text: { type: 'mrkdwn', text: `*Commands to type*\n${usage.join('\n')}` } },
    {
      type: 'actions',
      block_id: 'help_data',
      elements: [commandButton('export', 'Export my data'), commandButton('forget', 'Delete my data…')],
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Names are forgiving: upper or lower case, spaces, ${code('-')} or ${code('_')}, small typos, and the short names a framework gives its roles and levels all work. Prefer menus? Choose *Look up a competency* in Slack's shortcuts menu (the ⚡ or + in the message box).`,
        },
      ],
    },
  );
  if (frameworks.length > 0) {
    const roles = frameworks
      .slice(0, 10)
      .map((f) => `${escapeText(f.role.name)} (${escapeText(f.domain.name)})`)
      .join(', ');
    const more = frameworks.length > 10 ? ` and ${frameworks.length - 10} more` : '';
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Available: ${roles}${more}. Try ${code(ex)}.` }],
    });
  }
  return { text: `How to use ${COMMAND}: ${COMMAND} <role> <level>, for example ${ex}`, blocks };
}
