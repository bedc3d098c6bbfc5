// biome-ignore-all lint/correctness/noEmptyPattern: vitest reads from a fixture's first parameter, which must be a destructuring pattern, the fixtures it needs
import { describe, expect } from 'vitest';
import {
  blockActionPayload,
  blockSuggestionPayload,
  shortcutPayload,
  viewSubmissionPayload,
} from '../../src/sandbox/interaction-payloads.js';
import { type SlackHttpResponse, sendInteraction } from '../../src/sandbox/signing.js';
import { CallbackId, LookupId, ShortcutId } from '../../src/slack/ids.js';
import { blockIdOf, MORE, NO_MATCH } from '../../src/slack/views/lookup-modal.js';
import { RATING_SELECT } from '../../src/slack/views/rate-all.js';
import { manyFrameworksDir } from '../fixtures/many-frameworks.js';
import { assertValidOptionsResponse, assertValidView } from '../support/block-kit.js';
import { test } from '../support/fixtures.js';
import { findButton, type Harness, SIGNING_SECRET, startHarness, textOf } from './harness.js';

/**
 * "Look up a competency", the global shortcut, against the real app over signed HTTP: the form
 * opens, its role menu is filled as the person types (block_suggestion, answered in the HTTP
 * response), choosing a role shows its domains and levels, and Show puts the framework in the modal.
 */

const ALICE = 'U0ALICE0001';

type View = Record<string, unknown> & { id: string; private_metadata?: string; blocks?: unknown[] };

const send = (h: Harness, payload: object): Promise<SlackHttpResponse> =>
  sendInteraction(h.eventsUrl, SIGNING_SECRET, payload);

/** Runs the shortcut and returns the form the app opened, as the local Slack stored it. */
async function openForm(h: Harness, triggerId = `${Date.now()}.1.abc`): Promise<View> {
  const before = h.slack.calls.filter((c) => c.method === 'views.open').length;
  const res = await send(
    h,
    shortcutPayload({ callbackId: ShortcutId.lookup, triggerId, user: { id: ALICE } }),
  );
  expect(res.status).toBe(200);
  const call = (await h.slack.waitForCalls('views.open', before + 1)).at(-1);
  expect(call?.ok, JSON.stringify(call)).toBe(true);
  expect(call?.args.trigger_id).toBe(triggerId);
  return { ...(call?.args.view as object), id: call?.viewId ?? '' } as View;
}

/** What the app answers when the person types `typed` in a menu of the form. */
async function optionsFor(h: Harness, view: View, typed: string, actionId: string = LookupId.role) {
  const blockId =
    actionId === LookupId.role
      ? LookupId.role
      : `${LookupId.domain}:${JSON.parse(view.private_metadata ?? '{}').r}`;
  const res = await send(
    h,
    blockSuggestionPayload({ actionId, blockId, value: typed, view, user: { id: ALICE } }),
  );
  expect(res.status).toBe(200);
  assertValidOptionsResponse(res.json);
  return (res.json as { options: { text: { text: string }; value: string }[] }).options;
}

/** Chooses a role in the form's menu; returns the form as the app updated it. */
async function chooseRole(h: Harness, view: View, role: { value: string; text: string }): Promise<View> {
  const before = h.slack.calls.filter((c) => c.method === 'views.update').length;
  const res = await send(
    h,
    blockActionPayload({
      actionId: LookupId.role,
      blockId: LookupId.role,
      actionType: 'external_select',
      selectedOption: role,
      view: { ...view, type: 'modal' },
      user: { id: ALICE },
    }),
  );
  expect(res.status).toBe(200);
  const updates = await h.slack.waitForCalls('views.update', before + 1);
  const update = updates.at(-1);
  expect(update?.ok, JSON.stringify(update)).toBe(true);
  expect(update?.args.view_id).toBe(view.id);
  return { ...(update?.args.view as object), id: view.id } as View;
}

const chosen = (value: string, type = 'static_select') => ({
  type,
  selected_option: { text: { type: 'plain_text', text: value }, value },
});

/** Presses Show with these choices. */
async function submit(
  h: Harness,
  view: View,
  choices: { role?: string; domain?: string; level?: string },
): Promise<Record<string, unknown>> {
  const roleId = JSON.parse(view.private_metadata ?? '{}').r as string | undefined;
  const values: Record<string, Record<string, unknown>> = {};
  if (choices.role) values[LookupId.role] = { [LookupId.role]: chosen(choices.role, 'external_select') };
  if (roleId && choices.domain)
    values[blockIdOf.domain(roleId)] = { [LookupId.domain]: chosen(choices.domain) };
  if (roleId && choices.level) values[blockIdOf.level(roleId)] = { [LookupId.level]: chosen(choices.level) };
  const res = await send(
    h,
    viewSubmissionPayload({
      callbackId: CallbackId.lookup,
      privateMetadata: view.private_metadata ?? '',
      values,
      viewId: view.id,
      view: { blocks: view.blocks ?? [] },
      user: { id: ALICE },
    }),
  );
  expect(res.status).toBe(200);
  return res.json as Record<string, unknown>;
}

