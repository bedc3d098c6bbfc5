/**
 * The ids that tie a button in a view to the listener that handles its click.
 * Views and listeners both import them from here, so they cannot drift apart.
 */
export const ActionId = {
  /** Show a framework at a level; the button value is the text to look up, e.g. `solutions-architect senior`. */
  showFramework: 'framework_show',
} as const;
