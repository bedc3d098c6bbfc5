import { describe, expect } from 'vitest';
import { appHomeOpenedEnvelope } from '../../src/sandbox/event-envelopes.js';
import {
  blockActionPayload,
  type EnterpriseRef,
  type TeamRef,
  type UserRef,
} from '../../src/sandbox/interaction-payloads.js';
import { sendEvent, sendInteraction, sendSlashCommand } from '../../src/sandbox/signing.js';
import { it } from '../support/fixtures.js';
import { eventually } from '../support/waiting.js';
import {
  findButton,
  type Harness,
  type OpenedForm,
  SIGNING_SECRET,
  submitSameChoice,
  textOf,
} from './harness.js';

/**
 * One person, one key, whichever surface and whichever workspace they use, with the payload shapes
 * Slack documents for Enterprise Grid (workspace installs and org-wide installs) and Slack Connect:
 * a command names the org in `enterprise_id`, a click in `enterprise.id` or only in
 * `team.enterprise_id`, an event in `authorizations[0].enterprise_id`; in a shared channel the
 * command names the host workspace while the click also names the person's own (`user.team_id`).
 */

const ORG: EnterpriseRef = { id: 'E0ORG000001', name: 'Acme Group' };
const WS1: TeamRef = {
  id: 'T0ACMEWS001',
  domain: 'acme-eng',
  enterprise_id: ORG.id,
  enterprise_name: ORG.name,
};
const WS2: TeamRef = {
  id: 'T0ACMEWS002',
  domain: 'acme-sales',
  enterprise_id: ORG.id,
  enterprise_name: ORG.name,
};
const ALICE = 'U0ALICE0001';
const LABELS = ['', '1 · Basic', '2 · Developing', '3 · Proficient', '4 · Advanced', '5 · Expert'];

type Shape = {
  /** What the slash command says. */
  command: { team_id: string; enterprise_id?: string; is_enterprise_install?: boolean };
  /** What a click says. */
  click: {
    team: TeamRef | null;
    enterprise: EnterpriseRef | null;
    user: UserRef;
    isEnterpriseInstall?: boolean;
  };
  /** What an app_home_opened event says. */
  event?: { team: string; enterpriseId?: string; isEnterpriseInstall?: boolean };
};

async function command(harness: Harness, text: string, shape: Shape): Promise<unknown> {
  const res = await sendSlashCommand(harness.eventsUrl, SIGNING_SECRET, {
    command: '/competency',
    text,
    user_id: ALICE,
    response_url: harness.slack.newResponseUrl(),
    ...shape.command,
  });
  expect(res.status).toBe(200);
  return res.json;
}

/** Rates the first `n` competencies 4, starting from a framework answer, as the given shape. */
async function rateSome(harness: Harness, shape: Shape, n: number): Promise<unknown> {
  const answer = await command(harness, 'sa senior', shape);
  let step = await harness.press(answer, 'Rate yourself', { payload: shape.click });
  for (let i = 0; i < n; i++) step = await harness.press(step, LABELS[4] ?? '', { payload: shape.click });
  return step;
}

async function homeTabText(harness: Harness, shape: Shape): Promise<string> {
  const event = shape.event ?? { team: shape.command.team_id };
  const before = harness.slack.calls.filter((c) => c.method === 'views.publish').length;
  await sendEvent(
    harness.eventsUrl,
    SIGNING_SECRET,
    appHomeOpenedEnvelope({
      tab: 'home',
      user: ALICE,
      team: event.team,
      ...(event.enterpriseId ? { enterpriseId: event.enterpriseId } : {}),
      ...(event.isEnterpriseInstall ? { isEnterpriseInstall: true } : {}),
    }),
  );
  const publishes = await harness.slack.waitForCalls('views.publish', before + 1);
  return textOf(publishes.at(-1)?.args.view);
}

const gridWorkspace: Shape = {
  command: { team_id: WS1.id, enterprise_id: ORG.id },
  // Slack names the org in the team only; `enterprise` may be null on a workspace-level install.
  click: { team: WS1, enterprise: null, user: { id: ALICE, team_id: WS1.id } },
  // Events name the org in authorizations[0], not at the top level.
  event: { team: WS1.id, enterpriseId: ORG.id },
};
const gridOtherWorkspace: Shape = {
  command: { team_id: WS2.id, enterprise_id: ORG.id },
  click: { team: WS2, enterprise: ORG, user: { id: ALICE, team_id: WS2.id } },
  event: { team: WS2.id, enterpriseId: ORG.id },
};
const orgWide: Shape = {
  command: { team_id: WS1.id, enterprise_id: ORG.id, is_enterprise_install: true },
  // Org-wide installs: no team, and user.team_id is the org's E… id.
  click: { team: null, enterprise: ORG, user: { id: ALICE, team_id: ORG.id }, isEnterpriseInstall: true },
  event: { team: WS1.id, enterpriseId: ORG.id, isEnterpriseInstall: true },
};

