import type { KnownBlock } from '@slack/types';
import type { Framework } from '../../frameworks/schema.js';
import { exampleSearch } from './find.js';
import { code, escapeText } from './mrkdwn.js';
import { COMMAND, type Message } from './types.js';

/** An example command built from a real framework, so the help never suggests something that fails. */
function example(frameworks: readonly Framework[]): string {
  const framework = frameworks[0];
  const level = framework?.levels[Math.min(1, framework.levels.length - 1)];
  if (!framework || !level) return `${COMMAND} solutions-architect senior`;
  return `${COMMAND} ${framework.role.id} ${level.id}`;
}

/** The answer to `/competency` and `/competency help`. */
export function helpMessage(frameworks: readonly Framework[], intro?: string): Message {
  const ex = example(frameworks);
  const usage = [
    `${code(`${COMMAND} <role> <level>`)}  show what a role expects at a level, e.g. ${code(ex)}`,
    `${code(`${COMMAND} <role> <level> <domain>`)}  when a role has frameworks for several domains`,
    `${code(`${COMMAND} list`)}  every framework, with its levels, a page at a time (${code(`${COMMAND} list 2`)} for page 2)`,
    `${code(`${COMMAND} find <words>`)}  frameworks and competencies whose names or descriptions have those words, e.g. ${code(exampleSearch(frameworks))}`,
    `${code(`${COMMAND} history`)}  your finished self-assessments, and what changed between them`,
    `${code(`${COMMAND} compare <role>`)}  every level side by side, and what changes from one to the next`,
    `${code(`${COMMAND} share`)}  post your latest self-assessment in this channel, after a preview`,
    `${code(`${COMMAND} ask @name`)}  ask a colleague to rate you against your latest self-assessment; they do not see your ratings until they finish, then you both see the two side by side. ${code(`${COMMAND} reviews`)} lists what you asked for`,
    `${code(`${COMMAND} team`)}  totals for this channel of what its members chose to share (no names, nothing until enough people have); ${code(`${COMMAND} team @group`)} for a user group`,
    `${code(`${COMMAND} export`)}  your ratings and history as JSON and CSV files, sent to you privately`,
    `${code(`${COMMAND} forget`)}  delete everything this app keeps about you`,
    `${code(`${COMMAND} help`)}  this message`,
    `*Check-in reminders*  on a summary or in the app's Home tab, choose *Monthly* or *Quarterly* to get a direct message (a working day, 10:00 your time) with the first question to rate yourself again; each has *Snooze a week* and *Stop reminders*. Off unless you choose`,
  ];
  const blocks: KnownBlock[] = [];
  if (intro) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: intro } });
  blocks.push(
    { type: 'header', text: { type: 'plain_text', text: 'Competency frameworks in Slack' } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'See the competencies a role expects at each level, then press *Rate yourself* to rate yourself on each one and see your gaps. Answers and ratings are visible only to you.',
      },
    },
    { type: 'section', text: { type: 'mrkdwn', text: `*How to use it*\n${usage.join('\n')}` } },
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
