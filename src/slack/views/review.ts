import type { Button, KnownBlock, ModalView } from '@slack/types';
import type {
  Agreement,
  Comparison,
  ComparisonRow,
  RequestInfo,
  RequestSummary,
  ReviewRefusal,
  ReviewStep,
  ReviewToGive,
} from '../../assessments/reviews.js';
import { gapShort, statusOf } from '../../model/gap-words.js';
import type { AssessmentRecord, RatingValue } from '../../model/records.js';
import { ActionId, CallbackId, REVIEW_WITHDRAW_ON_LIST } from '../ids.js';
import { encodeValue } from '../values.js';
import { recordLine, slackDate } from './assessment.js';
import { MESSAGE_TEXT_BUDGET } from './budget.js';
import { bar, code, escapeText, truncate } from './mrkdwn.js';
import { comparisonNoteLines, noteButton, noteOnCard } from './notes.js';
import { COMMAND, type Message } from './types.js';

/**
 * A colleague's review, as each person sees it. Who sees which message:
 * - the asker (the subject): the confirmation after asking, their list of requests, the comparison;
 * - the reviewer: the request in their direct messages, the rating steps, the comparison once they
 *   finish. Nothing the reviewer sees before then shows, or carries in a button, any of the asker's
 *   ratings: the steps are built from a ReviewStep, which has none.
 * People are shown as Slack mentions (`<@U…>`) of ids Slack gave, so Slack shows each reader the name.
 */

const mention = (userId: string) => `<@${userId}>`;
const about = (r: Pick<RequestInfo, 'roleName' | 'levelName'>) =>
  `${escapeText(r.roleName)} · ${escapeText(r.levelName)}`;
const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
const plain = (text: string) => ({ type: 'plain_text' as const, text });

const ASK_HOW = `Type ${code(`${COMMAND} ask @name`)} and pick your colleague from the list Slack shows as you type ${code('@')}.`;

// ---------------------------------------------------------------------------------------------
// The asker

/** Ask for a review, on a summary, when the form cannot be opened: the note that says how to ask with the command. */
export function askHowNote(record: AssessmentRecord, latest: boolean): string {
  const which = latest
    ? `this self-assessment (${escapeText(record.roleName)} · ${escapeText(record.levelName)})`
    : 'your latest self-assessment (not this older one)';
  return `:speech_balloon: *Ask a colleague to rate you.* ${ASK_HOW} They rate you against ${which}, one competency at a time, without seeing your own ratings; when they finish, you both see the two side by side. ${code(`${COMMAND} reviews`)} lists the reviews you asked for.`;
}

/** While the request is being sent. */
export function askWorkingMessage(reviewerUserId: string): Message {
  const text = `Asking ${mention(reviewerUserId)}…`;
  return { text, blocks: [section(text)] };
}

/** How to ask, with what was wrong with the command (if anything). */
export function askUsageMessage(problem?: 'handle' | 'unknown' | 'self' | 'bot', typed?: string): Message {
  const why =
    problem === 'handle'
      ? `Slack sent ${code(typed ?? '@name')} as plain text, so I cannot tell who that is. `
      : problem === 'unknown'
        ? `I couldn't find a person in ${code(truncate(typed ?? '', 60))}. `
        : problem === 'self'
          ? 'You rate yourself with *Rate yourself*; a review is for a colleague. '
          : problem === 'bot'
            ? 'I cannot review you myself: ask a colleague. '
            : '';
  const text = `${why}${ASK_HOW} They will be asked to rate you against your latest self-assessment.`;
  return {
    text,
    blocks: [section(text), context(`${code(`${COMMAND} reviews`)} lists the reviews you asked for.`)],
  };
}

export function noAssessmentToReviewMessage(): Message {
  const text = `Finish a self-assessment first: ${code(`${COMMAND} <role> <level>`)}, then *Rate yourself*. A colleague then rates you against it.`;
  return { text, blocks: [section(text)] };
}

function withdrawButton(reviewId: string, onList: boolean): Button {
  return {
    type: 'button',
    action_id: onList ? REVIEW_WITHDRAW_ON_LIST : ActionId.reviewWithdraw,
    text: plain('Withdraw'),
    value: encodeValue({ r: reviewId }),
    confirm: {
      title: plain('Withdraw the request?'),
      text: plain('Your colleague can no longer rate you for it; answers they gave so far are deleted.'),
      confirm: plain('Withdraw'),
      deny: plain('Keep it'),
    },
  };
}

