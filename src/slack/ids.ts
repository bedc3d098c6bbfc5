/**
 * The ids that tie a button in a view to the listener that handles its click.
 * Views and listeners both import them from here, so they cannot drift apart.
 * A button's action_id may carry a suffix after `:` (ids must be unique within a block).
 */
export const ActionId = {
  /** Show a framework at a level; the button value is the text to look up, e.g. `solutions-architect senior`. */
  showFramework: 'framework_show',
  /** Rate yourself / Continue / Rate again; value: StartValue. */
  startAssessment: 'assessment_start',
  /** A rating, Not applicable, Skip or Back on one competency; value: AnswerValue. */
  answer: 'assessment_answer',
  /** Show the person's history; no value. */
  showHistory: 'history_show',
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
} as const;

/** The Rate all modal. */
export const CallbackId = { rateAll: 'rate_all' } as const;
