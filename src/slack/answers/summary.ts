import type { PersonKey } from '../../model/person.js';
import type { AssessmentRecord } from '../../model/records.js';
import type { Deps } from '../deps.js';
import { summaryMessage } from '../views/assessment.js';
import type { ReminderShown } from '../views/reminder-picker.js';
import type { Message } from '../views/types.js';

/**
 * A person's own summary of one of their assessments, wherever it is shown again (after the last
 * rating, Open on the history, a click on one of its buttons, a form opened from it): with their
 * check-in picker and the evidence they added for its competencies, read here once so that no
 * surface shows it without them.
 */
export async function ownSummary(
  deps: Pick<Deps, 'reminders' | 'evidence'>,
  person: PersonKey,
  record: AssessmentRecord,
  options: {
    /** What a click just changed, under the header. */
    note?: string;
    /** The check-in picker as the caller knows it (it just changed it); else read now. */
    reminder?: ReminderShown;
  } = {},
): Promise<Message> {
  const [reminder, evidence] = await Promise.all([
    options.reminder ?? deps.reminders.forSummary(person),
    deps.evidence.shownWith(person, record),
  ]);
  return summaryMessage(record, { ...(options.note ? { note: options.note } : {}), reminder, evidence });
}
