-- Up Migration
-- Check-in reminders live in the person's document (`data.reminder`); this column says when each is
-- due, so that what is due can be found and claimed by an index instead of reading every document.
-- The store keeps it equal to effectiveDueAt(data.reminder) (src/model/reminders.ts: the later of
-- `dueAt` and a claim's `until`) on every write, and NULL for people without a reminder.
ALTER TABLE people ADD COLUMN reminder_due timestamptz;

UPDATE people
SET reminder_due = GREATEST(
  (data -> 'reminder' ->> 'dueAt')::timestamptz,
  (data -> 'reminder' -> 'claim' ->> 'until')::timestamptz
)
WHERE json_typeof(data -> 'reminder') = 'object';

-- Only people with a reminder are in it: claiming reads it in due order (… FOR UPDATE SKIP LOCKED).
CREATE INDEX people_reminder_due ON people (reminder_due) WHERE reminder_due IS NOT NULL;

-- Down Migration
DROP INDEX people_reminder_due;
ALTER TABLE people DROP COLUMN reminder_due;