/** After asking: what the reviewer gets, what they never see, and a Withdraw button. */
export function askedMessage(request: RequestInfo, note?: string): Message {
  const who = mention(request.reviewerUserId);
  const text = `Asked ${who} to rate you against ${about(request)}. They got a direct message from Competency. They do not see your own ratings, or anything else of yours, and when they finish you get their ratings beside yours in your direct messages.`;
  return {
    text,
    blocks: [
      ...(note ? [section(note)] : []),
      section(`:envelope: ${text}`),
      {
        type: 'actions',
        block_id: 'review_asked_actions',
        elements: [withdrawButton(request.reviewId, false)],
      },
      context(`${code(`${COMMAND} reviews`)} lists the reviews you asked for.`),
    ],
  };
}

/** The same pair and assessment was asked already: nothing new was sent. */
export function alreadyAskedMessage(request: RequestInfo, finished: boolean): Message {
  const who = mention(request.reviewerUserId);
  if (finished) {
    const text = `${who} has already reviewed your ${about(request)} self-assessment. ${code(`${COMMAND} reviews`)} shows it beside yours. To be rated again, finish a new self-assessment first.`;
    return { text, blocks: [section(text)] };
  }
  return askedMessage(request, `You asked ${who} already; nothing new was sent.`);
}

export function askNotSentMessage(reviewerUserId: string): Message {
  const text = `I couldn't send your request to ${mention(reviewerUserId)}, so nothing was kept. Check that you picked a person (not an app), and try again in a minute.`;
  return { text, blocks: [section(`:warning: ${text}`)] };
}

export function withdrawnMessage(request: RequestInfo): Message {
  const text = `Withdrawn: ${mention(request.reviewerUserId)} can no longer rate you against ${about(request)}, and nothing they answered is kept.`;
  return { text, blocks: [section(text)] };
}

export function cannotWithdrawMessage(status: 'finished' | 'declined' | 'not-found'): Message {
  const text =
    status === 'finished'
      ? `That review is finished already, so there is nothing to withdraw. ${code(`${COMMAND} reviews`)} shows it.`
      : status === 'declined'
        ? 'That request was declined, so there is nothing to withdraw.'
        : `I couldn't find that request among yours. ${code(`${COMMAND} reviews`)} lists them.`;
  return { text, blocks: [section(text)] };
}

const STATUS_WORDS: Record<RequestInfo['status'], string> = {
  asked: 'asked, not started',
  rating: 'rating you now',
  finished: 'finished',
  declined: 'declined',
  withdrawn: 'withdrawn',
};

/** The most requests the list shows (latest first). */
const MAX_LISTED_REQUESTS = 20;

/**
 * One section per request, latest first, at most `most`: who, how far, when, about what; with
 * Withdraw (an open one; answered with the list) or See the comparison (a finished one).
 */
export function requestBlocks(requests: readonly RequestSummary[], most: number): KnownBlock[] {
  return requests.slice(0, most).map(({ review, record }): KnownBlock => {
    const what = record ? recordLine(record) : '_an assessment that is no longer kept_';
    const line = `${mention(review.reviewerUserId)} · ${STATUS_WORDS[review.status]}  ·  asked ${slackDate(review.askedAt)}\n${what}`;
    const accessory: Button | undefined =
      review.status === 'asked' || review.status === 'rating'
        ? withdrawButton(review.id, true)
        : review.status === 'finished' && record
          ? {
              type: 'button',
              action_id: ActionId.reviewShow,
              text: plain('See the comparison'),
              value: encodeValue({ r: review.id }),
            }
          : undefined;
    return { type: 'section', text: { type: 'mrkdwn', text: line }, ...(accessory ? { accessory } : {}) };
  });
}

/** `/competency reviews`: the reviews the person asked for, latest first. */
export function requestsMessage(requests: readonly RequestSummary[], note?: string): Message {
  const blocks: KnownBlock[] = [];
  if (note) blocks.push(section(note));
  blocks.push({ type: 'header', text: plain('Reviews you asked for') });
  if (requests.length === 0) {
    blocks.push(section(`You have not asked anyone yet. ${ASK_HOW}`));
    return { text: 'You have not asked anyone for a review yet.', blocks };
  }
  blocks.push(...requestBlocks(requests, MAX_LISTED_REQUESTS));
  if (requests.length > MAX_LISTED_REQUESTS) {
    blocks.push(context(`And ${requests.length - MAX_LISTED_REQUESTS} older ones.`));
  }
  blocks.push(context(ASK_HOW));
  return { text: `Reviews you asked for: ${Math.min(requests.length, MAX_LISTED_REQUESTS)} shown.`, blocks };
}

