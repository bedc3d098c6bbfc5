import type { Button, KnownBlock, ModalView } from '@slack/types';
import type { ItemMove, OneOnOne } from '../../assessments/one-on-one.js';
import { ONE_ON_ONE_DAYS } from '../../assessments/one-on-one.js';
import type { Received, SharedView, ShareRefusal } from '../../assessments/shares.js';
import { type PlanItem, SHARES_MAX, type Share } from '../../model/growth.js';
import type { AssessmentRecord } from '../../model/records.js';
import { ActionId, CallbackId } from '../ids.js';
import { encodeValue } from '../values.js';
import { recordLine, resultBlocks, slackDate } from './assessment.js';
import { commandButton } from './help.js';
import { changeText } from './history.js';
import { code, escapeText, truncate } from './mrkdwn.js';
import { planBlocks } from './plan.js';
import { COMMAND, type Message } from './types.js';

/**
 * Sharing with one colleague: the Share with… form, the direct message the colleague gets, what
 * Open shows them (read-only, in a modal only they see), `/competency shares`, the 1:1 summary, and
 * every refusal. Pure functions: data in, Block Kit out.
 */

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
const mention = (userId: string): string => `<@${userId}>`;
const plain = (text: string) => ({ type: 'plain_text' as const, text });
const simple = (text: string, extra: KnownBlock[] = []): Message => ({
  text,
  blocks: [section(text), ...extra],
});

/** The buttons of a share, for either of its people: whose record (`o`) and which share (`s`). */
const shareValue = (owner: string, share: Pick<Share, 'id'>): string =>
  encodeValue({ o: owner, s: share.id });

const openButton = (owner: string, share: Share): Button => ({
  type: 'button',
  action_id: ActionId.shareOpen,
  style: 'primary',
  text: plain('Open'),
  value: shareValue(owner, share),
});

const oneOnOneButton = (owner: string, share: Share): Button => ({
  type: 'button',
  action_id: ActionId.shareOneOnOne,
  text: plain('1:1 summary'),
  value: shareValue(owner, share),
});

/** The block and element of the person picker in the Share with… form. */
export const SHARE_WITH_BLOCK = 'share_with';
export const SHARE_WITH_USER = 'user';

/** Share with…: Slack's person picker, and what the person chosen will see. */
export function shareWithModal(latest: AssessmentRecord, privateMetadata: string): ModalView {
  return {
    type: 'modal',
    callback_id: CallbackId.shareWith,
    private_metadata: privateMetadata,
    title: plain('Share with…'),
    submit: plain('Share'),
    close: plain('Cancel'),
    blocks: [
      section(
        truncate(
          `Choose one person of your workspace, your manager say, to see your latest self-assessment (now *${escapeText(latest.roleName)} · ${escapeText(latest.levelName)}*, ${slackDate(latest.finishedAt)}) with its notes and evidence, and your plan: read-only, in their direct messages with Competency. Nothing is posted in a channel, and they see nothing older and nobody else's. When you rate yourself again or change your plan, they see the new one. Take it back at any time with ${code(`${COMMAND} shares`)}.`,
          3000,
        ),
      ),
      {
        type: 'input',
        block_id: SHARE_WITH_BLOCK,
        label: plain('Share with'),
        element: {
          type: 'users_select',
          action_id: SHARE_WITH_USER,
          placeholder: plain('Choose a person'),
        },
      },
    ],
  };
}

/** Why the person chosen in the form cannot be shared with: what is said next to the picker (plain text). */
export type PickerProblem =
  | ShareRefusal['reason']
  | 'missing'
  | 'bot'
  | 'deactivated'
  | 'other-org'
  | 'unknown';

export function pickerProblemText(problem: PickerProblem): string {
  switch (problem) {
    case 'missing':
      return 'Choose the person to share with.';
    case 'self':
      return 'Choose someone else: you already see your own self-assessment.';
    case 'bot':
      return 'Choose a person: apps and bots cannot be shared with.';
    case 'deactivated':
      return 'That account is deactivated. Choose someone else.';
    case 'other-org':
      return 'Choose someone of your own workspace or organisation: shares stay inside it.';
    case 'unknown':
      return 'Slack did not say who that is just now. Please press Share again in a moment.';
    case 'already':
      return `You already share with this person. ${COMMAND} shares lists whom you share with.`;
    case 'too-many':
      return `You share with ${SHARES_MAX} people already, the most there can be. Take one back with ${COMMAND} shares first.`;
    case 'no-assessment':
      return 'Finish a self-assessment first: there is nothing to share yet.';
  }
}

