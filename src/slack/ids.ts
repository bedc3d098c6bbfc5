/**
 * The ids that tie a button in a view to the listener that handles its click.
 * Views and listeners both import them from here, so they cannot drift apart.
 * A button's action_id may carry a suffix after `:` (ids must be unique within a block); which
 * suffixes an id may carry is said once, in ActionRoute below.
 */
export const ActionId = {
  /** Show a framework at a level; the button value is the text to look up, e.g. `solutions-architect senior`. */
  showFramework: 'framework_show',
  /**
   * A page of `/competency list`, as `list_page:prev` / `list_page:next` on the list's page buttons
   * (or bare, on "See every framework"); value: the page number, from 1.
   */
  listPage: 'list_page',
  /** Rate yourself / Continue / Rate again; value: StartValue. */
  startAssessment: 'assessment_start',
  /** A rating, Not applicable, Skip or Back on one competency; value: AnswerValue. */
  answer: 'assessment_answer',
  /** Show the person's history; no value. */
  showHistory: 'history_show',
  /**
   * Open, on the history (and the Home tab): one finished assessment's summary, as it was recorded;
   * value: RecordValue.
   */
  openAssessment: 'assessment_open',
  /**
   * A command offered as a button, run as if typed, as `command_run:<command>`: the correction of a
   * mistyped one ("Did you mean `/competency help`?"), and the actions of help and the Home tab;
   * value: CommandValue. Only commands that show something, or ask for a confirmation first.
   */
  runCommand: 'command_run',
  /** Share to channel: show the private preview; value: RecordValue. */
  sharePreview: 'share_preview',
  /** Post it: post the shared summary in the channel; value: RecordValue. */
  sharePost: 'share_post',
  /** Cancel on the preview: back to the summary; value: RecordValue. */
  shareCancel: 'share_cancel',
  /** View this framework, on a shared post: shows it privately to whoever clicked; value: a lookup text. */
  viewFramework: 'framework_view',
  /** Compare levels; value: StartValue (framework and level). */
  compareLevels: 'compare_levels',
  /** Rate all: opens the modal; value: StartValue. */
  rateAll: 'rate_all_open',
  /** Delete my data, after the confirmation; no value. */
  forgetConfirm: 'forget_confirm',
  /** Cancel on the confirmation; no value. */
  forgetCancel: 'forget_cancel',
  /** Back to the Home tab's front page (only in the Home tab); no value. */
  showHome: 'home_show',
  /**
   * Include in team views / Leave team views, on a summary (answered with the summary) or, as
   * `team_views:history`, on the history (answered with the history); value: TeamViewsValue.
   */
  teamViews: 'team_views',
  /** See it as a chart, on a summary: the radar chart goes to the person's direct messages; value: RecordValue. */
  summaryChart: 'summary_chart',
  /** See it as a chart, on a team view: charts of its totals go to the asker's direct messages; value: TeamChartValue. */
  teamChart: 'team_chart',
  /** Ask for a review, on a summary: says how to ask a colleague; value: RecordValue. */
  reviewAsk: 'review_ask',
  /** Start (or carry on), on a review request in the reviewer's direct messages; value: ReviewValue. */
  reviewStart: 'review_start',
  /** Not now, on a review request: keeps it open; value: ReviewValue. */
  reviewLater: 'review_later',
  /** Decline, on a review request; value: ReviewValue. */
  reviewDecline: 'review_decline',
  /** A reviewer's rating, Not applicable, Skip or Back on one competency; value: ReviewAnswerValue. */
  reviewAnswer: 'review_answer',
  /**
   * Withdraw, on the confirmation the asker got (answered with it, updated) or, as
   * `review_withdraw:list`, on their list of requests (answered with the list); value: OwnReviewValue.
   */
  reviewWithdraw: 'review_withdraw',
  /** See the comparison, on the asker's list of requests; value: OwnReviewValue. */
  reviewShow: 'review_show',
  /**
   * Check-in reminders Off / Monthly / Quarterly, as `reminder_cadence:<off|monthly|quarterly>`, on a
   * summary (answered with the summary) or the Home tab (republished); value: CadenceValue (views/reminders.ts).
   */
  reminderCadence: 'reminder_cadence',
  /** Snooze a week, on a check-in reminder; no value. */
  reminderSnooze: 'reminder_snooze',
  /** Stop reminders, on a check-in reminder; no value. */
  reminderStop: 'reminder_stop',
  /** A rating, Not applicable, Skip or Back in a check-in reminder's direct message; value: ReminderAnswerValue. */
  reminderAnswer: 'reminder_answer',
  /** A role chosen in the Look up a competency form (its menu has dispatch_action): the form is updated. */
  lookupRole: 'lookup_role',
  /** A domain chosen in that form: its level menu lists that domain's levels. */
  lookupDomain: 'lookup_domain',
  /** Look up another, under an answer in that form: the empty form again; no value. */
  lookupAgain: 'lookup_again',
} as const;

