import { evidenceShownWith } from '../../assessments/evidence.js';
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
  deps: Pick<Deps, 'reminders' | 'assessments'>,
  person: PersonKey,
  record: AssessmentRecord,
  options: {
    /** What a click just changed, under the header. */
    note?: string;
    /** The check-in picker as the caller knows it (it just changed it); else read now. */
    reminder?: ReminderShown;
  } = {},
): Promise<Message> {
  // Read once, for both. What the summary is about is done already: if the store cannot say now, the
  // summary goes without its picker's current choice and without links, rather than not at all.
  const data = await deps.assessments.dataOf(person).catch(() => undefined);
  const reminder = options.reminder ?? (data && (await deps.reminders.forSummary(person, data)));
  const evidence = data ? evidenceShownWith(record, data) : [];
  return summaryMessage(record, { ...(options.note ? { note: options.note } : {}), reminder, evidence });
}