/** Share with… pressed by someone with no finished assessment (or on one no longer theirs). */
export function nothingToShareWithMessage(): Message {
  return simple(
    `There is nothing to share yet: finish a self-assessment first (try ${code(`${COMMAND} list`)} to choose a framework), then press *Share with…* on its summary.`,
  );
}

/** Slack would not open the form. */
export function shareFormNotOpenedMessage(): Message {
  return simple(
    'Slack did not open the Share with… form just now. Please press *Share with…* again in a moment.',
  );
}

/** The confirmation the owner gets, next to the button they pressed. */
function sharedNote(share: Share): string {
  return `:handshake: Shared with ${mention(share.withUserId)}: they got a direct message with *Open*, to see your latest self-assessment, notes, evidence and plan, read-only. ${code(`${COMMAND} shares`)} lists whom you share with, and takes it back.`;
}

export function sharedMessage(share: Share): Message {
  return simple(sharedNote(share));
}

/** The share was made but its direct message could not be sent: it was undone. */
export function shareNotSentMessage(userId: string): Message {
  return simple(
    `:warning: Your share with ${mention(userId)} could not be sent to them, so nothing was shared. Please try again in a minute; if it keeps happening, tell the person who runs this app.`,
  );
}

/** The direct message the colleague gets: who shares, what, and Open. */
export function shareInviteMessage(owner: string, share: Share): Message {
  const who = mention(share.ownerUserId);
  return {
    text: `${who} shares their self-assessment with you`,
    blocks: [
      section(
        `:handshake: ${who} shares their latest self-assessment with you, read-only: their ratings, notes, evidence and plan. Press *Open* to see it as it is now; *1:1 summary* gives you both what to talk about. Only you can see it here, and ${who} can take it back at any time.`,
      ),
      {
        type: 'actions',
        block_id: 'share_invite',
        elements: [openButton(owner, share), oneOnOneButton(owner, share)],
      },
    ],
  };
}

/** The colleague's direct message once the share ended: nothing of the owner's is left in it. */
export function shareEndedMessage(ownerUserId: string): Message {
  const who = mention(ownerUserId);
  return simple(
    `:lock: ${who} no longer shares their self-assessment with you, so there is nothing of theirs to open here any more.`,
  );
}

/** The answer to anyone a share is not for, or no longer for: nothing else. */
export function notSharedMessage(): Message {
  return simple(
    `:lock: This is no longer shared with you, so there is nothing to show. If you expected to see it, ask the person to share it again; ${code(`${COMMAND} shares`)} lists what is shared with you.`,
  );
}

/** Slack would not open the window with the shared assessment. */
export function sharedViewNotOpenedMessage(): Message {
  return simple('Slack did not open the window just now. Please press *Open* again in a moment.');
}

/** The most blocks of a modal. */
const MODAL_BLOCKS = 100;

/**
 * What Open shows the colleague, in a modal only they see: the owner's latest assessment as they
 * would read it of someone else (with its notes and evidence), then the owner's plan, read-only, and
 * the 1:1 summary button. `today`: the owner's today in their plan's time zone.
 */
export function sharedViewModal(view: SharedView, today: string): ModalView {
  const who = mention(view.share.ownerUserId);
  const blocks: KnownBlock[] = [];
  if (view.record) {
    blocks.push(
      context(
        `${who} shares this with you, read-only  ·  ${recordLine(view.record)}  ·  Only you can see it.`,
      ),
      ...resultBlocks(view.record, 'rated', { evidence: view.evidence, extras: true }),
    );
  } else {
    blocks.push(section(`${who} shares their self-assessment with you, and has no finished one now.`));
  }
  blocks.push({ type: 'divider' });
  const plan = view.plan
    ? planBlocks(view.plan, { readOnly: true, today })
    : [section(`${who} has no plan yet.`)];
  const actions: KnownBlock = {
    type: 'actions',
    block_id: 'shared_view',
    elements: [oneOnOneButton(view.owner, view.share)],
  };
  const room = MODAL_BLOCKS - blocks.length - 2;
  blocks.push(...plan.slice(0, Math.max(0, room)));
  if (plan.length > room) blocks.push(context('The rest of the plan does not fit here.'));
  blocks.push(actions);
  return {
    type: 'modal',
    title: plain('Shared with you'),
    close: plain('Close'),
    blocks: blocks.slice(0, MODAL_BLOCKS),
  };
}

