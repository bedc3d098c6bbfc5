import { describe, expect } from 'vitest';
import { appHomeOpenedEnvelope } from '../../src/sandbox/event-envelopes.js';
import { blockActionPayload, viewSubmissionPayload } from '../../src/sandbox/interaction-payloads.js';
import type { SlackFileObject } from '../../src/sandbox/local-slack.js';
import { sendEvent, sendInteraction } from '../../src/sandbox/signing.js';
import { fileSharedEnvelope } from '../support/event-envelopes.js';
import { it } from '../support/fixtures.js';
import { stewardYaml } from '../support/own-framework.js';
import { eventually, since } from '../support/waiting.js';
import { finishSeniorAssessment, type Harness, pressInDm, SIGNING_SECRET, textOf } from './harness.js';

/**
 * An org's admins bring their own framework in Slack: `/competency admin`, Add a framework, a file,
 * a preview, Publish. Only admins and owners (Slack's users.info says who, at each request): anyone
 * else who types the command, presses a panel button they were not given or submits the form
 * changes nothing.
 */

const ADMIN = 'U0ORGADMIN1';
const PERSON = 'U0ORGPERSN1';

/** Submits the Add a framework form with `file` in its file input, as Slack sends it. */
function submitUpload(h: Harness, userId: string, file: SlackFileObject | undefined) {
  return sendInteraction(
    h.eventsUrl,
    SIGNING_SECRET,
    viewSubmissionPayload({
      callbackId: 'framework_upload',
      user: { id: userId },
      values: { framework_file_block: { framework_file: { type: 'file_input', files: file ? [file] : [] } } },
    }),
  );
}

function submitPublish(h: Harness, userId: string, privateMetadata: string) {
  return sendInteraction(
    h.eventsUrl,
    SIGNING_SECRET,
    viewSubmissionPayload({ callbackId: 'framework_publish', user: { id: userId }, privateMetadata }),
  );
}

