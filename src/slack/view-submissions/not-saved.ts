import type { Logger } from '@slack/bolt';
import { DataFileFullError, DeletedMeanwhileError } from '../../store/store.js';
import { STORE_FULL } from '../views/error.js';

/**
 * What a form says on its first field when saving what it holds failed: nothing was saved, and why —
 * the person's data was deleted since the form was opened, the app has run out of room, or something
 * on our side (then logged, with `what` the app could not do).
 */
export function notSavedText(error: unknown, logger: Pick<Logger, 'error'>, what: string): string {
  if (error instanceof DeletedMeanwhileError) {
    return 'Your data was deleted after this form was opened, so nothing was saved. Close it and start again if you want to.';
  }
  logger.error(`Could not ${what}`, error);
  return error instanceof DataFileFullError
    ? STORE_FULL
    : 'Something went wrong on our side and nothing was saved. Please try again.';
}
