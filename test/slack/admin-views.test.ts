import { describe, expect, it } from 'vitest';
import { emptyOrgData, FORGOTTEN_ADMIN, type OrgData } from '../../src/model/org-data.js';
import { validateMessage, validateView } from '../../src/sandbox/block-kit.js';
import { adminMessage, previewModal, uploadModal, uploadProblemsText } from '../../src/slack/views/admin.js';
import { largestFramework } from './fixtures.js';

/** The admin panel and the forms of the admin flow, at their largest, within Slack's limits. */

const frameworks = Array.from({ length: 40 }, (_, i) => largestFramework(`role-${i}`));

function busyOrg(): OrgData {
  const data = emptyOrgData();
  for (const f of frameworks) {
    data.frameworks.push({
      id: f.id,
      versions: Array.from({ length: 3 }, (_, v) => ({
        version: `${'v'.repeat(38)}${v}`,
        yaml: 'x',
        publishedAt: '2026-12-01T10:00:00.000Z',
        publishedBy: 'U0ADMIN0001',
      })),
      ...(f.id.includes('role-3')
        ? { retired: { at: '2026-12-02T10:00:00.000Z', by: FORGOTTEN_ADMIN } }
        : {}),
    });
  }
  data.hiddenBundled = frameworks.slice(0, 20).map((f) => f.id);
  data.settings.teamViewMinimum = 7;
  data.settings.editorsGroup = 'S0EDITORS01';
  for (let i = 0; i < 500; i++)
    data.log.push({
      at: '2026-12-03T10:00:00.000Z',
      by: 'U0ADMIN0001',
      what: `published ${'&'.repeat(200)} ${i}`,
    });
  data.log.push({ at: '2026-12-04T10:00:00.000Z', by: FORGOTTEN_ADMIN, what: 'hid a framework' });
  return data;
}

describe('the admin flow within Block Kit limits', () => {
  it('the panel, with 40 of its own frameworks, 40 bundled, 150 user groups and a full change log: fewer of each, and says so', () => {
    const message = adminMessage({
      data: busyOrg(),
      bundled: frameworks,
      own: frameworks,
      seen: [...frameworks, ...frameworks, ...frameworks],
      serverTeamMinimum: 5,
      userGroups: Array.from({ length: 150 }, (_, i) => ({
        id: `S0GROUP${i}`,
        label: `@${'g'.repeat(90)}${i}`,
      })),
      adoption: {
        k: 7,
        counts: Array.from({ length: 300 }, (_, i) => ({
          frameworkId: frameworks[i % 40]?.id ?? '',
          levelId: frameworks[0]?.levels[i % 8]?.id ?? '',
          month: '2026-11',
          people: 7 + i,
        })),
      },
    });
    expect(validateMessage(message)).toEqual([]);
    const text = JSON.stringify(message.blocks);
    expect(text).toMatch(/…and \d+ more, not listed here\./);
    expect(text).toContain('an admin who has since deleted their data');
  });

  it('the panel of an org with nothing of its own, for an editor (who does not choose the editors)', () => {
    const message = adminMessage({
      data: emptyOrgData(),
      bundled: frameworks.slice(0, 6),
      own: [],
      seen: frameworks.slice(0, 6),
      serverTeamMinimum: 5,
      adoption: { k: 5, counts: [] },
    });
    expect(validateMessage(message)).toEqual([]);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('None yet');
    expect(text).toContain('Nothing to show yet');
    expect(text).not.toContain('admin_editors');
  });

  it('the upload form, with and without problems, and the preview of the largest framework', () => {
    expect(validateView(uploadModal())).toEqual([]);
    const problems = Array.from({ length: 400 }, (_, i) => `line ${i}: ${'x'.repeat(400)}`);
    expect(validateView(uploadModal(problems))).toEqual([]);
    expect(uploadProblemsText(problems).length).toBeLessThanOrEqual(2000);
    expect(uploadProblemsText(problems)).toMatch(/…and 395 more$/);
    for (const framework of [largestFramework(), largestFramework('one', { oneLadder: true })]) {
      const view = previewModal(framework, framework, { id: 'F0FILE00001', name: 'n'.repeat(255) });
      expect(validateView(view)).toEqual([]);
      for (const c of framework.competencies) expect(JSON.stringify(view.blocks)).toContain(c.name);
    }
  });
});