const blockIds = (view: { blocks?: unknown[] }) =>
  (view.blocks as { block_id?: string }[]).map((b) => b.block_id);

/** A second app for this file, serving 500 frameworks instead of the bundled ones. */
const it = test.extend('harnessWith500', { scope: 'file' }, async ({}, { onCleanup }) => {
  const many = await manyFrameworksDir(500);
  const harness = await startHarness({ frameworkDirs: [many.dir] });
  onCleanup(async () => {
    await harness.close();
    await many.remove();
  });
  return harness;
});

describe('the Look up a competency shortcut, with the bundled frameworks', () => {
  // Each test starts with an empty record, once the app is done with the last one's requests.
  it.afterEach(async ({ sharedHarness }) => {
    await sharedHarness.idle();
    sharedHarness.slack.reset();
  });

  it('opens the form with the shortcut’s trigger_id', async ({ sharedHarness: h }) => {
    const form = await openForm(h, '1700000000.42.trigger');
    assertValidView(form);
    expect(form.callback_id).toBe(CallbackId.lookup);
    expect(textOf(form)).toContain('Role');
    expect(blockIds(form)).toEqual([LookupId.role]);
  });

  it('fills the role menu as the person types: "sol" finds Solutions Architect', async ({
    sharedHarness: h,
  }) => {
    const form = await openForm(h);
    const options = await optionsFor(h, form, 'sol');
    expect(options[0]).toMatchObject({ text: { text: 'Solutions Architect' }, value: 'solutions-architect' });
    expect((await optionsFor(h, form, 'SA'))[0]?.value).toBe('solutions-architect');
    // Opening the menu, before anything is typed, lists roles by name.
    expect((await optionsFor(h, form, '')).length).toBeGreaterThan(1);
  });

  it('says kindly when nothing matches, and choosing that note keeps the form as it was', async ({
    sharedHarness: h,
  }) => {
    const form = await openForm(h);
    expect(await optionsFor(h, form, 'xyz')).toEqual([
      { text: { type: 'plain_text', text: "No role matches 'xyz' — try fewer letters" }, value: NO_MATCH },
    ]);
    const again = await chooseRole(h, form, { value: NO_MATCH, text: 'No role matches' });
    assertValidView(again);
    expect(blockIds(again)).toEqual([undefined, LookupId.role]);
    expect(textOf(again)).toContain('Try fewer letters');
    expect(await submit(h, again, { role: NO_MATCH })).toEqual({
      response_action: 'errors',
      errors: { [LookupId.role]: 'Choose a role from the list: type part of its name.' },
    });
  });

  it('asks no domain of a one-domain role; Show puts the framework, with its buttons, in the modal', async ({
    sharedHarness: h,
  }) => {
    const form = await openForm(h);
    const withRole = await chooseRole(h, form, { value: 'solutions-architect', text: 'Solutions Architect' });
    assertValidView(withRole);
    expect(blockIds(withRole)).toEqual([LookupId.role, blockIdOf.level('solutions-architect')]);

    // Show without a level: said under the level menu.
    expect(await submit(h, withRole, { role: 'solutions-architect' })).toEqual({
      response_action: 'errors',
      errors: { [blockIdOf.level('solutions-architect')]: 'Choose a level.' },
    });

    const answer = await submit(h, withRole, { role: 'solutions-architect', level: 'senior' });
    expect(answer.response_action).toBe('update');
    const view = answer.view as View;
    assertValidView(view);
    expect(view.title).toEqual({ type: 'plain_text', text: 'Look up a competency' });
    expect(textOf(view)).toContain('Solutions Architect · Senior');
    expect(textOf(view)).toContain('Expected at Senior');
    for (const label of ['Rate yourself', 'Compare levels', 'See Lead-Principal', 'Look up another']) {
      expect(findButton(view, label)).toBeDefined();
    }

    // Its buttons answer in the modal, as a framework's buttons do anywhere.
    const seeLead = findButton(view, 'See Lead-Principal');
    const updates = h.slack.calls.filter((c) => c.method === 'views.update').length;
    await send(
      h,
      blockActionPayload({
        actionId: seeLead.action_id,
        blockId: seeLead.block_id,
        value: seeLead.value,
        view: { ...view, id: form.id, type: 'modal' },
        user: { id: ALICE },
      }),
    );
    const lead = (await h.slack.waitForCalls('views.update', updates + 1)).at(-1);
    expect(lead?.ok).toBe(true);
    expect(lead?.args.view_id).toBe(form.id);
    expect(textOf(lead?.args.view)).toContain('Expected at Lead-Principal');

    // Look up another: the empty form again.
    const another = findButton(view, 'Look up another');
    await send(
      h,
      blockActionPayload({
        actionId: another.action_id,
        blockId: another.block_id,
        view: { ...view, id: form.id, type: 'modal' },
        user: { id: ALICE },
      }),
    );
    const empty = (await h.slack.waitForCalls('views.update', updates + 2)).at(-1);
    expect(blockIds(empty?.args.view as View)).toEqual([LookupId.role]);
  });

  it('Rate all inside the modal puts the form in its place, and saving shows the summary there', async ({
    sharedHarness: h,
  }) => {
    const form = await openForm(h);
    const withRole = await chooseRole(h, form, { value: 'solutions-architect', text: 'Solutions Architect' });
    const answer = await submit(h, withRole, { role: 'solutions-architect', level: 'senior' });
    const view = { ...(answer.view as View), id: form.id, type: 'modal' as const };
    const rateAll = findButton(view, 'Rate all at once');
    const opens = h.slack.calls.filter((c) => c.method === 'views.open').length;
    const updates = h.slack.calls.filter((c) => c.method === 'views.update').length;
    await send(
      h,
      blockActionPayload({
        actionId: rateAll.action_id,
        blockId: rateAll.block_id,
        value: rateAll.value,
        view,
        user: { id: ALICE },
      }),
    );
    const update = (await h.slack.waitForCalls('views.update', updates + 1)).at(-1);
    expect(update?.ok, JSON.stringify(update)).toBe(true);
    expect(update?.args.view_id).toBe(form.id);
    const rateForm = update?.args.view as View & { callback_id?: string };
    expect(rateForm.callback_id).toBe(CallbackId.rateAll);
    // No second modal: Slack opens none from inside one.
    await h.idle();
    expect(h.slack.calls.filter((c) => c.method === 'views.open')).toHaveLength(opens);

    const firstInput = (rateForm.blocks as { type: string; block_id: string }[]).find(
      (b) => b.type === 'input',
    );
    const res = await send(
      h,
      viewSubmissionPayload({
        callbackId: CallbackId.rateAll,
        privateMetadata: rateForm.private_metadata ?? '',
        values: { [firstInput?.block_id ?? '']: { [RATING_SELECT]: chosen('4') } },
        viewId: form.id,
        view: { blocks: rateForm.blocks ?? [] },
        user: { id: ALICE },
      }),
    );
    expect(res.status).toBe(200);
    const saved = res.json as { response_action?: string; view?: View };
    expect(saved.response_action).toBe('update');
    assertValidView(saved.view);
    expect(textOf(saved.view)).toContain('Solutions Architect');
    expect(textOf(saved.view)).toContain('*1 of 1 at or above Senior expectations* (7 skipped): 1 meets.');
    expect(textOf(saved.view)).toContain('You ▰▰▰▰▱ 4/5');
  });

  it('shows the chosen role’s menus when Show is pressed before the form caught up with the choice', async ({
    sharedHarness: h,
  }) => {
    const form = await openForm(h);
    const answer = await submit(h, form, { role: 'solutions-architect' });
    expect(answer.response_action).toBe('update');
    expect(blockIds(answer.view as View)).toEqual([LookupId.role, blockIdOf.level('solutions-architect')]);
  });

  it('answers hostile or malformed options requests within the limits, and changes nothing', async ({
    sharedHarness: h,
  }) => {
    const form = await openForm(h);
    const long = await optionsFor(h, form, `<!channel> ${'x'.repeat(10_000)}`);
    expect(long).toHaveLength(1);
    expect(long[0]?.value).toBe(NO_MATCH);
    expect(long[0]?.text.text.length).toBeLessThanOrEqual(75);
    const payload = blockSuggestionPayload({
      actionId: LookupId.role,
      blockId: LookupId.role,
      value: '',
      view: form,
    });
    delete payload.value;
    const noValue = await send(h, payload);
    expect(noValue.status).toBe(200);
    assertValidOptionsResponse(noValue.json);
    // The domain menu of a form that names no role.
    const domains = await send(
      h,
      blockSuggestionPayload({
        actionId: LookupId.domain,
        blockId: 'lookup_domain:x',
        value: 'a',
        view: form,
      }),
    );
    expect(domains.status).toBe(200);
    assertValidOptionsResponse(domains.json);
    // A role choice that did not come from a form (no view): acknowledged, nothing updated.
    const noView = await send(
      h,
      blockActionPayload({
        actionId: LookupId.role,
        blockId: LookupId.role,
        actionType: 'external_select',
        selectedOption: { value: 'solutions-architect', text: 'Solutions Architect' },
      }),
    );
    expect(noView.status).toBe(200);
    await h.idle();
    expect(h.slack.calls.filter((c) => c.method === 'views.update')).toEqual([]);
  });

  it('tells the person in a direct message when the form cannot open', async ({ sharedHarness: h }) => {
    h.slack.failNext('views.open', 'expired_trigger_id');
    const res = await send(h, shortcutPayload({ callbackId: ShortcutId.lookup, user: { id: ALICE } }));
    expect(res.status).toBe(200);
    const [dm] = await h.slack.waitForCalls('chat.postMessage', 1);
    expect(dm?.args.channel).toBe(ALICE);
  });
});

