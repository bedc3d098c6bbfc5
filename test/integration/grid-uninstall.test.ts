// biome-ignore-all lint/correctness/noEmptyPattern: vitest reads from a fixture's first parameter, which must be a destructuring pattern, the fixtures it needs
import { describe, expect } from 'vitest';
import { appUninstalledEnvelope } from '../../src/sandbox/event-envelopes.js';
import { type LocalSlack, startLocalSlack } from '../../src/sandbox/local-slack.js';
import { sendEvent, sendSlashCommand } from '../../src/sandbox/signing.js';
import { makeTempDir } from '../store/helpers.js';
import { tokensRevokedEnvelope } from '../support/event-envelopes.js';
import { test } from '../support/fixtures.js';
import { press, textOf } from './harness.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  type Instance,
  install,
  newTokenKey,
  SIGNING_SECRET,
  startDistributed,
} from './oauth-deployment.js';

/**
 * An Enterprise Grid org removes the app it had installed org-wide. Slack revokes the org's token
 * and tells the app over HTTP, signed: `tokens_revoked` and `app_uninstalled`, here in that order
 * (Slack sends them in either). The first that arrives deletes the installation and the data of
 * everyone of the org, whichever of the org's workspaces they used the app from; the second finds
 * nothing left. Another workspace's people keep theirs. On the data file and on PostgreSQL.
 */

const GRID = { id: 'E0GRID00001', name: 'Grid Corp', domain: 'gridcorp' };
const SALES = { id: 'T0GRIDSALES', domain: 'grid-sales', name: 'Grid Sales', enterpriseId: GRID.id };
const OPS = { id: 'T0GRIDOPS01', domain: 'grid-ops', name: 'Grid Ops', enterpriseId: GRID.id };
const ACME = { id: 'T0ACME00001', domain: 'acme', name: 'Acme' };
type Place = { id: string; domain: string; enterpriseId?: string };

const EMPTY = { ratings: {}, drafts: {}, history: [] };

const it = test.extend('deployOn', { scope: 'file' }, async ({ sharedDatabase }, { onCleanup }) => {
  const stops: (() => Promise<void>)[] = [];
  onCleanup(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  return async (kind: 'data file' | 'PostgreSQL') => {
    const slack = await startLocalSlack({
      workspaces: [SALES, OPS, ACME],
      orgs: [GRID],
      oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    });
    stops.push(() => slack.close());
    let store: Record<string, string>;
    if (kind === 'PostgreSQL') store = { DATABASE_URL: sharedDatabase.url };
    else {
      const dir = await makeTempDir();
      stops.push(dir.remove);
      store = { DATA_DIR: dir.dir };
    }
    const app = await startDistributed(slack, store, newTokenKey());
    stops.push(() => app.running.stop());
    return { slack, app };
  };
});

describe.each(['data file', 'PostgreSQL'] as const)('an org-wide install removed, on the %s', (kind) => {
  let slack: LocalSlack;
  let app: Instance;
  it.beforeAll(async ({ deployOn }) => {
    ({ slack, app } = await deployOn(kind));
  });

  function command(where: Place, userId: string) {
    return sendSlashCommand(app.eventsUrl, SIGNING_SECRET, {
      command: '/competency',
      text: 'solutions-architect senior',
      team_id: where.id,
      team_domain: where.domain,
      user_id: userId,
      response_url: slack.newResponseUrl(),
      ...(where.enterpriseId
        ? { enterprise_id: where.enterpriseId, enterprise_name: GRID.name, is_enterprise_install: true }
        : {}),
    });
  }

  /** The person starts a self-rating in `where` and rates the first competency 4. */
  async function rateFirst(where: Place, userId: string): Promise<void> {
    const at = { slack, eventsUrl: app.eventsUrl, signingSecret: SIGNING_SECRET };
    const payload = {
      user: { id: userId, team_id: where.id },
      team: { id: where.id, domain: where.domain, ...(where.enterpriseId ? { enterprise_id: GRID.id } : {}) },
      ...(where.enterpriseId
        ? { enterprise: { id: GRID.id, name: GRID.name }, isEnterpriseInstall: true }
        : {}),
    };
    const shown = await command(where, userId);
    const step = await press(at, shown.json, 'Rate yourself', { payload });
    const next = await press(at, step, 'assessment_answer:4', { payload });
    expect(textOf(next)).toContain('2 of 8');
  }

  it('tokens_revoked, then app_uninstalled: the org and the data of everyone in it go at the first, the other workspace keeps its own', async () => {
    for (const target of [GRID.id, ACME.id]) expect((await install(app, slack, target)).status).toBe(200);
    await rateFirst(SALES, 'U0SALES0001');
    await rateFirst(OPS, 'U0OPS000001');
    await rateFirst(ACME, 'U0ACME00001');
    const store = app.running.store;
    expect((await store.get(`${GRID.id}:U0SALES0001`)).ratings).not.toEqual({});

    const removed = slack.uninstall(GRID.id);
    expect(removed).toMatchObject({ teamId: null, enterpriseId: GRID.id, isEnterpriseInstall: true });
    const before = app.logs.length;
    expect((await sendEvent(app.eventsUrl, SIGNING_SECRET, tokensRevokedEnvelope(removed))).status).toBe(200);
    await expect
      .poll(() => app.logs.slice(before).find((line) => line.includes(`Removed from the org ${GRID.id}`)))
      .toMatch(
        /\(org-wide install\) \(the app's bot token was revoked\): deleted its installation, and the data of 2 people \(\d+ records\)/,
      );
    expect(await store.installation(GRID.id)).toBeUndefined();
    expect(await store.get(`${GRID.id}:U0SALES0001`)).toEqual(EMPTY);
    expect(await store.get(`${GRID.id}:U0OPS000001`)).toEqual(EMPTY);

    expect((await sendEvent(app.eventsUrl, SIGNING_SECRET, appUninstalledEnvelope(removed))).status).toBe(
      200,
    );
    await expect
      .poll(() => app.logs.slice(before).filter((line) => line.includes(`Removed from the org ${GRID.id}`)))
      .toHaveLength(2);
    expect(app.logs.slice(before).at(-1)).toMatch(/no installation was kept, and the data of 0 people/);

    // The other workspace: its installation and its person are as they were.
    expect((await store.installations()).map((record) => record.id)).toEqual([ACME.id]);
    expect(Object.keys((await store.get(`${ACME.id}:U0ACME00001`)).ratings)).toHaveLength(1);
    // The org's people are told the app is not installed any more.
    expect(textOf((await command(OPS, 'U0OPS000001')).json)).toContain('not installed');
  });
});