describe('Enterprise Grid: one person, one key, on every surface and in every workspace of the org', () => {
  it('a workspace install: command, clicks, the Home tab and forget all find the same records', async ({
    harness: h,
  }) => {
    const step = await rateSome(h, gridWorkspace, 2);
    expect(textOf(step)).toContain('3 of 8');
    expect((await h.store.get(`${ORG.id}:${ALICE}`)).ratings['solutions-architect.e-commerce']).toBeDefined();
    expect(await h.store.size()).toBe(1);

    // The Home tab, opened from the same workspace, offers to carry on.
    expect(await homeTabText(h, gridWorkspace)).toContain('Carry on where you stopped');

    // Another workspace of the same org: the same person, the same unfinished run.
    const there = await command(h, 'sa senior', gridOtherWorkspace);
    expect(textOf(there)).toMatch(/Continue rating \(3 of 8\)/);
    expect(await homeTabText(h, gridOtherWorkspace)).toContain('Carry on where you stopped');
    // The workspaces of the org Alice used the app from are kept with her data (for uninstalls),
    // noted once the app has answered a request from there.
    await eventually(async () =>
      expect((await h.store.get(`${ORG.id}:${ALICE}`)).workspaces).toEqual([WS1.id, WS2.id]),
    );

    // Forget from a click finds everything.
    const confirm = await command(h, 'forget', gridWorkspace);
    expect(textOf(confirm)).toContain('3 records');
    const done = await h.press(confirm, 'Delete my data', { payload: gridOtherWorkspace.click });
    expect(textOf(done)).toContain('Deleted 3 records');
    expect(await h.store.size()).toBe(0);
    expect(textOf(await command(h, 'forget', gridWorkspace))).toContain('There is nothing stored about you');
  });

  it('an org-wide install (no team on clicks, authorizations[0].team_id null): the same key', async ({
    harness: h,
  }) => {
    const step = await rateSome(h, orgWide, 3);
    expect(textOf(step)).toContain('4 of 8');
    expect(await h.store.size()).toBe(1);
    expect(Object.keys((await h.store.get(`${ORG.id}:${ALICE}`)).drafts)).toEqual([
      'solutions-architect.e-commerce',
    ]);
    expect(await homeTabText(h, orgWide)).toContain('Carry on where you stopped');
    // The same person through a workspace-level surface of the org.
    expect(textOf(await command(h, 'sa senior', gridWorkspace))).toMatch(/Continue rating \(4 of 8\)/);
  });

  it('a Rate all form submitted from a Grid workspace is saved under the org', async ({ harness: h }) => {
    const answer = await command(h, 'sa senior', gridWorkspace);
    const button = findButton(answer, 'Rate all at once');
    await sendInteraction(
      h.eventsUrl,
      SIGNING_SECRET,
      blockActionPayload({
        actionId: button.action_id,
        blockId: button.block_id,
        value: button.value,
        responseUrl: h.slack.newResponseUrl(),
        ...gridWorkspace.click,
      }),
    );
    const [opened] = await h.slack.waitForCalls('views.open', 1);
    const res = await submitSameChoice(h, opened?.args.view as OpenedForm, '3', {
      team: WS1,
      enterprise: null,
      user: { id: ALICE, team_id: WS1.id },
    });
    expect(res.status).toBe(200);
    expect((await h.store.get(`${ORG.id}:${ALICE}`)).history).toHaveLength(1);
    expect(await h.store.size()).toBe(1);
  });
});

describe('Slack Connect: a person from another organisation in a shared channel', () => {
  // The app is installed on both sides. The guest types the command in their own workspace, so their
  // own installation answers; a post of the host's installation names the host as `team` when the
  // guest clicks it, and the guest's own workspace in `user.team_id` (slackapi/java-slack-sdk#1041).
  const HOST: TeamRef = { id: 'T0HOSTWS001', domain: 'host' };
  const GUEST_TEAM = 'T0GUESTWS01';
  const shared: Shape = {
    command: { team_id: GUEST_TEAM },
    click: { team: HOST, enterprise: null, user: { id: ALICE, team_id: GUEST_TEAM } },
  };

  it("the guest's command and their clicks on the host's posts reach the same records: their own", async ({
    harness: h,
  }) => {
    const step = await rateSome(h, shared, 2);
    expect(textOf(step)).toContain('3 of 8');
    expect(await h.store.size()).toBe(1);
    // Kept under the guest's own workspace, not the host's.
    expect(Object.keys((await h.store.get(`${GUEST_TEAM}:${ALICE}`)).drafts)).toEqual([
      'solutions-architect.e-commerce',
    ]);
    expect(await h.store.get(`${HOST.id}:${ALICE}`)).toEqual({ ratings: {}, drafts: {}, history: [] });
    expect(textOf(await command(h, 'sa senior', shared))).toMatch(/Continue rating \(3 of 8\)/);
    const confirm = await command(h, 'forget', shared);
    expect(textOf(await h.press(confirm, 'Delete my data', { payload: shared.click }))).toContain(
      'Deleted 3 records',
    );
    expect(await h.store.size()).toBe(0);
  });

  it('a guest whose own workspace belongs to an Enterprise Grid org is keyed by that org, as their commands are', async ({
    harness: h,
  }) => {
    const GUEST_ORG = 'E0GUESTORG1';
    // The guest's workspace installed the app itself: its installation names its org.
    await h.store.saveInstallation({
      id: GUEST_TEAM,
      enterpriseId: GUEST_ORG,
      installation: {},
      installedAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    const fromGrid: Shape = {
      command: { team_id: GUEST_TEAM, enterprise_id: GUEST_ORG },
      click: { team: HOST, enterprise: null, user: { id: ALICE, team_id: GUEST_TEAM } },
    };
    const step = await rateSome(h, fromGrid, 1);
    expect(textOf(step)).toContain('2 of 8');
    expect(Object.keys((await h.store.get(`${GUEST_ORG}:${ALICE}`)).drafts)).toHaveLength(1);
    expect(await h.store.size()).toBe(1);
    expect(textOf(await command(h, 'sa senior', fromGrid))).toMatch(/Continue rating \(2 of 8\)/);
  });
});