describe('the Look up a competency shortcut, with 500 frameworks', () => {
  // Loading 500 frameworks takes a while on a busy machine.
  it.beforeAll(({ harnessWith500 }) => {
    expect(harnessWith500.catalog.frameworks).toHaveLength(500);
  }, 60_000);

  it('answers every options request within Slack’s 100 options, best matches first', async ({
    harnessWith500: h,
  }) => {
    const form = await openForm(h);
    const all = await optionsFor(h, form, '');
    expect(all).toHaveLength(100);
    expect(all.at(-1)).toMatchObject({ value: MORE, text: { text: '…and 151 more: type more of the name' } });

    const data = await optionsFor(h, form, 'data');
    expect(data).toHaveLength(20);
    // "Data …" and "Database …" start with it; nothing that merely contains it comes first.
    expect(data.every((o) => o.text.text.startsWith('Data'))).toBe(true);
    expect(data.slice(0, 10).every((o) => o.text.text.startsWith('Data '))).toBe(true);

    const arch = await optionsFor(h, form, 'arch');
    expect(arch.slice(0, 25).every((o) => o.text.text.endsWith(' Architect'))).toBe(true);
    expect(arch.slice(25).every((o) => o.text.text.startsWith('Search '))).toBe(true);

    const sol = await optionsFor(h, form, 'sol');
    expect(sol.map((o) => o.text.text)).toContain('Solutions Architect');
    expect(sol.every((o) => o.text.text.startsWith('Solutions '))).toBe(true);
  });

  it('asks for the domain of a role with several, and says which levels a domain has', async ({
    harnessWith500: h,
  }) => {
    const form = await openForm(h);
    const withRole = await chooseRole(h, form, { value: 'data-analyst', text: 'Data Analyst' });
    assertValidView(withRole);
    expect(blockIds(withRole)).toEqual([
      LookupId.role,
      blockIdOf.domain('data-analyst'),
      blockIdOf.level('data-analyst'),
    ]);
    expect(await submit(h, withRole, { role: 'data-analyst', level: 'senior' })).toEqual({
      response_action: 'errors',
      errors: { [blockIdOf.domain('data-analyst')]: 'Data Analyst has several domains: choose one.' },
    });
    expect(
      await submit(h, withRole, { role: 'data-analyst', domain: 'healthcare', level: 'lead-principal' }),
    ).toEqual({
      response_action: 'errors',
      errors: { [blockIdOf.level('data-analyst')]: 'Healthcare has Mid-Level, Senior: choose one of those.' },
    });
    // Choosing a domain narrows the level menu to that domain's levels, and keeps the choice shown.
    const updates = h.slack.calls.filter((c) => c.method === 'views.update').length;
    await send(
      h,
      blockActionPayload({
        actionId: LookupId.domain,
        blockId: blockIdOf.domain('data-analyst'),
        actionType: 'static_select',
        selectedOption: { value: 'healthcare', text: 'Healthcare' },
        view: { ...withRole, type: 'modal' },
        user: { id: ALICE },
      }),
    );
    const narrowed = (await h.slack.waitForCalls('views.update', updates + 1)).at(-1);
    expect(narrowed?.ok, JSON.stringify(narrowed)).toBe(true);
    const withDomain = narrowed?.args.view as View;
    assertValidView(withDomain);
    type Select = {
      block_id: string;
      element: { initial_option?: { value: string }; options?: { value: string }[] };
    };
    const blocks = withDomain.blocks as Select[];
    const domainMenu = blocks.find((b) => b.block_id === blockIdOf.domain('data-analyst'));
    const levelMenu = blocks.find((b) => b.block_id === blockIdOf.level('data-analyst'));
    expect(domainMenu?.element.initial_option?.value).toBe('healthcare');
    expect(levelMenu?.element.options?.map((o) => o.value)).toEqual(['mid-level', 'senior']);

    const answer = await submit(h, withRole, {
      role: 'data-analyst',
      domain: 'banking',
      level: 'lead-principal',
    });
    expect(answer.response_action).toBe('update');
    assertValidView(answer.view);
    expect(textOf(answer.view)).toContain('Data Analyst · Lead-Principal');
    expect(textOf(answer.view)).toContain('Banking');
  });
});
