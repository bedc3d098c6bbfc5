import { beforeEach, describe, expect, it } from 'vitest';
import { Assessments } from '../../src/assessments/assessments.js';
import { TeamViews } from '../../src/assessments/team.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import { sameForEveryOrg } from '../../src/frameworks/org-catalogs.js';
import { orgOfPerson, personKey, userOfPerson } from '../../src/model/person.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { checkDataFile, FORMAT_VERSION } from '../../src/store/schema.js';

const FW = 'solutions-architect.e-commerce';
const ME = personKey({ userId: 'U1', teamId: 'T1' });

let store: MemoryStore;
let assessments: Assessments;
let version = '';
let clock = 0;
let ids = 0;

beforeEach(async () => {
  const catalog = new Catalog(await loadFrameworks([BUNDLED_FRAMEWORKS_DIR]));
  version = catalog.get(FW)?.version ?? '';
  store = new MemoryStore();
  clock = Date.parse('2026-11-27T12:00:00Z');
  assessments = new Assessments(
    store,
    sameForEveryOrg(catalog),
    () => {
      clock += 60_000;
      return new Date(clock);
    },
    () => `session-${++ids}`,
  );
});

/** Rates every competency 4 at `level` (Rate all), as `person`; returns the finished assessment's id. */
async function finish(person = ME, level = 'senior'): Promise<string> {
  const outcome = await assessments.rateAll(person, {
    frameworkId: FW,
    frameworkVersion: version,
    levelId: level,
    ratings: { 'composable-commerce-strategy': 4 },
    submissionId: `form-${++ids}`,
  });
  if (outcome.kind !== 'finished') throw new Error(`not finished: ${outcome.kind}`);
  return outcome.record.id;
}

describe('including an assessment in team views', () => {
  it('is off by default', async () => {
    await finish();
    expect((await store.get(ME)).history[0]?.inTeamViews).toBeUndefined();
  });

  it('can be switched on and off again, and saying what is already so writes nothing', async () => {
    const id = await finish();
    const on = await assessments.setInTeamViews(ME, id, true);
    expect(on).toMatchObject({ kind: 'done', replaced: [], record: { id, inTeamViews: true } });
    const { writes } = await store.health();
    await assessments.setInTeamViews(ME, id, true);
    expect((await store.health()).writes).toBe(writes);

    const off = await assessments.setInTeamViews(ME, id, false);
    expect(off.kind === 'done' && off.record.inTeamViews).toBeUndefined();
    // Left out, not written as false: the data file keeps its shape.
    expect('inTeamViews' in ((await store.get(ME)).history[0] ?? {})).toBe(false);
  });

  it('keeps one per framework and level: including another leaves the first, and says so', async () => {
    const first = await finish();
    const second = await finish();
    const lead = await finish(ME, 'lead-principal');
    await assessments.setInTeamViews(ME, first, true);
    await assessments.setInTeamViews(ME, lead, true);
    const outcome = await assessments.setInTeamViews(ME, second, true);
    expect(outcome.kind === 'done' && outcome.replaced.map((r) => r.id)).toEqual([first]);
    const flags = (await store.get(ME)).history.map((r) => [r.id, r.inTeamViews === true]);
    expect(flags).toEqual([
      [first, false],
      [second, true],
      [lead, true],
    ]);
  });

  it('leaving never lets an older assessment count instead', async () => {
    const first = await finish();
    const second = await finish();
    await assessments.setInTeamViews(ME, first, true);
    await assessments.setInTeamViews(ME, second, true);
    await assessments.setInTeamViews(ME, second, false);
    const shared = await store.sharedAssessments([ME]);
    expect([...shared.values()].flat().filter((r) => r.inTeamViews)).toEqual([]);
    const views = new TeamViews(store, { minPeople: 3 });
    expect(await views.of(orgOfPerson(ME), [userOfPerson(ME)])).toEqual({
      minPeople: 3,
      windowDays: 30,
      groups: [],
    });
  });

  it("only the person's own assessments: another's id is not found, and nothing changes", async () => {
    const theirs = await finish(personKey({ userId: 'U2', teamId: 'T1' }));
    await finish();
    expect(await assessments.setInTeamViews(ME, theirs, true)).toEqual({ kind: 'not-found' });
    expect((await store.get(ME)).history.every((r) => r.inTeamViews === undefined)).toBe(true);
  });
});

describe('the data file with team views', () => {
  const record = {
    id: 'a',
    frameworkId: FW,
    frameworkVersion: '1',
    roleName: 'Solutions Architect',
    domainName: 'E-commerce',
    levelId: 'senior',
    levelName: 'Senior',
    nextLevelName: null,
    finishedAt: '2026-01-01T00:00:00.000Z',
    competencies: [],
  };
  const file = (history: unknown[]) => ({
    formatVersion: FORMAT_VERSION,
    people: { 'T1:U1': { ratings: {}, drafts: {}, history } },
  });

  it('still reads files written before team views, and reads the choice', () => {
    expect(FORMAT_VERSION).toBe(1);
    expect(checkDataFile(file([record])).ok).toBe(true);
    expect(checkDataFile(file([{ ...record, inTeamViews: true }])).ok).toBe(true);
  });

  it('refuses anything but true for the choice, naming the field', () => {
    expect(checkDataFile(file([{ ...record, inTeamViews: false }]))).toEqual({
      ok: false,
      problem: 'invalid',
      issues: ['people["T1:U1"].history[0].inTeamViews: expected true, found false'],
    });
  });
});
