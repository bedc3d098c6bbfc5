import { describe, expect, vi } from 'vitest';
import { type LocalSlack, startLocalSlack } from '../../src/sandbox/local-slack.js';
import { sendSlashCommand } from '../../src/sandbox/signing.js';
import type { Store } from '../../src/store/store.js';
import { test } from '../support/fixtures.js';
import { stewardYaml } from '../support/own-framework.js';
import { textOf } from './harness.js';
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
 * A framework an organisation published is theirs alone: two copies of the app on one PostgreSQL
 * database, installed org-wide into an Enterprise Grid org and into a workspace of its own. What
 * the Grid org published is found from every workspace of the org, through either copy (the other
 * copy sees it within seconds), and never from the other workspace; a bundled framework the org
 * hid is gone for the org only. (The org's admins publish from Slack; here the store is changed
 * directly, as that flow does in the end.)
 */

const GRID = { id: 'E0ORGFW0001', name: 'Grid Corp', domain: 'gridcorp' };
const SALES = { id: 'T0FWSALES01', domain: 'fw-sales', name: 'Sales', enterpriseId: GRID.id };
const OPS = { id: 'T0FWOPS0001', domain: 'fw-ops', name: 'Ops', enterpriseId: GRID.id };
const ACME = { id: 'T0FWACME001', domain: 'fw-acme', name: 'Acme' };
type Place = { id: string; domain: string; enterpriseId?: string };

const it = test.extend('deployment', { scope: 'file' }, async ({ sharedDatabase }, { onCleanup }) => {
  const slack = await startLocalSlack({
    workspaces: [SALES, OPS, ACME],
    orgs: [GRID],
    oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
  });
  const key = newTokenKey();
  const first = await startDistributed(slack, { DATABASE_URL: sharedDatabase.url }, key);
  const second = await startDistributed(slack, { DATABASE_URL: sharedDatabase.url }, key);
  onCleanup(async () => {
    await second.running.stop();
    await first.running.stop();
    await slack.close();
  });
  await install(first, slack, GRID.id);
  await install(first, slack, ACME.id);
  return { slack, first, second };
});

async function lookUp(slack: LocalSlack, app: Instance, where: Place, text: string): Promise<string> {
  const res = await sendSlashCommand(app.eventsUrl, SIGNING_SECRET, {
    command: '/competency',
    text,
    team_id: where.id,
    team_domain: where.domain,
    user_id: 'U0FWPERSON1',
    response_url: slack.newResponseUrl(),
    ...(where.enterpriseId
      ? { enterprise_id: where.enterpriseId, enterprise_name: GRID.name, is_enterprise_install: true }
      : {}),
  });
  expect(res.status).toBe(200);
  return textOf(res.json);
}

describe("an organisation's own frameworks", () => {
  it('are found in every workspace of the org, through either copy, and nowhere else', async ({
    deployment,
  }) => {
    const { slack, first, second } = deployment;
    const store: Store = first.running.store;
    // Before: nobody has it.
    expect(await lookUp(slack, second, SALES, 'data steward senior')).not.toContain('Data Steward');

    await store.updateOrgData(GRID.id, (d) => {
      d.frameworks.push({
        id: 'data-steward.e-commerce',
        versions: [
          {
            version: '1',
            yaml: stewardYaml(),
            publishedAt: new Date().toISOString(),
            publishedBy: 'U0ADMIN',
          },
        ],
      });
      d.hiddenBundled.push('tech-lead.software-engineering');
    });

    // The copy that did not make the change sees it within seconds.
    await vi.waitFor(
      async () => expect(await lookUp(slack, second, OPS, 'data steward senior')).toContain('Data Steward'),
      { timeout: 10_000, interval: 200 },
    );
    expect(await lookUp(slack, first, SALES, 'data steward senior')).toContain('Data Steward');
    expect(await lookUp(slack, first, SALES, 'list')).toContain('Data Steward');
    expect(await lookUp(slack, first, SALES, 'tech lead tl4')).not.toContain('Rate yourself');

    // The other workspace: not found, not listed, not suggested; its bundled frameworks are all there.
    const elsewhere = await lookUp(slack, second, ACME, 'data steward senior');
    expect(elsewhere).not.toContain('Data Steward');
    expect(await lookUp(slack, second, ACME, 'list')).not.toContain('Data Steward');
    expect(await lookUp(slack, second, ACME, 'tech lead tl4')).toContain('Rate yourself');
  });
});
