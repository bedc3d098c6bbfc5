import type { KnownBlock } from '@slack/types';
import type {
  ChangedGroup,
  CompetencyTotals,
  SharedGroup,
  TeamGroup,
  TeamView,
} from '../../assessments/team.js';
import { BELOW_WORD, GAP_WORDS } from '../../model/gap-words.js';
import type { AssessmentRecord } from '../../model/records.js';
import { ActionId } from '../ids.js';
import { slackDate } from './assessment.js';
import { blockTextLength, MESSAGE_TEXT_BUDGET } from './budget.js';
import { code, escapeText, truncate } from './mrkdwn.js';
import { COMMAND, type Message } from './types.js';

/**
 * `/competency team`: totals of what the members of a channel or a user group chose to share, shown
 * only to the person who asked. Everything shown comes from a TeamView (src/assessments/team.ts),
 * which holds no person, no single rating, and nothing at all of a role × level below K — so what is
 * said of those is the same whether nobody shared or K−1 people did.
 */

/** Whose team: the channel the command was typed in, or a user group (its handle as Slack wrote it). */
export type TeamTarget = { kind: 'channel' } | { kind: 'group'; label: string };

const MAX_BLOCKS = 50;
const SECTION_TEXT = 3000;

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

function simple(text: string): Message {
  return { text, blocks: [section(text)] };
}

const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;

function whose(target: TeamTarget): string {
  return target.kind === 'channel' ? 'this channel' : escapeText(target.label);
}

/** What the person sees at once, while the members are listed and the totals worked out. */
export function teamWorkingMessage(): Message {
  return simple(':hourglass_flowing_sand: Working it out… the team view will appear here in a moment.');
}

/** Role · level, with the domain when another role × level of this view has the same role and level names. */
function groupLabel(group: TeamGroup, all: readonly TeamGroup[]): string {
  const ambiguous = all.some(
    (other) =>
      other !== group &&
      other.roleName === group.roleName &&
      other.levelName === group.levelName &&
      other.domainName !== group.domainName,
  );
  const role = ambiguous ? `${group.roleName} (${group.domainName})` : group.roleName;
  return `${escapeText(role)} · ${escapeText(group.levelName)}`;
}

/** `3.5`, `4`: a median as people read it. */
const number = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

function competencyLine(c: CompetencyTotals): string {
  // Three totals always, in the same order, as a small table: here a zero is an answer.
  const parts = [
    `${c.meets} ${GAP_WORDS.meets.many}`,
    `${c.above} ${GAP_WORDS.above.many}`,
    `${c.below} ${BELOW_WORD}`,
    `median ${number(c.median)}/5`,
  ];
  if (c.notRated > 0) parts.push(`${c.notRated} n/a or skipped`);
  const varies = c.expectedVaries ? ' (it differs between framework versions)' : '';
  return `*${escapeText(c.name)}*  ·  expected ${c.expected}/5${varies}\n${parts.join('  ·  ')}`;
}

/** The lines of text, joined into as few sections as Slack's 3,000 characters a section allow. */
function sectionsOf(lines: readonly string[], separator = '\n'): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let current = '';
  for (const line of lines) {
    const piece = truncate(line, SECTION_TEXT);
    if (current !== '' && current.length + separator.length + piece.length > SECTION_TEXT) {
      blocks.push(section(current));
      current = '';
    }
    current = current === '' ? piece : `${current}${separator}${piece}`;
  }
  if (current !== '') blocks.push(section(current));
  return blocks;
}

function sharedBlocks(group: SharedGroup, all: readonly TeamGroup[], k: number): KnownBlock[] {
  const blocks: KnownBlock[] = [
    section(
      `*${groupLabel(group, all)}*  ·  ${escapeText(group.domainName)}\nBased on ${people(group.contributors)} who chose to share.`,
    ),
    ...sectionsOf(group.competencies.map(competencyLine), '\n\n'),
  ];
  if (group.hidden.length > 0) {
    const names = group.hidden.map((c) => escapeText(c.name)).join(', ');
    blocks.push(
      context(
        truncate(
          `Not shown, because fewer than ${k} people rated ${group.hidden.length === 1 ? 'it' : 'them'} 1–5 (the others said not applicable or skipped ${group.hidden.length === 1 ? 'it' : 'them'}): ${names}.`,
          2000,
        ),
      ),
    );
  }
  if (group.changed.length > 0) {
    const names = group.changed.map((c) => escapeText(c.name)).join(', ');
    const them = group.changed.length === 1 ? 'it' : 'them';
    blocks.push(
      context(
        truncate(
          `Not shown, because the people who rated ${them} differ by fewer than ${k} from a team view given recently, and comparing the two could show how one person rated: ${names}.`,
          2000,
        ),
      ),
    );
  }
  return blocks;
}

