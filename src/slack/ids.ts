/**
 * The ids that tie what the app shows (buttons, forms, menus, shortcuts) to the listener that handles
 * it. Views and listeners both import them from here, so they cannot drift apart; nothing here
 * imports a listener, so views stay free of them.
 */

/** How Bolt matches a request to a listener: an exact id, or a pattern anchored at both ends. */
export type Route = string | RegExp;

/** A level id, or a button's position: what `framework_show:` and `assessment_start:` buttons end with. */
const SLUG = '[a-z0-9]+(?:-[a-z0-9]+)*';
/** A rating, Not applicable, Skip or Back: what the buttons of one competency end with. */
const CHOICE = '[1-5]|na|skip|back';

/**
 * What may follow a button's id after `:` (action_ids must be unique within a block): nothing; or,
 * `optional` or `always`, exactly one of the alternatives of the pattern. Anything else
 * (`assessment_answer:3-nope`, a button of an older version) is claimed by no listener and gets the
 * app's one fallback's answer (guard.ts, unclaimed.ts).
 */
type ButtonDeclaration = { id: string; suffix?: { optional: string } | { always: string } };

/**
 * Every button of the app, by name: its action_id and the suffixes it allows. Its handler is filed
 * under the same name in actions/index.ts (the compiler checks that each button has exactly one).
 */
