import type { Message } from './types.js';

/** What went wrong, as far as the person needs to know: whether anything changed, and when to try again. */
export type Failure =
  /** The store refused or could not write the change: nothing was saved (or deleted); or it could not read. */
  | { kind: 'not-applied'; change: 'save' | 'delete' | 'read' }
  /** The store cannot be reached (the database is down): nothing was saved or read. */
  | { kind: 'unavailable'; change?: 'read' }
  /** The connection went while a change was being committed: it may or may not have been saved. */
  | { kind: 'unsure' }
  /** The person's data was deleted (forget, or the app removed) after they asked for this: not saved. */
  | { kind: 'deleted-meanwhile' }
  /** The data file has reached the most the app can read back: not saved until the operator moves to PostgreSQL. */
  | { kind: 'store-full' }
  /** Slack asked the app to slow down. */
  | { kind: 'slack-busy'; retryAfterSeconds: number }
  /** Anything else: only an operator can do something about it. */
  | { kind: 'unknown' };

function warning(text: string): Message {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${text}` } }] };
}

/** For failures only an operator can fix. The details go to the log, never to Slack. */
export function somethingWentWrongMessage(): Message {
  return warning(
    'Something went wrong on our side, sorry. Please try again in a moment; if it keeps happening, tell the person who runs this app.',
  );
}

/** The truth about a failure, in the person's words: what happened to their data, and what to do. */
export function failureMessage(failure: Failure): Message {
  switch (failure.kind) {
    case 'not-applied':
      if (failure.change === 'read')
        return warning(
          'Something went wrong on our side while reading the data, so there is nothing to show, and nothing was changed. Please try again in a minute; if it keeps happening, tell the person who runs this app.',
        );
      return warning(
        `Something went wrong on our side, and nothing was ${failure.change === 'delete' ? 'deleted' : 'saved'}: your data is as it was before. Please try again in a minute; if it keeps happening, tell the person who runs this app.`,
      );
    case 'unavailable':
      if (failure.change === 'read')
        return warning(
          'This app cannot reach its data right now, so it cannot show this; nothing was changed. Please try again in a minute.',
        );
      return warning(
        'This app cannot reach its data right now, so nothing was saved. Please try again in a minute.',
      );
    case 'unsure':
      return warning(
        'This app lost its connection to its data just as it was saving, so it cannot tell whether that was saved. Please look again in a minute: the next message shows where you are.',
      );
    case 'deleted-meanwhile':
      return warning(
        'Your data was deleted after you asked for this, so it was not saved and nothing was brought back. To start afresh, type `/competency` and choose what to do.',
      );
    case 'store-full':
      return warning(STORE_FULL);
    case 'slack-busy':
      return warning(
        `Slack asked this app to slow down, so that did not happen. Please try again in ${secondsInWords(failure.retryAfterSeconds)}.`,
      );
    case 'unknown':
      return somethingWentWrongMessage();
  }
}

/** What a person is told when the data file has no room left for their change. */
export const STORE_FULL =
  'Sorry, this app has run out of room for its data, so your change was not saved: your data is as it was before. Trying again will not help yet. Please tell the person who runs this app that its data needs to move to PostgreSQL (`competency migrate`); once it has, everything works again.';

function secondsInWords(seconds: number): string {
  if (seconds <= 1) return 'a second';
  if (seconds < 60) return `${Math.ceil(seconds)} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? 'a minute' : `${minutes} minutes`;
}

/**
 * A command from a workspace where the app is not installed (any more): Slack still delivers it
 * while the command lingers, but the app holds no token and no data there.
 */
export function notInstalledMessage(): Message {
  return warning(
    'Competency is not installed in this workspace, so it cannot answer here. Ask whoever manages apps in your workspace to add it. (When it is removed from a workspace, it deletes what it kept about everyone it can no longer reach. If you also use it in another workspace of your organisation where it is still installed, what it keeps about you is there, and `/competency forget` there deletes it.)',
  );
}