/**
 * The role × levels held back because their people changed by fewer than K since a recent team view:
 * named, in one section, as many as fit, then how many more.
 */
function changedSection(changed: readonly ChangedGroup[], all: readonly TeamGroup[]): KnownBlock {
  const names = changed.map((g) => `*${groupLabel(g, all)}*`);
  const lead = 'Not shown this time: ';
  let text = `${lead}${names.join(', ')}.`;
  for (let n = names.length - 1; text.length > SECTION_TEXT_ROOM && n > 0; n--)
    text = `${lead}${names.slice(0, n).join(', ')}, and ${names.length - n} more.`;
  return section(truncate(text, SECTION_TEXT_ROOM));
}

/** What the held-back section may take, so that it never crowds out the rest of the message. */
const SECTION_TEXT_ROOM = 1500;

/** Why role × levels are held back, once for all of them. */
function changedExplanation(k: number, days: number): string {
  return `The people who shared these differ by fewer than ${k} from those of a team view given in the last ${days} days (someone joined, left, or changed what they include). Comparing the two answers could show how one person rated, so they are held back until the group is the same as then, differs by ${k} or more, or that view is ${days} days old.`;
}

/** Said of role × levels below K: always the same words, whether nobody shared or K−1 did. */
function belowKLine(k: number): string {
  return `Roles and levels that fewer than ${k} people here chose to share are not shown, and not counted.`;
}

/** The team view, within Block Kit's limits: role × levels with most contributors first. */
export function teamViewMessage(
  view: TeamView,
  target: TeamTarget,
  options: { chartValue?: string; note?: string } = {},
): Message {
  const { chartValue } = options;
  const k = view.minPeople;
  const header: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(
          target.kind === 'channel' ? 'Team view · this channel' : `Team view · ${target.label}`,
          150,
        ),
      },
    },
    context(
      `Self-assessments that members of ${whose(target)} chose to include in team views: totals only, never who said what, and nothing for a role and level until ${k} people have shared it. Only you can see this.`,
    ),
    ...(options.note ? [section(options.note)] : []),
  ];
  const howToShare = `To include one of yours, type ${code(`${COMMAND} history`)} and press *Include in team views*.`;

  const shown = view.groups.filter((g): g is SharedGroup => g.kind === 'shown');
  const changed = view.groups.filter((g): g is ChangedGroup => g.kind === 'changed');

  if (view.groups.length === 0) {
    const text = `Not enough people in ${whose(target)} have shared a self-assessment yet: a team view shows a role and level once at least ${k} people have chosen to include theirs. ${howToShare}`;
    return {
      text: `Team view: not enough people in ${whose(target)} have shared yet`,
      blocks: [...header, section(text)],
    };
  }

  const legend = `*${GAP_WORDS.meets.many}*: rated at the expected level; *${GAP_WORDS.above.many}*: higher; *${BELOW_WORD}*: lower, ${GAP_WORDS['one-below'].label} and ${GAP_WORDS.focus.label} counted together (each against the expected level of the version they rated). The median is of the 1–5 ratings. `;
  const chart: KnownBlock[] =
    chartValue !== undefined && shown.some((g) => g.competencies.length > 0)
      ? [
          {
            type: 'actions',
            block_id: 'team_actions',
            elements: [
              {
                type: 'button',
                action_id: ActionId.teamChart,
                text: { type: 'plain_text', text: 'See it as a chart' },
                value: chartValue,
              },
            ],
          },
        ]
      : [];
  const footer: KnownBlock[] = [
    ...chart,
    context(`${shown.length > 0 ? legend : ''}${belowKLine(k)} ${howToShare}`),
  ];
  const changedBlocks =
    changed.length === 0
      ? []
      : [changedSection(changed, view.groups), context(changedExplanation(k, view.windowDays))];

  // Room for the header, what is held back, the footer, and a line saying what did not fit.
  const blocks: KnownBlock[] = [...header];
  const reserved = [...changedBlocks, { type: 'divider' } as KnownBlock, ...footer, context('x'.repeat(120))];
  let left = 0;
  for (const [i, group] of shown.entries()) {
    const next = [
      ...(i > 0 ? [{ type: 'divider' } as KnownBlock] : []),
      ...sharedBlocks(group, view.groups, k),
    ];
    const after = [...blocks, ...next];
    if (
      after.length + reserved.length > MAX_BLOCKS ||
      blockTextLength([...after, ...reserved]) > MESSAGE_TEXT_BUDGET
    ) {
      left = shown.length - i;
      break;
    }
    blocks.push(...next);
  }
  if (left > 0) {
    blocks.push(
      context(
        `…and ${left} more role${left === 1 ? '' : 's'} and level${left === 1 ? '' : 's'} with fewer people, not shown here for lack of room.`,
      ),
    );
  }
  if (changedBlocks.length > 0) {
    if (shown.length > 0) blocks.push({ type: 'divider' });
    blocks.push(...changedBlocks);
  }
  blocks.push(...footer);

  const summary =
    shown.length === 0
      ? 'nothing to show this time'
      : shown.map((g) => `${g.roleName} · ${g.levelName}, ${people(g.contributors)}`).join('; ');
  return { text: truncate(`Team view of ${whose(target)}: ${escapeText(summary)}`, 3000), blocks };
}