const BUTTONS = {
  /** Show a framework at a level; the button value is the text to look up, e.g. `solutions-architect senior`. */
  showFramework: { id: 'framework_show', suffix: { optional: SLUG } },
  /**
   * A page of `/competency list`, as `list_page:prev` / `list_page:next` on the list's page buttons
   * (or bare, on "See every framework"); value: the page number, from 1.
   */
  listPage: { id: 'list_page', suffix: { optional: 'prev|next' } },
  /** Rate yourself / Continue / Rate again; value: StartValue. */
  startAssessment: { id: 'assessment_start', suffix: { optional: SLUG } },
  /** A rating, Not applicable, Skip or Back on one competency; value: AnswerValue. */
  answer: { id: 'assessment_answer', suffix: { always: CHOICE } },
  /** Show the person's history; no value. */
  showHistory: { id: 'history_show' },
  /**
   * Open, on the history (and the Home tab): one finished assessment's summary, as it was recorded;
   * value: RecordValue.
   */
  openAssessment: { id: 'assessment_open' },
  /**
   * A command offered as a button, run as if typed, as `command_run:<command>`: the correction of a
   * mistyped one ("Did you mean `/competency help`?"), and the actions of help and the Home tab;
   * value: CommandValue. Only commands that show something, or ask for a confirmation first.
   */
  runCommand: { id: 'command_run', suffix: { optional: '[a-z]+' } },
  /** Share to channel: show the private preview; value: RecordValue. */
  sharePreview: { id: 'share_preview' },
  /** Post it: post the shared summary in the channel; value: RecordValue. */
  sharePost: { id: 'share_post' },
  /** Cancel on the preview: back to the summary; value: RecordValue. */
  shareCancel: { id: 'share_cancel' },
  /** View this framework, on a shared post: shows it privately to whoever clicked; value: a lookup text. */
  viewFramework: { id: 'framework_view' },
  /** Compare levels; value: StartValue (framework and level). */
  compareLevels: { id: 'compare_levels' },
  /** Rate all: opens the modal; value: StartValue. */
  rateAll: { id: 'rate_all_open' },
  /** Delete my data, after the confirmation; no value. */
  forgetConfirm: { id: 'forget_confirm' },
  /** Cancel on the confirmation; no value. */
  forgetCancel: { id: 'forget_cancel' },
  /** Back to the Home tab's front page (only in the Home tab); no value. */
  showHome: { id: 'home_show' },
  /**
   * Include in team views / Leave team views, on a summary (answered with the summary) or, as
   * `team_views:history`, on the history (answered with the history); value: TeamViewsValue.
   */
  teamViews: { id: 'team_views', suffix: { optional: 'history' } },
  /** See it as a chart, on a summary: the radar chart goes to the person's direct messages; value: RecordValue. */
  summaryChart: { id: 'summary_chart' },
  /** See it as a chart, on a team view: charts of its totals go to the asker's direct messages; value: TeamChartValue. */
  teamChart: { id: 'team_chart' },
  /** Ask for a review, on a summary: says how to ask a colleague; value: RecordValue. */
  reviewAsk: { id: 'review_ask' },
  /** Start (or carry on), on a review request in the reviewer's direct messages; value: ReviewValue. */
  reviewStart: { id: 'review_start' },
  /** Not now, on a review request: keeps it open; value: ReviewValue. */
  reviewLater: { id: 'review_later' },
  /** Decline, on a review request; value: ReviewValue. */
  reviewDecline: { id: 'review_decline' },
  /** A reviewer's rating, Not applicable, Skip or Back on one competency; value: ReviewAnswerValue. */
  reviewAnswer: { id: 'review_answer', suffix: { always: CHOICE } },
  /**
   * Withdraw, on the confirmation the asker got (answered with it, updated) or, as
   * `review_withdraw:list`, on their list of requests (answered with the list); value: OwnReviewValue.
   */
  reviewWithdraw: { id: 'review_withdraw', suffix: { optional: 'list' } },
  /** See the comparison, on the asker's list of requests; value: OwnReviewValue. */
  reviewShow: { id: 'review_show' },
  /**
   * Check-in reminders Off / Monthly / Quarterly, as `reminder_cadence:<off|monthly|quarterly>`, on a
   * summary (answered with the summary) or the Home tab (republished); value: CadenceValue (views/reminders.ts).
   */
  reminderCadence: { id: 'reminder_cadence', suffix: { always: 'off|monthly|quarterly' } },
  /** Snooze a week, on a check-in reminder; no value. */
  reminderSnooze: { id: 'reminder_snooze' },
  /** Stop reminders, on a check-in reminder; no value. */
  reminderStop: { id: 'reminder_stop' },
  /** A rating, Not applicable, Skip or Back in a check-in reminder's direct message; value: ReminderAnswerValue. */
  reminderAnswer: { id: 'reminder_answer', suffix: { always: CHOICE } },
  /** A role chosen in the Look up a competency form (its menu has dispatch_action): the form is updated. */
  lookupRole: { id: 'lookup_role' },
  /** A domain chosen in that form: its level menu lists that domain's levels. */
  lookupDomain: { id: 'lookup_domain' },
  /** Look up another, under an answer in that form: the empty form again; no value. */
  lookupAgain: { id: 'lookup_again' },
  /** Add a framework, on the admin panel (`/competency admin`): opens the upload form; no value. */
  adminAddFramework: { id: 'admin_add_framework' },
  /** Retire or Restore one of the org's own frameworks, as `admin_framework:retire|restore`; value: its id. */
  adminFramework: { id: 'admin_framework', suffix: { always: 'retire|restore' } },
  /** Hide or Show a bundled framework for the org, as `admin_bundled:hide|show`; value: its id. */
  adminBundled: { id: 'admin_bundled', suffix: { always: 'hide|show' } },
  /** The team-view threshold menu on the admin panel: `server`, or a number of people. */
  adminTeamMinimum: { id: 'admin_team_minimum' },
  /** Export as CSV, on the admin panel: a menu of the frameworks the org sees; the file goes to the admin's DM. */
  adminExport: { id: 'admin_export' },
  /** Framework editors, on the admin panel: `nobody`, or the id of a user group whose members may change the frameworks too. */
  adminEditors: { id: 'admin_editors' },
  /** Check-ins offered first, on the admin panel: `none`, `monthly` or `quarterly`. */
  adminCadence: { id: 'admin_cadence' },
  /** Use as a framework, on a file an admin shared in their DM with the app: checks it and opens the preview; value: UploadedFile. */
  adminUseFile: { id: 'admin_use_file' },
  /** Make a plan, on a summary with gaps: opens the plan form for that assessment; value: RecordValue. */
  planMake: { id: 'plan_make' },
  /** The status menu of one plan item (Home tab, the plan message); its option's value: PlanStatusValue. */
  planStatus: { id: 'plan_status' },
  /** Done / Moving / Stuck / Dropped on a plan item in a check-in, as `plan_checkin:<status>`; value: PlanItemValue. */
  planCheckIn: { id: 'plan_checkin', suffix: { always: 'moving|stuck|done|dropped' } },
  /** Open as a canvas, on the plan: makes it a canvas kept in step with it (where the workspace allows); no value. */
  planCanvas: { id: 'plan_canvas' },
  /** See the whole plan, on the Home tab when it shows only some of the items; no value. */
  planShow: { id: 'plan_show' },
  /** Add a note, on a card of a self-rating run: opens the note form for that competency; value: NoteValue. */
  noteOpen: { id: 'note_open' },
  /** Add a note, on a card of a reviewer's run: opens the note form for that competency; value: ReviewNoteValue. */
  reviewNoteOpen: { id: 'review_note_open' },
  /** Remove, on the confirmation of a piece of evidence just added; value: EvidenceValue. */
  evidenceRemove: { id: 'evidence_remove' },
  /** Progress over time, on the history and the Home tab: a trend chart of the assessment's framework goes to the person's DM; value: RecordValue. */
  trendChart: { id: 'progress_chart' },
  /** Share with…, on a summary (value: RecordValue, the summary to answer on) or the Home tab (no value): opens the person picker. */
  shareWith: { id: 'share_with' },
  /** Open, on a share a colleague got (their DM, `/competency shares`): the owner's latest assessment and plan, read-only; value: ShareValue. */
  shareOpen: { id: 'share_open' },
  /** 1:1 summary, for either person of a share (the shared view, the DM, `/competency shares`); value: ShareValue. */
  shareOneOnOne: { id: 'share_one_on_one' },
  /** Take back, on the owner's `/competency shares`: ends one of their shares; value: OwnShareValue. */
  shareTakeBack: { id: 'share_take_back' },
} as const satisfies Record<string, ButtonDeclaration>;

