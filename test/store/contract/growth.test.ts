import { describe, expect, it } from 'vitest';
import { NOTE_MAX } from '../../../src/model/growth.js';
import type { PersonData } from '../../../src/model/records.js';
import { InvalidPersonDataError, type Store } from '../../../src/store/store.js';
import { AT } from '../helpers.js';
import { FRAMEWORK, finished, implementations, openStoreForEachTest, somebody } from './support.js';

/**
 * The Store contract (src/store/store.ts, this folder's support.ts), on every store: what a person
 * keeps to grow from a rating (src/model/growth.ts) — notes, evidence, a plan, shares — is kept as
 * written, survives a restart, fits the format or is refused, and goes with `forget` and `uninstall`.
 */

/** Someone who wrote a note, added a piece of evidence, made a plan and shares with a colleague. */
function grower(data: PersonData): void {
  somebody(data);
  data.notes = { [FRAMEWORK]: { c0: { text: 'Led the <checkout> redesign & its *rollout*', at: AT } } };
  const record = data.history[0];
  if (record?.competencies[0]) record.competencies[0].note = 'Led the <checkout> redesign & its *rollout*';
  data.evidence = [
    {
      id: 'e1',
      frameworkId: FRAMEWORK,
      competencyId: 'c0',
      competencyName: 'Technical design',
      permalink: 'https://example.slack.com/archives/C1/p1700000000000100',
      channelId: 'C1',
      messageTs: '1700000000.000100',
      postedAt: '2023-11-14T22:13:20.000Z',
      addedAt: AT,
      addedBy: 'U1',
      note: 'The design review thread',
    },
  ];
  data.plan = {
    frameworkId: FRAMEWORK,
    levelId: 'senior',
    assessmentId: 'first',
    roleName: 'Solutions Architect',
    levelName: 'Senior',
    timeZone: 'Pacific/Auckland',
    createdAt: AT,
    updatedAt: AT,
    items: [
      {
        id: 'p1',
        competencyId: 'c1',
        competencyName: 'Stakeholders',
        goal: 'Run the quarterly review',
        nextStep: 'Ask for the agenda',
        targetDate: '2027-03-31',
        status: 'moving',
        createdAt: AT,
        updatedAt: AT,
      },
      {
        id: 'p0',
        competencyId: 'c2',
        competencyName: 'Estimation',
        goal: 'Estimate one project end to end',
        nextStep: 'Pair with Ana',
        targetDate: '2026-12-01',
        status: 'done',
        createdAt: AT,
        updatedAt: AT,
        finishedOn: '2026-12-02',
      },
    ],
    canvas: { id: 'F123' },
  };
  data.shares = [
    {
      id: 's1',
      withUserId: 'U2',
      with: 'T1:U2',
      ownerUserId: 'U1',
      at: AT,
      message: { channel: 'D2', ts: '1.2' },
      lastOneOnOne: { at: AT, assessmentId: 'first', items: { p1: 'open' } },
    },
  ];
}

describe.each(implementations())('Store contract: $kind', (implementation) => {
  let store: Store;
  const open = openStoreForEachTest(implementation, (opened) => {
    store = opened;
  });

  it('keeps notes, evidence, a plan and shares exactly as written, and counts each for forget', async () => {
    await store.update('T1:U1', grower);
    await store.update('T1:U2', (data) => {
      data.sharesReceived = [{ of: 'T1:U1', id: 's1' }];
    });
    const expected: PersonData = { ratings: {}, drafts: {}, history: [] };
    grower(expected);
    expect(await store.get('T1:U1')).toEqual(expected);
    // 10 from somebody(), 1 note, 1 piece of evidence, 2 plan items, 1 share.
    expect(await store.forget('T1:U1')).toBe(15);
    expect(await store.get('T1:U1')).toEqual({ ratings: {}, drafts: {}, history: [] });
    // The colleague's index entry alone is a record of theirs: forget counts it too.
    expect(await store.forget('T1:U2')).toBe(1);
  });

  it.skipIf(!implementation.durable)('keeps them across a restart', async () => {
    await store.update('T1:U1', grower);
    const before = structuredClone(await store.get('T1:U1'));
    await store.close();
    const again = await open();
    expect(await again.get('T1:U1')).toEqual(before);
  });

  it('refuses a note longer than the limit, an evidence link that is not a web address, and a plan date that is not a day; nothing changes', async () => {
    await store.update('T1:U1', grower);
    const before = structuredClone(await store.get('T1:U1'));
    const refusals: [string, (data: PersonData) => void][] = [
      [
        'notes',
        (data) => {
          const note = data.notes?.[FRAMEWORK]?.c0;
          if (note) note.text = 'x'.repeat(NOTE_MAX + 1);
        },
      ],
      [
        'evidence[0].permalink',
        (data) => {
          const evidence = data.evidence?.[0];
          if (evidence) evidence.permalink = 'javascript:alert(1)';
        },
      ],
      [
        'plan.items[0].targetDate',
        (data) => {
          const item = data.plan?.items[0];
          if (item) item.targetDate = '31/03/2027';
        },
      ],
      [
        'plan.items[0].status',
        (data) => {
          const item = data.plan?.items[0];
          if (item) (item as { status: string }).status = 'finished';
        },
      ],
    ];
    for (const [field, change] of refusals) {
      const refused = await store.update('T1:U1', change).catch((error: unknown) => error);
      expect(refused, field).toBeInstanceOf(InvalidPersonDataError);
      expect((refused as InvalidPersonDataError).issues.join('\n'), field).toContain(field);
    }
    expect(await store.get('T1:U1')).toEqual(before);
  });

  it("an uninstall deletes them with the person's record", async () => {
    await store.saveInstallation({
      id: 'T1',
      enterpriseId: null,
      installation: { team: { id: 'T1' } },
      installedAt: AT,
      updatedAt: AT,
    });
    await store.update('T1:U1', grower);
    const result = await store.uninstall({ installation: 'T1', people: 'T1' });
    expect(result.people).toBe(1);
    expect(result.records).toBe(15);
    expect(await store.get('T1:U1')).toEqual({ ratings: {}, drafts: {}, history: [] });
  });

  it('a finished assessment keeps its notes while the current notes change', async () => {
    await store.update('T1:U1', grower);
    await store.update('T1:U1', (data) => {
      delete data.notes;
      data.history.push(finished('second'));
    });
    const data = await store.get('T1:U1');
    expect(data.notes).toBeUndefined();
    expect(data.history[0]?.competencies[0]?.note).toBe('Led the <checkout> redesign & its *rollout*');
    expect(data.history[1]?.competencies[0]?.note).toBeUndefined();
  });
});