describe('/competency admin', () => {
  it('someone who is not an admin is told who can, and sees nothing of it', async ({ harness: h }) => {
    const res = await h.command('admin', { userId: PERSON });
    const answer = await h.followUp(res);
    expect(textOf(answer)).toContain('Only the admins and owners');
    expect(textOf(answer)).not.toContain('Add a framework');
  });

  it('an admin adds a framework from a file: checked, previewed, published, and the org finds it', async ({
    harness: h,
  }) => {
    h.slack.setAdmin(ADMIN, 'admin');
    const panel = await h.followUp(await h.command('admin', { userId: ADMIN }));
    expect(textOf(panel)).toContain('Frameworks of your organisation');
    expect(textOf(panel)).toContain('None yet');

    await h.click(panel, 'admin_add_framework', { userId: ADMIN });
    const [opened] = await h.slack.waitForCalls('views.open', 1);
    expect(JSON.stringify(opened?.args.view)).toContain('file_input');

    // A file with a mistake: the problem is shown under the file, and nothing is kept.
    const broken = h.slack.addFile({
      userId: ADMIN,
      name: 'steward.yml',
      content: stewardYaml('1', (f) => {
        f.scale = 'five';
      }),
    });
    const refused = await submitUpload(h, ADMIN, broken);
    expect(refused.json).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify(refused.json)).toMatch(/line \d+: scale/);
    expect((await h.store.orgData('T0LOCAL0001')).frameworks).toHaveLength(0);

    // The right file: a preview, then Publish.
    const good = h.slack.addFile({ userId: ADMIN, name: 'steward.yml', content: stewardYaml('1') });
    const previewed = await submitUpload(h, ADMIN, good);
    const preview = (previewed.json as { response_action: string; view: { private_metadata: string } }).view;
    expect(previewed.json).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(preview)).toContain('Data Steward');
    expect(JSON.stringify(preview)).toContain('Publish');
    expect(
      await h.command('data steward senior', { userId: PERSON }).then((r) => textOf(r.json)),
    ).not.toContain('Rate yourself');

    const published = await submitPublish(h, ADMIN, preview.private_metadata);
    expect(published.status).toBe(200);
    await eventually(async () =>
      expect(textOf((await h.command('data steward senior', { userId: PERSON })).json)).toContain(
        'Rate yourself',
      ),
    );
    const data = await h.store.orgData('T0LOCAL0001');
    expect(data.frameworks.map((f) => [f.id, f.versions.map((v) => v.version)])).toEqual([
      ['data-steward.e-commerce', ['1']],
    ]);
    expect(data.log.at(-1)).toMatchObject({
      by: ADMIN,
      what: 'published Data Steward (data-steward.e-commerce), version 1',
    });
  });

  it('clicks and forms of someone who is not an admin change nothing', async ({ harness: h }) => {
    h.slack.setAdmin(ADMIN, 'admin');
    const panel = await h.followUp(await h.command('admin', { userId: ADMIN }));
    const before = await h.store.orgData('T0LOCAL0001');

    // The admin's Hide button, pressed by someone else (a forged click).
    const answer = await h.press(panel, 'Hide', { userId: PERSON });
    expect(textOf(answer)).toContain('Only the admins and owners');
    const file = h.slack.addFile({ userId: PERSON, name: 'steward.yml', content: stewardYaml('1') });
    const upload = await submitUpload(h, PERSON, file);
    expect(JSON.stringify(upload.json)).toContain('Only the admins and owners');
    await submitPublish(h, PERSON, JSON.stringify({ id: file.id, name: file.name }));
    await h.idle();
    expect(await h.store.orgData('T0LOCAL0001')).toEqual(before);
    expect(textOf((await h.command('data steward senior', { userId: PERSON })).json)).not.toContain(
      'Rate yourself',
    );
  });

  it('an admin hides a bundled framework for the org and shows it again; the change log says who', async ({
    harness: h,
  }) => {
    h.slack.setAdmin(ADMIN, 'owner');
    const panel = await h.followUp(await h.command('admin', { userId: ADMIN }));
    const hidden = await h.press(panel, 'Hide', { userId: ADMIN });
    expect(textOf(hidden)).toContain('Hidden: people in your organisation no longer see');
    expect(textOf(hidden)).toContain('hidden from your organisation');
    const data = await h.store.orgData('T0LOCAL0001');
    expect(data.hiddenBundled).toHaveLength(1);
    expect(data.log.at(-1)).toMatchObject({ by: ADMIN });
    const shown = await h.press(hidden, 'Show', { userId: ADMIN });
    expect(textOf(shown)).toContain('Shown: people in your organisation see');
    expect((await h.store.orgData('T0LOCAL0001')).hiddenBundled).toEqual([]);
  });

  it('the Home tab has an admin section for admins only', async ({ harness: h }) => {
    const home = async (user: string) => {
      const opened = since(h.slack);
      await sendEvent(h.eventsUrl, SIGNING_SECRET, appHomeOpenedEnvelope({ tab: 'home', user }));
      return JSON.stringify((await opened.call('views.publish')).args);
    };
    h.slack.setAdmin(ADMIN, 'admin');
    expect(await home(ADMIN)).toContain('Add a framework');
    expect(await home(PERSON)).not.toContain('Add a framework');
  });

  it('an admin exports a framework as CSV to their direct messages; the table imports back', async ({
    harness: h,
  }) => {
    h.slack.setAdmin(ADMIN, 'admin');
    const panel = await h.followUp(await h.command('admin', { userId: ADMIN }));
    const responseUrl = h.slack.newResponseUrl();
    const res = await sendInteraction(
      h.eventsUrl,
      SIGNING_SECRET,
      blockActionPayload({
        user: { id: ADMIN },
        actionId: 'admin_export',
        blockId: 'admin_actions',
        actionType: 'static_select',
        selectedOption: { text: 'Solutions Architect', value: 'solutions-architect.e-commerce' },
        responseUrl,
        message: panel as unknown as Record<string, unknown>,
      }),
    );
    expect(res.status).toBe(200);
    const [file] = await h.slack.waitForFiles(1);
    expect(file?.filename).toBe('solutions-architect.e-commerce.csv');
    expect(String(file?.content)).toMatch(/^role,|Solutions Architect/);
    const answer = await h.slack.waitForResponseTo(responseUrl);
    expect(JSON.stringify(answer.body)).toContain('Sent solutions-architect.e-commerce.csv');
  });

  it('an admin names a user group of framework editors: its members may publish, but not choose the editors', async ({
    harness: h,
  }) => {
    h.slack.setAdmin(ADMIN, 'admin');
    h.slack.setUserGroup('S0EDITORS01', [PERSON], { handle: 'framework-editors' });
    expect(textOf(await h.followUp(await h.command('admin', { userId: PERSON })))).toContain(
      'Only the admins and owners',
    );
    const panel = await h.followUp(await h.command('admin', { userId: ADMIN }));
    const choose = (userId: string, value: string) =>
      sendInteraction(
        h.eventsUrl,
        SIGNING_SECRET,
        blockActionPayload({
          user: { id: userId },
          actionId: 'admin_editors',
          blockId: (panel.blocks as { block_id?: string; accessory?: { action_id?: string } }[]).find(
            (b) => b.accessory?.action_id === 'admin_editors',
          )?.block_id as string,
          actionType: 'static_select',
          selectedOption: { text: value, value },
          responseUrl: h.slack.newResponseUrl(),
          message: panel as unknown as Record<string, unknown>,
        }),
      );
    await choose(ADMIN, 'S0EDITORS01');
    await eventually(async () =>
      expect((await h.store.orgData('T0LOCAL0001')).settings.editorsGroup).toBe('S0EDITORS01'),
    );

    // Now the editor may publish…
    const editorPanel = await h.followUp(await h.command('admin', { userId: PERSON }));
    expect(textOf(editorPanel)).toContain('Add a framework');
    const file = h.slack.addFile({ userId: PERSON, name: 'steward.yml', content: stewardYaml('1') });
    const previewed = await submitUpload(h, PERSON, file);
    const preview = (previewed.json as { view: { private_metadata: string } }).view;
    await submitPublish(h, PERSON, preview.private_metadata);
    await eventually(async () =>
      expect(textOf((await h.command('data steward senior', { userId: PERSON })).json)).toContain(
        'Rate yourself',
      ),
    );
    // …but not choose the editors.
    await choose(PERSON, 'nobody');
    await h.idle();
    expect((await h.store.orgData('T0LOCAL0001')).settings.editorsGroup).toBe('S0EDITORS01');
  });

  it('adoption: people who finished an assessment per month, shown only from K people on', async ({
    harness: h,
  }) => {
    h.slack.setAdmin(ADMIN, 'admin');
    const k = h.deps.teams.minPeople;
    const people = Array.from({ length: k }, (_, i) => `U0RATER000${i}`);
    for (const userId of people.slice(0, k - 1))
      await finishSeniorAssessment(h, userId, [4, 4, 4, 4, 4, 4, 4, 4]);
    const month = new Date().toISOString().slice(0, 7);
    const below = textOf(await h.followUp(await h.command('admin', { userId: ADMIN })));
    expect(below).toContain('Nothing to show yet');
    expect(below).not.toContain(`${k - 1} people`);

    await finishSeniorAssessment(h, people[k - 1] ?? '', [4, 4, 4, 4, 4, 4, 4, 4]);
    const shown = textOf(await h.followUp(await h.command('admin', { userId: ADMIN })));
    expect(shown).toContain(`${month} · Solutions Architect · Senior: ${k} people`);
  });

  it('an admin suggests a check-in cadence: people with none are offered it first under their summary', async ({
    harness: h,
  }) => {
    h.slack.setAdmin(ADMIN, 'admin');
    const panel = await h.followUp(await h.command('admin', { userId: ADMIN }));
    const blockId = (panel.blocks as { block_id?: string; accessory?: { action_id?: string } }[]).find(
      (b) => b.accessory?.action_id === 'admin_cadence',
    )?.block_id as string;
    const responseUrl = h.slack.newResponseUrl();
    await sendInteraction(
      h.eventsUrl,
      SIGNING_SECRET,
      blockActionPayload({
        user: { id: ADMIN },
        actionId: 'admin_cadence',
        blockId,
        actionType: 'static_select',
        selectedOption: { text: 'Quarterly', value: 'quarterly' },
        responseUrl,
        message: panel as unknown as Record<string, unknown>,
      }),
    );
    const answer = await h.slack.waitForResponseTo(responseUrl);
    expect(JSON.stringify(answer.body)).toContain('offered quarterly ones first');
    const summary = await finishSeniorAssessment(h, PERSON, [4, 4, 4, 4, 4, 4, 4, 4]);
    expect(textOf(summary)).toContain('Your organisation suggests quarterly.');
    expect(JSON.stringify(summary)).toContain('Quarterly (suggested)');
  });

  it('a file an admin shares in their DM with the app is offered as a framework; the button opens its preview', async ({
    harness: h,
  }) => {
    h.slack.setAdmin(ADMIN, 'admin');
    const dm = `D${ADMIN.slice(1)}`;
    const file = h.slack.addFile({ userId: ADMIN, name: 'steward.yml', content: stewardYaml('1') });
    const posted = since(h.slack);
    await sendEvent(
      h.eventsUrl,
      SIGNING_SECRET,
      fileSharedEnvelope({ fileId: file.id, userId: ADMIN, channelId: dm }),
    );
    const offer = await posted.call('chat.postMessage');
    expect(offer.args.channel).toBe(dm);
    const message = { ...(offer.args as object), ts: offer.ts };
    expect(textOf(message)).toContain('Use *steward.yml* as a framework');

    const opened = since(h.slack);
    await pressInDm(h, message, 'Use as a framework', ADMIN);
    const preview = await opened.call('views.open');
    expect(JSON.stringify(preview.args)).toContain('Data Steward');
    expect(JSON.stringify(preview.args)).toContain('framework_publish');
  });

  it('a file someone else shares in their DM with the app is not offered', async ({ harness: h }) => {
    const file = h.slack.addFile({ userId: PERSON, name: 'steward.yml', content: stewardYaml('1') });
    await sendEvent(
      h.eventsUrl,
      SIGNING_SECRET,
      fileSharedEnvelope({ fileId: file.id, userId: PERSON, channelId: `D${PERSON.slice(1)}` }),
    );
    await h.idle();
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(0);
  });
});