/** `/competency team` followed by something other than a user group. */
export function teamUsageMessage(): Message {
  return simple(
    [
      `${code(`${COMMAND} team`)} shows, in a channel, totals of the self-assessments its members chose to include in team views.`,
      `${code(`${COMMAND} team @group`)} does the same for a user group: type ${code('@')} and pick the group from Slack's list.`,
    ].join('\n'),
  );
}

/** Typed in a direct message: there is no team there. */
export function teamNeedsChannelMessage(): Message {
  return simple(
    `A team view is of a channel or a user group: type ${code(`${COMMAND} team`)} in the channel, or ${code(`${COMMAND} team @group`)} here for a user group.`,
  );
}

/** The person asked about a channel they are not a member of. */
export function teamNotAMemberMessage(): Message {
  return simple(
    `You can see the team view of a channel only while you are a member of it. Join the channel first, or ask for a user group: ${code(`${COMMAND} team @group`)}.`,
  );
}

/** More members than a team view reads. */
export function teamTooLargeMessage(limit: number): Message {
  return simple(
    `This channel or group has more than ${limit.toLocaleString('en')} members, more than a team view reads. Ask for a smaller user group: ${code(`${COMMAND} team @group`)}.`,
  );
}

/** A user group typed as plain text that no user group of this workspace has as its handle. */
export function teamUnknownGroupMessage(handle: string): Message {
  return simple(
    `I couldn't find a user group called ${code(`@${handle}`)}. Type ${code('@')} and pick the group from Slack's list, so that Slack sends it to the app.`,
  );
}

/**
 * Slack refused to say who is in the channel or group (its error code): what that means for the
 * person, and what they or an admin can do. `undefined` for codes that need an operator (logged).
 */
export function teamSlackRefusedMessage(code_: string): Message | undefined {
  switch (code_) {
    case 'missing_scope':
    case 'not_allowed_token_type':
      return simple(
        ':warning: This app is not allowed to see who is in a channel or user group yet: it was installed before team views, which need that permission. Ask whoever manages apps in your workspace to reinstall or update Competency (it will ask for the permissions to read channel and user group members), then try again.',
      );
    case 'not_in_channel':
    case 'channel_not_found':
      return simple(
        `:warning: Slack won't tell this app who is in this channel. For a private channel, add the app to it first (${code('/invite @Competency')}), then try again; or ask for a user group: ${code(`${COMMAND} team @group`)}.`,
      );
    case 'no_such_subteam':
    case 'subteam_not_found':
      return simple(
        `:warning: Slack doesn't know that user group (it may have been deleted or disabled). Type ${code('@')} and pick the group from Slack's list.`,
      );
    case 'plan_upgrade_required':
    case 'paid_teams_only':
      return simple(
        `:warning: This workspace's Slack plan has no user groups. Type ${code(`${COMMAND} team`)} in a channel instead.`,
      );
    default:
      return undefined;
  }
}

/** What Include in team views / Leave team views just did, for the top of the message it answers with. */
export function teamViewsChangedNote(
  record: AssessmentRecord,
  replaced: readonly AssessmentRecord[],
): string {
  const what = `${escapeText(record.roleName)} · ${escapeText(record.levelName)}`;
  if (record.inTeamViews !== true) {
    return `:white_check_mark: *Left team views.* This ${what} assessment no longer counts in any team view.`;
  }
  const instead =
    replaced.length === 0
      ? ''
      : ` Your ${replaced.map((r) => slackDate(r.finishedAt)).join(', ')} assessment of it no longer counts there: one per role and level does.`;
  return `:white_check_mark: *Included in team views.* It counts, without your name, in the totals for ${what} once enough people have shared.${instead}`;
}