/** The name of a button, as BUTTONS files it. */
export type ButtonName = keyof typeof BUTTONS;

const BUTTON_NAMES = Object.keys(BUTTONS) as ButtonName[];

/** Each button's action_id, by name: what views give their buttons (with a suffix, where allowed). */
export const ActionId = Object.fromEntries(BUTTON_NAMES.map((name) => [name, BUTTONS[name].id])) as {
  readonly [N in ButtonName]: (typeof BUTTONS)[N]['id'];
};

/** Escapes the characters that mean something in a regular expression. */
const literal = (id: string) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function routeOf(button: ButtonDeclaration): Route {
  const { id, suffix } = button;
  if (suffix === undefined) return id;
  return 'always' in suffix
    ? new RegExp(`^${literal(id)}:(?:${suffix.always})$`)
    : new RegExp(`^${literal(id)}(?::(?:${suffix.optional}))?$`);
}

/** How Bolt matches each button to its listener: the exact id, or the id and one of its suffixes. */
export const ActionRoute = Object.fromEntries(
  BUTTON_NAMES.map((name) => [name, routeOf(BUTTONS[name])]),
) as Readonly<Record<ButtonName, Route>>;

/** The suffix of a Withdraw button on the list of requests, whose answer is the list again. */
export const REVIEW_WITHDRAW_ON_LIST = `${ActionId.reviewWithdraw}:list`;

/** The suffix of a team views button on the history, whose answer is the history again. */
export const TEAM_VIEWS_ON_HISTORY = `${ActionId.teamViews}:history`;

/** Whether an id is one that a route claims. */
export function routeMatches(route: Route, id: string): boolean {
  return typeof route === 'string' ? id === route : route.test(id);
}

/** One pattern that matches exactly the ids any of these routes match (each anchored at both ends). */
export function anyRoute(routes: readonly Route[]): RegExp {
  const sources = routes.map((route) => (typeof route === 'string' ? `^${literal(route)}$` : route.source));
  return new RegExp(sources.map((source) => `(?:${source})`).join('|'));
}

/** The app's forms (modals with a submit button), by callback_id. */
export const CallbackId = {
  rateAll: 'rate_all',
  askReview: 'review_ask',
  /** The Look up a competency form (role, domain, level). */
  lookup: 'competency_lookup_form',
  /** Add a framework: the file an org admin brings. */
  uploadFramework: 'framework_upload',
  /** The preview of that file, with Publish. */
  publishFramework: 'framework_publish',
  /** Make a plan: a goal, a next step and a target date per focus area of an assessment. */
  makePlan: 'plan_form',
  /** A note on one competency: the person's own (a rating card's) or a reviewer's. */
  note: 'competency_note',
  /** Add as evidence: the competency a message is evidence for, and a note. */
  evidence: 'evidence_form',
  /** Share with…: the person picker; the person chosen gets read-only access to the latest assessment and plan. */
  shareWith: 'share_with_form',
} as const;

/** Global shortcuts, by the callback_id manifest.yml gives them under `features.shortcuts`. */
export const ShortcutId = {
  lookup: 'competency_lookup',
  /** A message shortcut (type: message): Add as evidence. */
  evidence: 'competency_evidence',
} as const;

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