/** The most shares `/competency shares` lists on each side (each takes two blocks). */
const LIST_MOST = 10;

/** `/competency shares`: whom the person shares with (1:1 summary, Take back), and who shares with them (Open, 1:1 summary). */
export function sharesMessage(
  owner: string,
  given: readonly Share[],
  received: readonly Received[],
  note?: string,
): Message {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('Shares') },
    context(
      'Only you can see this. A share gives one person read-only access to the latest self-assessment, its notes and evidence, and the plan, until it is taken back.',
    ),
  ];
  if (note) blocks.push(section(note));
  if (given.length === 0) {
    blocks.push(
      section(
        '*You share with nobody.* Press *Share with…* on a summary or in the Home tab to let one person, your manager say, see your latest self-assessment and plan.',
      ),
    );
  } else {
    blocks.push(section(`*You share with* (${given.length} of at most ${SHARES_MAX})`));
    given.forEach((share, i) => {
      blocks.push(section(`${mention(share.withUserId)} · since ${slackDate(share.at)}`), {
        type: 'actions',
        block_id: `shares_given_${i}`,
        elements: [
          oneOnOneButton(owner, share),
          {
            type: 'button',
            action_id: ActionId.shareTakeBack,
            style: 'danger',
            text: plain('Take back'),
            value: encodeValue({ s: share.id }),
          },
        ],
      });
    });
  }
  if (received.length === 0) {
    blocks.push(section('*Shared with you:* nothing.'));
  } else {
    blocks.push(section('*Shared with you*'));
    received.slice(-LIST_MOST).forEach(({ owner: of, share }, i) => {
      blocks.push(section(`${mention(share.ownerUserId)} · since ${slackDate(share.at)}`), {
        type: 'actions',
        block_id: `shares_received_${i}`,
        elements: [openButton(of, share), oneOnOneButton(of, share)],
      });
    });
    if (received.length > LIST_MOST) {
      blocks.push(
        context(
          `…and ${received.length - LIST_MOST} older ones, each with its *Open* in your direct messages with Competency.`,
        ),
      );
    }
  }
  return {
    text: `Shares: you share with ${given.length} ${given.length === 1 ? 'person' : 'people'}; ${received.length} share with you`,
    blocks,
  };
}

/** Said on the list once a share is taken back. */
export function takenBackNote(share: Share): string {
  return `:lock: Taken back: ${mention(share.withUserId)} no longer sees your self-assessment or plan; their direct message says so.`;
}

/** Take back on a share that is not there any more. */
export const ALREADY_TAKEN_BACK_NOTE = 'That share was already taken back: nothing changed.';

/** `*Goal* (Competency) · target 2026-05-03 · overdue` */
function itemLine(item: PlanItem, overdue: boolean): string {
  return `• *${escapeText(truncate(item.competencyName, 80))}*: ${escapeText(truncate(item.goal, 200))} · target ${item.targetDate}${overdue ? ' · *overdue*' : ''}`;
}

const STATUS_WORD: Record<PlanItem['status'], string> = {
  open: 'open',
  moving: 'moving',
  stuck: 'stuck',
  done: 'done',
  dropped: 'dropped',
};

function moveLine(move: ItemMove): string {
  const what = `*${escapeText(truncate(move.item.competencyName, 80))}*: ${escapeText(truncate(move.item.goal, 120))}`;
  return move.from === undefined
    ? `• ${what}: new, ${STATUS_WORD[move.to]}`
    : `• ${what}: ${STATUS_WORD[move.from]} → ${STATUS_WORD[move.to]}`;
}

/** Lines, as many as fit in `room` characters, then how many more. */
function fitted(lines: readonly string[], room: number): string {
  const out: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    if (used + line.length + 1 > room - 40) {
      out.push(`…and ${lines.length - i} more.`);
      break;
    }
    out.push(line);
    used += line.length + 1;
  }
  return out.join('\n');
}

/**
 * The 1:1 summary for the two people of a share, shown privately to whichever of them asked: the
 * owner's focus areas, plan items due within two weeks or overdue, and what moved since the last one.
 */