/** A level id, or a button's position: what `framework_show:` and `assessment_start:` buttons end with. */
const SUFFIX = '[a-z0-9]+(?:-[a-z0-9]+)*';

/**
 * How Bolt matches each button to its listener: the exact id, or the id and one of the suffixes its
 * views give it, anchored at both ends. Anything else (`assessment_answer:3-nope`, a button of an
 * older version) matches no listener and gets the one fallback's answer.
 */
export const ActionRoute: Record<keyof typeof ActionId, string | RegExp> = {
  showFramework: new RegExp(`^${ActionId.showFramework}(?::${SUFFIX})?$`),
  listPage: new RegExp(`^${ActionId.listPage}(?::(?:prev|next))?$`),
  startAssessment: new RegExp(`^${ActionId.startAssessment}(?::${SUFFIX})?$`),
  answer: new RegExp(`^${ActionId.answer}:(?:[1-5]|na|skip|back)$`),
  showHistory: ActionId.showHistory,
  openAssessment: ActionId.openAssessment,
  runCommand: new RegExp(`^${ActionId.runCommand}(?::[a-z]+)?$`),
  sharePreview: ActionId.sharePreview,
  sharePost: ActionId.sharePost,
  shareCancel: ActionId.shareCancel,
  viewFramework: ActionId.viewFramework,
  compareLevels: ActionId.compareLevels,
  rateAll: ActionId.rateAll,
  forgetConfirm: ActionId.forgetConfirm,
  forgetCancel: ActionId.forgetCancel,
  showHome: ActionId.showHome,
  teamViews: new RegExp(`^${ActionId.teamViews}(?::history)?$`),
  summaryChart: ActionId.summaryChart,
  teamChart: ActionId.teamChart,
  reviewAsk: ActionId.reviewAsk,
  reviewStart: ActionId.reviewStart,
  reviewLater: ActionId.reviewLater,
  reviewDecline: ActionId.reviewDecline,
  reviewAnswer: new RegExp(`^${ActionId.reviewAnswer}:(?:[1-5]|na|skip|back)$`),
  reviewWithdraw: new RegExp(`^${ActionId.reviewWithdraw}(?::list)?$`),
  reviewShow: ActionId.reviewShow,
  reminderCadence: new RegExp(`^${ActionId.reminderCadence}:(?:off|monthly|quarterly)$`),
  reminderSnooze: ActionId.reminderSnooze,
  reminderStop: ActionId.reminderStop,
  reminderAnswer: new RegExp(`^${ActionId.reminderAnswer}:(?:[1-5]|na|skip|back)$`),
  lookupRole: ActionId.lookupRole,
  lookupDomain: ActionId.lookupDomain,
  lookupAgain: ActionId.lookupAgain,
};

/** The suffix of a Withdraw button on the list of requests, whose answer is the list again. */
export const REVIEW_WITHDRAW_ON_LIST = `${ActionId.reviewWithdraw}:list`;

/** The suffix of a team views button on the history, whose answer is the history again. */
export const TEAM_VIEWS_ON_HISTORY = `${ActionId.teamViews}:history`;

/** Whether an action id is one that a route claims. */
export function routeMatches(route: string | RegExp, actionId: string): boolean {
  return typeof route === 'string' ? actionId === route : route.test(actionId);
}

/** One pattern that matches exactly the ids any of these routes match (each anchored at both ends). */
export function anyRoute(routes: readonly (string | RegExp)[]): RegExp {
  const literal = (id: string) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const sources = routes.map((route) => (typeof route === 'string' ? `^${literal(route)}$` : route.source));
  return new RegExp(sources.map((source) => `(?:${source})`).join('|'));
}

/** The app's forms (modals with a submit button), by callback_id. */
export const CallbackId = {
  rateAll: 'rate_all',
  askReview: 'review_ask',
  /** The Look up a competency form (role, domain, level). */
  lookup: 'competency_lookup_form',
} as const;

/** Global shortcuts, by the callback_id manifest.yml gives them under `features.shortcuts`. */
export const ShortcutId = { lookup: 'competency_lookup' } as const;

/**
 * The elements of the Look up a competency form. The role menu is filled by the app as the person
 * types (an options request); choosing a role updates the form with that role's domains and levels,
 * in blocks whose ids end with `:<role id>`, so a choice made for another role never carries over.
 */
export const LookupId = {
  /** The role menu (external_select), and its block. */
  role: ActionId.lookupRole,
  /** The domain menu, only for a role with several domains; its block is `lookup_domain:<role id>`. */
  domain: ActionId.lookupDomain,
  /** The level menu; its block is `lookup_level:<role id>`. */
  level: 'lookup_level',
  /** Look up another, under an answer: the empty form again; no value. */
  again: ActionId.lookupAgain,
} as const;
