import { describe, expect, it } from 'vitest';
import { emptyOrgData, FORGOTTEN_ADMIN, forgetAdminIn } from '../../src/model/org-data.js';
import {
  publishIn,
  restoreIn,
  retireIn,
  setEditorsIn,
  setTeamMinimumIn,
  showBundledIn,
} from '../../src/orgs/admin.js';

const admin = (at: string) => ({ by: 'U0ADMIN', at });
const steward = (version: string) => ({
  id: 'data-steward.e-commerce',
  version,
  yaml: `version: ${version}`,
  name: 'Data Steward',
});
const BUNDLED = new Set(['solutions-architect.e-commerce']);

describe("an org's admins change its frameworks and settings", () => {
  it('publishing keeps every version, newest last, and logs who did it', () => {
    const data = emptyOrgData();
    expect(publishIn(data, steward('1'), admin('2026-12-01T10:00:00.000Z'))).toEqual({
      kind: 'published',
      first: true,
      restored: false,
    });
    expect(publishIn(data, steward('2'), admin('2026-12-02T10:00:00.000Z')).first).toBe(false);
    expect(data.frameworks[0]?.versions.map((v) => v.version)).toEqual(['1', '2']);
    expect(data.log).toEqual([
      {
        at: '2026-12-01T10:00:00.000Z',
        by: 'U0ADMIN',
        what: 'published Data Steward (data-steward.e-commerce), version 1',
      },
      {
        at: '2026-12-02T10:00:00.000Z',
        by: 'U0ADMIN',
        what: 'published Data Steward (data-steward.e-commerce), version 2',
      },
    ]);
  });

  it('retire and restore keep the versions; doing either twice changes nothing and says why', () => {
    const data = emptyOrgData();
    publishIn(data, steward('1'), admin('2026-12-01T10:00:00.000Z'));
    expect(retireIn(data, 'data-steward.e-commerce', admin('2026-12-03T10:00:00.000Z'))).toEqual({
      kind: 'changed',
    });
    expect(retireIn(data, 'data-steward.e-commerce', admin('2026-12-03T11:00:00.000Z')).kind).toBe(
      'unchanged',
    );
    expect(data.frameworks[0]?.retired).toEqual({ at: '2026-12-03T10:00:00.000Z', by: 'U0ADMIN' });
    expect(restoreIn(data, 'data-steward.e-commerce', admin('2026-12-04T10:00:00.000Z'))).toEqual({
      kind: 'changed',
    });
    expect(restoreIn(data, 'data-steward.e-commerce', admin('2026-12-04T11:00:00.000Z'))).toEqual({
      kind: 'unchanged',
      why: 'data-steward.e-commerce is in use already.',
    });
    expect(data.frameworks[0]?.versions).toHaveLength(1);
    expect(retireIn(data, 'nope.nowhere', admin('2026-12-04T12:00:00.000Z')).kind).toBe('unchanged');
    expect(data.log.map((l) => l.what)).toEqual([
      'published Data Steward (data-steward.e-commerce), version 1',
      'retired data-steward.e-commerce',
      'restored data-steward.e-commerce',
    ]);
  });

  it('publishing a new version of a retired framework puts it back in use', () => {
    const data = emptyOrgData();
    publishIn(data, steward('1'), admin('2026-12-01T10:00:00.000Z'));
    retireIn(data, 'data-steward.e-commerce', admin('2026-12-02T10:00:00.000Z'));
    expect(publishIn(data, steward('2'), admin('2026-12-03T10:00:00.000Z')).restored).toBe(true);
    expect(data.frameworks[0]?.retired).toBeUndefined();
  });

  it('hides and shows only frameworks that come with the app', () => {
    const data = emptyOrgData();
    const at = admin('2026-12-01T10:00:00.000Z');
    expect(showBundledIn(data, 'solutions-architect.e-commerce', false, BUNDLED, at).kind).toBe('changed');
    expect(data.hiddenBundled).toEqual(['solutions-architect.e-commerce']);
    expect(showBundledIn(data, 'solutions-architect.e-commerce', false, BUNDLED, at).kind).toBe('unchanged');
    expect(showBundledIn(data, 'data-steward.e-commerce', false, BUNDLED, at).kind).toBe('unchanged');
    expect(showBundledIn(data, 'solutions-architect.e-commerce', true, BUNDLED, at).kind).toBe('changed');
    expect(data.hiddenBundled).toEqual([]);
  });

  it('the team-view threshold is 3 to 10 and never below the server’s; undefined goes back to the server’s', () => {
    const data = emptyOrgData();
    const at = admin('2026-12-01T10:00:00.000Z');
    expect(setTeamMinimumIn(data, 2, 3, at).kind).toBe('unchanged');
    expect(setTeamMinimumIn(data, 11, 3, at).kind).toBe('unchanged');
    expect(setTeamMinimumIn(data, 4.5, 3, at).kind).toBe('unchanged');
    const belowServer = setTeamMinimumIn(data, 4, 5, at);
    expect(belowServer).toEqual({
      kind: 'unchanged',
      why: 'choose a whole number from 5 to 10 (this server never shows a team view of fewer than 5 people).',
    });
    expect(setTeamMinimumIn(data, 7, 5, at).kind).toBe('changed');
    expect(data.settings.teamViewMinimum).toBe(7);
    expect(setTeamMinimumIn(data, undefined, 5, at).kind).toBe('changed');
    expect(data.settings.teamViewMinimum).toBeUndefined();
    expect(data.log.map((l) => l.what)).toEqual([
      'team views: at least 7 people',
      "team views: back to the server's threshold",
    ]);
  });

  it("an admin who deletes their data is no longer named in the org's record; other admins still are", () => {
    const data = emptyOrgData();
    publishIn(data, steward('1'), admin('2026-12-01T10:00:00.000Z'));
    retireIn(data, 'data-steward.e-commerce', admin('2026-12-02T10:00:00.000Z'));
    setTeamMinimumIn(data, 6, 5, { by: 'U0OTHERADM', at: '2026-12-03T10:00:00.000Z' });
    expect(forgetAdminIn(data, 'U0ADMIN')).toBe(true);
    expect(JSON.stringify(data)).not.toContain('U0ADMIN"');
    expect(data.frameworks[0]?.versions[0]?.publishedBy).toBe(FORGOTTEN_ADMIN);
    expect(data.frameworks[0]?.retired?.by).toBe(FORGOTTEN_ADMIN);
    expect(data.log.map((l) => l.by)).toEqual([FORGOTTEN_ADMIN, FORGOTTEN_ADMIN, 'U0OTHERADM']);
    expect(forgetAdminIn(data, 'U0ADMIN')).toBe(false);
  });

  it('names the editors group, or admins only; the same choice twice changes nothing', () => {
    const data = emptyOrgData();
    const at = admin('2026-12-01T10:00:00.000Z');
    expect(setEditorsIn(data, { id: 'S0EDITORS', label: '@editors' }, at).kind).toBe('changed');
    expect(data.settings.editorsGroup).toBe('S0EDITORS');
    expect(setEditorsIn(data, { id: 'S0EDITORS', label: '@editors' }, at).kind).toBe('unchanged');
    expect(setEditorsIn(data, undefined, at).kind).toBe('changed');
    expect(data.settings.editorsGroup).toBeUndefined();
    expect(data.log.map((l) => l.what)).toEqual([
      'framework editors: @editors',
      'framework editors: admins only',
    ]);
  });
});
