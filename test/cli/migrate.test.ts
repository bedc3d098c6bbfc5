import { describe, expect } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { openFileStore } from '../../src/store/file/open.js';
import { openPostgresStore } from '../../src/store/postgres/open.js';
import { rate, type TestDatabase } from '../store/helpers.js';
import { it } from '../support/fixtures.js';

/** `competency migrate --to postgres`: the file store copied into PostgreSQL, idempotently, with counts. */

let db: TestDatabase;
let dir: string;

it.beforeAll(async ({ sharedDatabase, sharedTempDir }) => {
  db = sharedDatabase;
  dir = sharedTempDir;
  const file = await openFileStore(dir);
  await file.update('T1:U1', rate('f', 'a', 4));
  await file.update('T1:U1', rate('f', 'b', 'na'));
  await file.update('T1:U2', rate('f', 'a', 2));
  await file.update('E1:U3', rate('g', 'a', 5));
  await file.updateOrgData('T1', (d) => {
    d.hiddenBundled.push('tech-lead.software-engineering');
    d.settings.teamViewMinimum = 6;
    d.log.push({ at: '2026-12-01T10:00:00.000Z', by: 'U0ADMIN', what: 'hid tech-lead.software-engineering' });
  });
  await file.updateTeamViews({ org: 'T1', frameworkId: 'f', levelId: 'senior' }, (kept) => {
    kept.push({ at: '2026-12-01T10:00:00.000Z', contributors: ['U1#a', 'U2#b', 'U4#c'], shown: { a: [] } });
  });
  await file.close();
});

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    env: { DATABASE_URL: db.url, DATA_DIR: dir, ...env },
  };
  const code = await runCli(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('competency migrate --to postgres', () => {
  it('copies every person, says how many, and copies nothing twice when run again', async () => {
    const first = await cli(['migrate', '--to', 'postgres']);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain(
      '3 people with 4 records in the file: 3 copied, 0 already there, 0 left alone',
    );
    expect(first.out).toContain(
      "1 organisations' own records (frameworks and settings) in the file: 1 copied, 0 left alone",
    );
    expect(first.out).toContain('1 kept team views (ids only) in the file: 1 copied, 0 left alone');
    const again = await cli(['migrate', '--to', 'postgres']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('0 copied, 3 already there');
    expect(again.out).toContain(
      "1 organisations' own records (frameworks and settings) in the file: 0 copied, 0 left alone",
    );

    const database = await openPostgresStore(db.url);
    try {
      expect((await database.get('T1:U1')).ratings.f?.b?.value).toBe('na');
      expect(await database.size()).toBe(3);
      const org = await database.orgData('T1');
      expect(org.hiddenBundled).toEqual(['tech-lead.software-engineering']);
      expect(org.settings.teamViewMinimum).toBe(6);
      const kept = await database.updateTeamViews({ org: 'T1', frameworkId: 'f', levelId: 'senior' }, (k) => [
        ...k,
      ]);
      expect(kept.map((k) => k.contributors)).toEqual([['U1#a', 'U2#b', 'U4#c']]);
    } finally {
      await database.close();
    }
  });

  it('--check compares without copying, and exits 1 when PostgreSQL differs', async () => {
    expect((await cli(['migrate', '--to', 'postgres', '--check'])).code).toBe(0);
    const database = await openPostgresStore(db.url);
    try {
      await database.update('T1:U2', rate('f', 'a', 3));
    } finally {
      await database.close();
    }
    const check = await cli(['migrate', '--to', 'postgres', '--check']);
    expect(check.code).toBe(1);
    expect(check.out).toContain('2 the same in PostgreSQL, 0 missing there, 1 different there');
    // Copying leaves the newer data in PostgreSQL alone.
    const copy = await cli(['migrate', '--to', 'postgres']);
    expect(copy.out).toContain('0 copied, 2 already there, 1 left alone');
  });

  it('says plainly what is missing or wrong, and changes nothing', async () => {
    const noUrl = await cli(['migrate', '--to', 'postgres'], { DATABASE_URL: '' });
    expect(noUrl.code).toBe(2);
    expect(noUrl.err).toContain('Set DATABASE_URL');
    const where = await cli(['migrate']);
    expect(where.code).toBe(2);
    expect(where.err).toContain('--to postgres');
    const bad = await cli(['migrate', '--to', 'mysql']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('"mysql" is not a store');
    // The app still running on the folder (here: this process holds its lock).
    const running = await openFileStore(dir);
    try {
      const busy = await cli(['migrate', '--to', 'postgres']);
      expect(busy.code).toBe(1);
      expect(busy.err).toContain('already open');
      expect(busy.err).not.toContain('    at ');
    } finally {
      await running.close();
    }
  });
});