export function oneOnOneMessage(summary: OneOnOne, viewer: 'owner' | 'colleague', shareId: string): Message {
  const owner = mention(summary.ownerUserId);
  const colleague = mention(summary.colleagueUserId);
  const whose = viewer === 'owner' ? 'your' : `${owner}'s`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain('1:1 summary') },
    context(`For ${owner} and ${colleague}  ·  only you can see this  ·  either of you can ask for it.`),
  ];

  const record = summary.record;
  if (!record) {
    blocks.push(section(`*Focus areas*\nNo finished self-assessment yet, so none.`));
  } else if (summary.focusAreas.length === 0) {
    blocks.push(
      section(
        `*Focus areas* (two or more below, from ${whose} self-assessment of ${slackDate(record.finishedAt)}, ${escapeText(record.roleName)} · ${escapeText(record.levelName)})\nNone.`,
      ),
    );
  } else {
    const lines = summary.focusAreas.map(
      (row, i) => `${i + 1}. *${escapeText(row.name)}*: rated ${row.rating}/5, expected ${row.expected}/5`,
    );
    blocks.push(
      section(
        `*Focus areas* (two or more below, from ${whose} self-assessment of ${slackDate(record.finishedAt)}, ${escapeText(record.roleName)} · ${escapeText(record.levelName)})\n${fitted(lines, 2500)}`,
      ),
    );
  }

  const dueHeading = `*Plan items due* (within ${ONE_ON_ONE_DAYS} days or overdue${summary.timeZone ? `; today is ${summary.today} in ${escapeText(summary.timeZone)}` : ''})`;
  if (summary.timeZone === undefined) {
    blocks.push(section(`${dueHeading}\nNo plan yet.`));
  } else {
    const lines = [
      ...summary.overdue.map((item) => itemLine(item, true)),
      ...summary.dueSoon.map((item) => itemLine(item, false)),
    ];
    blocks.push(section(`${dueHeading}\n${lines.length === 0 ? 'Nothing due.' : fitted(lines, 2500)}`));
  }

  blocks.push(section(sinceText(summary)));
  const buttons: Button[] =
    viewer === 'owner'
      ? [commandButton('shares', 'Shares')]
      : [
          {
            type: 'button',
            action_id: ActionId.shareOpen,
            text: plain('Open'),
            value: encodeValue({ o: summary.owner, s: shareId }),
          },
        ];
  blocks.push(context('This summary is remembered, so the next one says what moved since now.'), {
    type: 'actions',
    block_id: 'one_on_one',
    elements: buttons,
  });
  return { text: `1:1 summary for ${owner} and ${colleague}`, blocks };
}

function sinceText(summary: OneOnOne): string {
  const since = summary.since;
  if (!since) {
    return '*What moved*\nThis is your first 1:1 summary together: next time, this says what moved since today.';
  }
  const lines: string[] = [];
  const ratings = since.ratings;
  switch (ratings.kind) {
    case 'same':
      lines.push('No new self-assessment since then.');
      break;
    case 'none':
      lines.push(
        summary.record
          ? `A first self-assessment since then (${slackDate(summary.record.finishedAt)}).`
          : 'No self-assessment yet.',
      );
      break;
    case 'gone':
      lines.push(
        'A new self-assessment since then; the one of last time is not kept any more, so ratings are not compared.',
      );
      break;
    case 'other':
      lines.push('A new self-assessment since then, of another role, so ratings are not compared.');
      break;
    case 'changes':
      lines.push(
        ratings.changes.length === 0
          ? `A new self-assessment (${slackDate(summary.record?.finishedAt ?? '')}), with the same ratings as the one of last time.`
          : `A new self-assessment (${slackDate(summary.record?.finishedAt ?? '')}). Ratings that changed: ${truncate(ratings.changes.map(changeText).join(', '), 1200)}.`,
      );
      break;
  }
  if (since.items.length === 0 && since.removed === 0) {
    lines.push(summary.timeZone === undefined ? 'No plan.' : 'No plan item changed.');
  } else {
    lines.push(`Plan:\n${fitted(since.items.map(moveLine), 1400)}`);
    if (since.removed > 0) {
      lines.push(
        `${since.removed} ${since.removed === 1 ? 'item' : 'items'} of last time no longer in the plan.`,
      );
    }
  }
  return `*What moved since the last 1:1 summary* (${slackDate(since.at)})\n${lines.join('\n')}`;
}