// ---------------------------------------------------------------------------------------------
// The reviewer

/** The request, in the reviewer's direct messages: who asks, about what, and Start / Not now / Decline. */
export function reviewRequestMessage(request: RequestInfo, note?: string): Message {
  const who = mention(request.subjectUserId);
  const value = encodeValue({ o: request.subject, r: request.reviewId });
  const elements: Button[] = [
    {
      type: 'button',
      action_id: ActionId.reviewStart,
      style: 'primary',
      text: plain(request.status === 'rating' ? 'Continue' : 'Start'),
      value,
    },
    ...(note
      ? []
      : [{ type: 'button' as const, action_id: ActionId.reviewLater, text: plain('Not now'), value }]),
    {
      type: 'button',
      action_id: ActionId.reviewDecline,
      text: plain('Decline'),
      value,
      confirm: {
        title: plain('Decline the request?'),
        text: plain('They will be told you cannot rate them this time. Nothing you answered is kept.'),
        confirm: plain('Decline'),
        deny: plain('Go back'),
      },
    },
  ];
  const text = `${who} asks you to rate them against ${about(request)}`;
  return {
    text,
    blocks: [
      ...(note ? [section(note)] : []),
      section(`:wave: *${text}* (${escapeText(request.domainName)}).`),
      context(
        `${request.competencies} ${request.competencies === 1 ? 'competency' : 'competencies'}, one at a time, 1–5, as you see their work today. You will not see how they rated themselves until you finish; then you both see the two side by side. Only ${who} gets your ratings.`,
      ),
      { type: 'actions', block_id: 'review_request_actions', elements },
    ],
  };
}

/**
 * The reviews colleagues asked this person to give, still open, latest first, at most `most`: who
 * asks, about which role and level, since when, and Start (or Continue) — nothing of the asker's own
 * ratings, as on the request itself.
 */
