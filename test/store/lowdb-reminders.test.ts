import { afterEach, beforeEach, expect, it } from 'vitest';
import { setReminder } from '../../src/model/reminders.js';
import { type FileStore as LowdbStore, openFileStore } from '../../src/store/file/open.js';
import { NotSavedError } from '../../src/store/store.js';
import { makeTempDir, peopleOnDisk } from './helpers.js';

/** Claims in the file store are ordinary durable changes: one that cannot be saved claims nothing. */

let dir: string;
let remove: () => Promise<void>;
let store: LowdbStore | undefined;

beforeEach(async () => {
  ({ dir, remove } = await makeTempDir());
});
afterEach(async () => {
  await store?.close().catch(() => {});
  store = undefined;
  await remove();
});

const SET_AT = new Date('2026-02-20T12:00:00Z');
const DUE = new Date('2026-03-20T10:00:00Z');

it('a claim whose write fails is refused, leaves the reminders due, and the next claim takes them', async () => {
  const disk = { full: false };
  store = await openFileStore(dir, {
    hooks: {
      afterTempWrite: () => {
        if (disk.full) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    },
  });
  const s = store;
  for (const user of ['U1', 'U2']) {
    await s.update(`T1:${user}`, (d) =>
      setReminder(
        d,
        { cadence: 'monthly', frameworkId: 'fw', levelId: 'l', userId: user, teamId: 'T1', timeZone: 'UTC' },
        SET_AT,
      ),
    );
  }
  disk.full = true;
  await expect(s.claimDueReminders(DUE, 10, 60_000)).rejects.toBeInstanceOf(NotSavedError);
  expect((await s.get('T1:U1')).reminder?.claim).toBeUndefined();
  expect((await peopleOnDisk(dir))['T1:U1']?.reminder?.claim).toBeUndefined();
  disk.full = false;
  const claimed = await s.claimDueReminders(DUE, 10, 60_000);
  expect(claimed.map((c) => c.person)).toEqual(['T1:U1', 'T1:U2']);
  // Durable when returned: the file has the claims.
  const onDisk = await peopleOnDisk(dir);
  expect(onDisk['T1:U1']?.reminder?.claim).toEqual(claimed[0]?.reminder.claim);
  expect(onDisk['T1:U2']?.reminder?.claim).toEqual(claimed[1]?.reminder.claim);
});
