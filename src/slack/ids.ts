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
  /** Back to the Home tab's front page (only in the Home tab); no value. */
  showHome: 'home_show',
} as const;