export function toGiveBlocks(toGive: readonly ReviewToGive[], most: number): KnownBlock[] {
  return toGive.slice(0, most).map(({ request, askedAt }): KnownBlock => {
    const started = request.status === 'rating';
    return {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${mention(request.subjectUserId)} asks you to rate them against *${about(request)}* (${escapeText(request.domainName)})  ·  asked ${slackDate(askedAt)}${started ? '  ·  _started_' : ''}`,
      },
      accessory: {
        type: 'button',
        action_id: ActionId.reviewStart,
        style: 'primary',
        text: plain(started ? 'Continue' : 'Start'),
        value: encodeValue({ o: request.subject, r: request.reviewId }),
      },
    };
  });
}

export function laterNote(request: RequestInfo): string {
  return `No rush: ${mention(request.subjectUserId)} is not told. This request stays here; press *${request.status === 'rating' ? 'Continue' : 'Start'}* when you are ready.`;
}

/** One competency for the reviewer to rate: nothing of the asker's own ratings. */
export function reviewStepMessage(step: ReviewStep): Message {
  const { request, competency, index, total, current, scale, note } = step;
  const who = mention(request.subjectUserId);
  const base = { o: request.subject, r: request.reviewId, c: competency.id };
  const scaleButtons: Button[] = scale.map((s) => ({
    type: 'button',
    action_id: `${ActionId.reviewAnswer}:${s.value}`,
    text: plain(truncate(`${s.value} · ${s.label}`, 75)),
    value: encodeValue({ ...base, a: s.value as 1 | 2 | 3 | 4 | 5 }),
    ...(current === s.value ? { style: 'primary' as const } : {}),
  }));
  const nav: Button[] = [
    ...(index > 0
      ? [
          {
            type: 'button' as const,
            action_id: `${ActionId.reviewAnswer}:back`,
            text: plain('← Back'),
            value: encodeValue({ ...base, a: 'back' }),
          },
        ]
      : []),
    {
      type: 'button',
      action_id: `${ActionId.reviewAnswer}:skip`,
      text: plain('Skip'),
      value: encodeValue({ ...base, a: 'skip' }),
    },
    {
      type: 'button',
      action_id: `${ActionId.reviewAnswer}:na`,
      text: plain('Not applicable'),
      value: encodeValue({ ...base, a: 'na' }),
      ...(current === 'na' ? { style: 'primary' as const } : {}),
    },
    noteButton(ActionId.reviewNoteOpen, encodeValue(base), !!note),
  ];
  const legend = scale
    .map((s) => `*${s.value} ${escapeText(s.label)}*${s.description ? `: ${escapeText(s.description)}` : ''}`)
    .join('\n');
  const yours =
    current === null
      ? `How would you rate ${who} on this today?`
      : `Your answer so far: *${current === 'na' ? 'Not applicable' : `${current}/5`}*. Press it again to keep it, or choose another.`;
  return {
    text: escapeText(`Rating a colleague, ${index + 1} of ${total}: ${competency.name}`),
    blocks: [
      { type: 'header', text: plain(truncate(`Rate a colleague · ${request.roleName}`, 150)) },
      context(
        `*${index + 1} of ${total}*  ${bar(index + 1, total)}  ·  ${who} · ${about(request)}  ·  Only ${who} gets your ratings.`,
      ),
      section(
        truncate(
          `*${escapeText(competency.name)}*  ·  _${escapeText(competency.category)}_${competency.description ? `\n${escapeText(competency.description)}` : ''}`,
          3000,
        ),
      ),
      section(yours),
      ...(note ? [noteOnCard(note)] : []),
      { type: 'actions', block_id: 'review_scale', elements: scaleButtons },
      { type: 'actions', block_id: 'review_nav', elements: nav },
      context(truncate(legend, 2900)),
    ],
  };
}

export function declinedMessage(request: RequestInfo): Message {
  const text = `You declined to rate ${mention(request.subjectUserId)} against ${about(request)}. They are told you cannot this time; nothing you answered is kept.`;
  return { text, blocks: [section(text)] };
}

/** To the asker, in their direct messages, when the reviewer declines. */
export function declinedNoticeMessage(request: RequestInfo): Message {
  const text = `${mention(request.reviewerUserId)} cannot rate you against ${about(request)} this time.`;
  return { text, blocks: [section(text), context(ASK_HOW)] };
}

/** In place of the request in the reviewer's direct messages, once the asker withdrew it. */
export function withdrawnNoticeMessage(request: RequestInfo): Message {
  const text = `${mention(request.subjectUserId)} withdrew their request to be rated against ${about(request)}. Nothing you answered is kept.`;
  return { text, blocks: [section(text)] };
}

export function reviewRefusalMessage(refusal: ReviewRefusal): Message {
  const who = refusal.request ? mention(refusal.request.subjectUserId) : 'They';
  const text =
    refusal.reason === 'declined'
      ? 'You declined this request, so there is nothing to rate.'
      : refusal.reason === 'withdrawn'
        ? `${who} withdrew this request, so there is nothing to rate. Nothing you answered is kept.`
        : refusal.reason === 'finished'
          ? 'You finished this review already.'
          : refusal.reason === 'assessment-gone'
            ? 'The self-assessment this request was about is no longer kept, so there is nothing to rate.'
            : 'There is no review request for you here.';
  return { text, blocks: [section(text)] };
}

// ---------------------------------------------------------------------------------------------
// The comparison

const AGREEMENT: Record<Agreement, string> = {
  same: ':white_check_mark: same',
  'one-apart': ':large_yellow_circle: 1 apart · worth a conversation',
  apart: ':red_circle: talk about this',
  'not-compared': ':heavy_minus_sign: not compared',
};

function agreementText(row: ComparisonRow): string {
  return row.agreement === 'apart'
    ? `:red_circle: ${row.difference} apart · talk about this`
    : AGREEMENT[row.agreement];
}

/** A rating, and where it stands against the expected level in the words of every summary: `▰▰▰▱▱ 3/5 (1 below)`. */
function ratingText(rating: RatingValue | null, expected: number): string {
  if (typeof rating !== 'number') return rating === 'na' ? 'n/a' : 'skipped';
  const { status, gap } = statusOf(rating, expected);
  return `${bar(rating)} ${rating}/5 (${gapShort(status, gap)})`;
}

/** The most competencies the comparison lists one by one (a message holds 50 blocks). */
const MAX_ROWS = 40;

/**
 * Self-ratings and the reviewer's side by side, per competency: the same, one apart (worth a
 * conversation), two or more apart (talk about this) — words about how far the two agree. Each
 * rating against the expected level is said in the words of the summary (gap-words.ts: `1 above`,
 * `meets`, `2 below`). `viewer` says whose copy it is: the asker's ("You" is their self-rating) or
 * the reviewer's ("You" is their review).
 */
export function comparisonMessage(comparison: Comparison, viewer: 'subject' | 'reviewer'): Message {
  const { request, counts, rows, record } = comparison;
  const subject = mention(request.subjectUserId);
  const reviewer = mention(request.reviewerUserId);
  const selfName = viewer === 'subject' ? 'You' : subject;
  const reviewName = viewer === 'subject' ? reviewer : 'You';
  const intro =
    viewer === 'subject'
      ? `${reviewer} rated you against ${about(request)}. Here are their ratings beside your own.`
      : `Thank you. Here are your ratings of ${subject} beside how they rated themselves. ${subject} got the same in their direct messages.`;
  const overall = `*${counts.same} the same*, *${counts['one-apart']} one apart* (worth a conversation), *${counts.apart} two or more apart* (talk about this)${counts['not-compared'] > 0 ? `, ${counts['not-compared']} not compared (skipped or not applicable)` : ''}.`;
  const shown = rows.slice(0, MAX_ROWS);
  const texts = shown.map(
    (row) =>
      `*${escapeText(row.name)}*  ·  ${agreementText(row)}\n${selfName} ${ratingText(row.self, row.expected)}  ·  ${reviewName} ${ratingText(row.review, row.expected)}  ·  expected ${row.expected}/5`,
  );
  // Both people's notes, each cut to the same length when they do not all fit (the export has every word).
  const used = texts.reduce((sum, text) => sum + text.length, 0) + intro.length + overall.length;
  // The person's own notes are theirs: the reviewer's copy shows only the reviewer's notes.
  const noted = viewer === 'subject' ? shown : shown.map((row) => ({ reviewNote: row.reviewNote }));
  const notes = comparisonNoteLines(
    noted,
    { self: selfName, review: reviewName },
    MESSAGE_TEXT_BUDGET - 2000 - used,
  );
  const lines = texts.map((text, i) => section(notes.lines[i] ? `${text}\n${notes.lines[i]}` : text));
  if (notes.shortened) {
    lines.push(
      context(`Some notes are shortened to fit here; ${code(`${COMMAND} export`)} has them in full.`),
    );
  }
  const more = rows.length > MAX_ROWS ? [context(`And ${rows.length - MAX_ROWS} more competencies.`)] : [];
  return {
    text: `${viewer === 'subject' ? 'Your review' : 'Your review of a colleague'} for ${escapeText(record.roleName)} · ${escapeText(record.levelName)}: ${overall.replaceAll('*', '')}`,
    blocks: [
      { type: 'header', text: plain(truncate(`Self and review · ${record.levelName}`, 150)) },
      context(
        `${recordLine(record)}  ·  reviewed ${slackDate(comparison.finishedAt)}  ·  Only ${subject} and ${reviewer} can see this.`,
      ),
      section(intro),
      section(overall),
      { type: 'divider' },
      ...lines,
      ...more,
    ],
  };
}

/** The block and element of the person picker in the Ask for a review form. */
export const ASK_REVIEW_BLOCK = 'reviewer';
export const ASK_REVIEW_USER = 'user';

/**
 * Ask for a review, from a summary: a form with Slack's person picker. The colleague rates the
 * person's latest self-assessment (`record`), without seeing their ratings.
 */
export function askReviewModal(record: AssessmentRecord, privateMetadata: string): ModalView {
  return {
    type: 'modal',
    callback_id: CallbackId.askReview,
    private_metadata: privateMetadata,
    title: { type: 'plain_text', text: 'Ask for a review' },
    submit: { type: 'plain_text', text: 'Ask' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(
        truncate(
          `Choose a colleague to rate you against *${escapeText(record.roleName)} · ${escapeText(record.levelName)}*, your latest self-assessment. They get a direct message with *Start*, *Not now* and *Decline*, and rate you one competency at a time without seeing your own ratings. When they finish, you both see the two side by side.`,
          3000,
        ),
      ),
      {
        type: 'input',
        block_id: ASK_REVIEW_BLOCK,
        label: { type: 'plain_text', text: 'Colleague' },
        element: {
          type: 'users_select',
          action_id: ASK_REVIEW_USER,
          placeholder: { type: 'plain_text', text: 'Choose a person' },
        },
      },
    ],
  };
}
