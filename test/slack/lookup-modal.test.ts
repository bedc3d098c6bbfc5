import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import { RoleOptions, roleOptionsOf } from '../../src/frameworks/role-options.js';
import { validateOptionsResponse, validateView } from '../../src/sandbox/block-kit.js';
import { blocksToHtml } from '../../src/sandbox/page/render.js';
import { CallbackId, LookupId } from '../../src/slack/ids.js';
import { resolveLookup } from '../../src/slack/view-submissions/lookup.js';
import {
  blockIdOf,
  domainOptionsResponse,
  levelsOf,
  lookupAnswerView,
  lookupFormView,
  MORE,
  NO_MATCH,
  roleOptionsResponse,
} from '../../src/slack/views/lookup-modal.js';
import { manyFrameworks } from '../fixtures/many-frameworks.js';
import { assertValidOptionsResponse, assertValidView } from '../support/block-kit.js';

let bundled: Catalog;
let many: Catalog;

beforeAll(async () => {
  bundled = new Catalog(await loadFrameworks([BUNDLED_FRAMEWORKS_DIR]));
  many = new Catalog(await manyFrameworks(500));
});

const names = (roles: RoleOptions, typed: string, limit = 100) =>
  roles.rank(typed, limit).matches.map((m) => m.role.name);

const selectedIn = (blockId: string, actionId: string, value: string) => ({
  [blockId]: { [actionId]: { type: 'static_select', selected_option: { value } } },
});

/** Every element of a view, with the block it is in. */
function elements(view: { blocks: unknown[] }) {
  return (view.blocks as { type: string; block_id?: string; element?: Record<string, unknown> }[])
    .filter((b) => b.type === 'input')
    .map((b) => ({ blockId: b.block_id ?? '', ...(b.element ?? {}) }) as Record<string, unknown>);
}

describe('ranking roles by what is typed', () => {
  it('finds Solutions Architect from the start of its name, its alias, a later word or a typo', () => {
    const roles = roleOptionsOf(bundled);
    for (const typed of [
      'sol',
      'Sol',
      'solutions arch',
      'sa',
      'SA',
      'arch',
      'solutons',
      'solution-architect',
    ]) {
      expect(names(roles, typed)[0], typed).toBe('Solutions Architect');
    }
    expect(names(roles, 'eng')[0]).toBe('Engineer');
  });

  it('finds nothing for letters no role has, and lists every role, by name, when nothing is typed', () => {
    const roles = roleOptionsOf(bundled);
    expect(roles.rank('xyz', 100)).toEqual({ matches: [], total: 0 });
    expect(names(roles, '')).toEqual(bundled.roles().map((r) => r.name));
  });

  it('ranks names that start with the text before names where a later word does, then names that contain it', () => {
    const roles = roleOptionsOf(many);
    const found = roles.rank('data', 100);
    const ranks = found.matches.map((m) => m.rank);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(
      names(roles, 'data')
        .slice(0, 10)
        .every((n) => n.startsWith('Data ')),
    ).toBe(true);
    expect(names(roles, 'data')).toContain('Database Architect');
    // A later word: every "… Architect"; then the names that only contain "arch" ("Search …").
    const arch = names(roles, 'arch');
    expect(arch).toHaveLength(34);
    expect(arch.slice(0, 25).every((n) => n.endsWith(' Architect'))).toBe(true);
    expect(arch.slice(25).every((n) => n.startsWith('Search '))).toBe(true);
    // Each typed word starts a word of the name, in order.
    expect(names(roles, 'site rel eng')).toEqual(['Site Reliability Engineer']);
    // Exact names first, before the names that merely start with them.
    expect(names(roles, 'data engineer')[0]).toBe('Data Engineer');
  });

  it('gives at most the limit asked for, and says how many matched in all', () => {
    const roles = roleOptionsOf(many);
    expect(roles.size).toBe(250);
    const all = roles.rank('', 100);
    expect(all.matches).toHaveLength(100);
    expect(all.total).toBe(250);
    const architects = roles.rank('architect', 5);
    expect(architects.matches).toHaveLength(5);
    expect(architects.total).toBe(25);
  });

  it('is worked out once per catalog; each letter typed keeps the roles whose name starts with the text', () => {
    // How fast the menu ranks is measured by the bench (npm run bench -- --only lookup), not here.
    expect(roleOptionsOf(many)).toBe(roleOptionsOf(many));
    const roles = roleOptionsOf(many);
    // The ten "Solutions …" roles of the fixture, in the catalog's order (by name).
    const solutions = many
      .roles()
      .map((r) => r.name)
      .filter((name) => name.startsWith('Solutions '));
    expect(solutions).toHaveLength(10);
    for (const typed of ['so', 'sol', 'solu', 'solut', 'soluti', 'solutio', 'solution', 'solutions']) {
      const ranking = roles.rank(typed, 100);
      expect(ranking.total, typed).toBe(10);
      expect(
        ranking.matches.map((m) => m.role.name),
        typed,
      ).toEqual(solutions);
    }
    // Letters no role has, even with a typo or two: nothing.
    expect(roles.rank('xyzzy', 100)).toEqual({ matches: [], total: 0 });
  });

  it('reads at most 200 typed characters', () => {
    const roles = roleOptionsOf(many);
    expect(roles.rank('a'.repeat(100_000), 100).total).toBe(0);
  });
});

describe('the role menu’s options', () => {
  it('lists the matching roles by name, with their domains, within Slack’s limits', () => {
    const response = roleOptionsResponse(roleOptionsOf(bundled).rank('sol', 100), 'sol');
    assertValidOptionsResponse(response);
    expect(response.options).toEqual([
      {
        text: { type: 'plain_text', text: 'Solutions Architect' },
        value: 'solutions-architect',
        description: { type: 'plain_text', text: 'E-commerce' },
      },
    ]);
    const several = roleOptionsResponse(roleOptionsOf(many).rank('data analyst', 100), 'data analyst');
    expect(several.options[0]?.description?.text).toBe('3 domains: Banking, Healthcare, Retail');
  });

  it('says kindly when no role matches', () => {
    const response = roleOptionsResponse(roleOptionsOf(bundled).rank('xyz', 100), 'xyz');
    assertValidOptionsResponse(response);
    expect(response.options).toEqual([
      { text: { type: 'plain_text', text: "No role matches 'xyz' — try fewer letters" }, value: NO_MATCH },
    ]);
    const long = roleOptionsResponse({ matches: [], total: 0 }, `${'q'.repeat(500)}  `);
    assertValidOptionsResponse(long);
  });

  it('keeps to 100 options with 250 roles, the last saying how many more there are', () => {
    const response = roleOptionsResponse(roleOptionsOf(many).rank('', 100), '');
    assertValidOptionsResponse(response);
    expect(response.options).toHaveLength(100);
    expect(response.options.at(-1)).toEqual({
      text: { type: 'plain_text', text: '…and 151 more: type more of the name' },
      value: MORE,
    });
  });

  it('is checked like Slack checks it: more than 100 options, or long texts, are refused', () => {
    const option = { text: { type: 'plain_text', text: 'x' }, value: 'x' };
    expect(validateOptionsResponse({ options: Array.from({ length: 101 }, () => option) })).not.toEqual([]);
    expect(
      validateOptionsResponse({
        options: [{ ...option, text: { type: 'plain_text', text: 'x'.repeat(76) } }],
      }),
    ).not.toEqual([]);
    expect(
      validateOptionsResponse({ options: [{ ...option, text: { type: 'mrkdwn', text: 'x' } }] }),
    ).not.toEqual([]);
    expect(validateOptionsResponse({ options: [] })).toEqual([]);
  });

  it('lists a role’s domains as typed, for a role with more than a static menu holds', () => {
    const role = roleOptionsOf(many).get('data-analyst');
    expect(role).toBeDefined();
    const frameworks = role?.frameworks ?? [];
    expect(domainOptionsResponse(frameworks, 'bank').options.map((o) => o.value)).toEqual(['banking']);
    expect(domainOptionsResponse(frameworks, '').options).toHaveLength(3);
    expect(domainOptionsResponse(frameworks, 'zzz').options[0]?.value).toBe(NO_MATCH);
  });
});

describe('the Look up a competency form', () => {
  it('opens with a role menu the app fills as the person types, and a title within 24 characters', () => {
    const view = lookupFormView();
    assertValidView(view);
    expect(view.callback_id).toBe(CallbackId.lookup);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.blocks).toHaveLength(1);
    const [role] = view.blocks as { dispatch_action?: boolean; block_id?: string }[];
    expect(role?.dispatch_action).toBe(true);
    expect(role?.block_id).toBe(LookupId.role);
    expect(elements(view)[0]).toMatchObject({
      type: 'external_select',
      action_id: LookupId.role,
      min_query_length: 0,
    });
  });

  it('asks only for the level when the role has one domain', () => {
    const role = roleOptionsOf(bundled).get('solutions-architect');
    if (!role) throw new Error('no Solutions Architect');
    const view = lookupFormView({ role });
    assertValidView(view);
    const els = elements(view);
    expect(els.map((e) => e.blockId)).toEqual([LookupId.role, blockIdOf.level(role.id)]);
    expect(els[0]?.initial_option).toMatchObject({ value: 'solutions-architect' });
    expect(((els[1]?.options ?? []) as { value: string }[]).map((o) => o.value)).toEqual([
      'mid-level',
      'senior',
      'lead-principal',
    ]);
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ r: 'solutions-architect' });
  });

  it('asks for the domain, then the level, when the role has several domains', () => {
    const role = roleOptionsOf(many).get('data-analyst');
    if (!role) throw new Error('no Data Analyst');
    const view = lookupFormView({ role });
    assertValidView(view);
    const els = elements(view);
    expect(els.map((e) => e.blockId)).toEqual([
      LookupId.role,
      blockIdOf.domain(role.id),
      blockIdOf.level(role.id),
    ]);
    expect(((els[1]?.options ?? []) as { value: string }[]).map((o) => o.value)).toEqual([
      'banking',
      'healthcare',
      'retail',
    ]);
    expect(levelsOf(role).map((l) => l.id)).toEqual(['mid-level', 'senior', 'lead-principal']);
  });

  it('chooses the only level for the person, and shows a note above the menus', () => {
    const [framework] = many.frameworks;
    if (!framework) throw new Error('no framework');
    const oneLevel = { ...framework, levels: framework.levels.slice(0, 1) };
    const role = new RoleOptions(new Catalog([oneLevel]).roles()).get(framework.role.id);
    if (!role) throw new Error('no role');
    const view = lookupFormView({ role, notice: 'Pick <!channel> & go' });
    assertValidView(view);
    expect(elements(view).at(-1)?.initial_option).toMatchObject({ value: framework.levels[0]?.id });
    expect(JSON.stringify(view.blocks[0])).toContain('Pick &lt;!channel&gt; &amp; go');
  });

  it('uses a menu filled as typed for a role with more than 100 domains', () => {
    const [framework] = many.frameworks;
    if (!framework) throw new Error('no framework');
    const domains = Array.from({ length: 101 }, (_, i) => ({
      ...framework,
      id: `${framework.role.id}.d${i}`,
      domain: { id: `d${i}`, name: `Domain ${i}`, aliases: [] },
    }));
    const role = new Catalog(domains).roles()[0];
    if (!role) throw new Error('no role');
    const view = lookupFormView({ role });
    assertValidView(view);
    expect(elements(view)[1]).toMatchObject({ type: 'external_select', action_id: LookupId.domain });
  });

  it('shows the answer with the framework’s buttons and Look up another, within a modal’s limits', () => {
    const [framework] = bundled.frameworks.filter((f) => f.role.id === 'solutions-architect');
    const level = framework?.levels.find((l) => l.id === 'senior');
    if (!framework || !level) throw new Error('no framework');
    const view = lookupAnswerView(framework, level, { rate: { progress: undefined } });
    assertValidView(view);
    expect(view.submit).toBeUndefined();
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('Solutions Architect · Senior');
    expect(text).toContain('Rate yourself');
    expect(text).toContain('See Lead-Principal');
    expect(text).toContain(LookupId.again);
  });
});

describe('reading a submitted form', () => {
  const roles = () => roleOptionsOf(many);
  const role = (values: object) => ({
    [LookupId.role]: { [LookupId.role]: { type: 'external_select', selected_option: values } },
  });

  it('finds the framework and level, with the domain only when the role has several', () => {
    const oneDomain = resolveLookup(
      roles(),
      {
        ...role({ value: 'data-engineer' }),
        ...selectedIn(blockIdOf.level('data-engineer'), LookupId.level, 'senior'),
      },
      { r: 'data-engineer' },
    );
    expect(oneDomain).toMatchObject({ kind: 'found', framework: { id: 'data-engineer.retail' } });
    const several = resolveLookup(
      roles(),
      {
        ...role({ value: 'data-analyst' }),
        ...selectedIn(blockIdOf.domain('data-analyst'), LookupId.domain, 'banking'),
        ...selectedIn(blockIdOf.level('data-analyst'), LookupId.level, 'lead-principal'),
      },
      { r: 'data-analyst' },
    );
    expect(several).toMatchObject({
      kind: 'found',
      framework: { id: 'data-analyst.banking' },
      level: { id: 'lead-principal' },
    });
  });

  it('says under each menu what is missing', () => {
    expect(resolveLookup(roles(), {}, {})).toEqual({
      kind: 'errors',
      errors: { [LookupId.role]: expect.stringContaining('Choose a role') },
    });
    expect(resolveLookup(roles(), role({ value: NO_MATCH }), {})).toMatchObject({ kind: 'errors' });
    expect(resolveLookup(roles(), role({ value: 'no-such-role' }), {})).toMatchObject({
      kind: 'errors',
      errors: { [LookupId.role]: expect.stringContaining('no longer there') },
    });
    expect(resolveLookup(roles(), role({ value: 'data-analyst' }), { r: 'data-analyst' })).toEqual({
      kind: 'errors',
      errors: { [blockIdOf.domain('data-analyst')]: 'Data Analyst has several domains: choose one.' },
    });
    expect(resolveLookup(roles(), role({ value: 'data-engineer' }), { r: 'data-engineer' })).toEqual({
      kind: 'errors',
      errors: { [blockIdOf.level('data-engineer')]: 'Choose a level.' },
    });
    // Healthcare has no Lead-Principal in these frameworks.
    expect(
      resolveLookup(
        roles(),
        {
          ...role({ value: 'data-analyst' }),
          ...selectedIn(blockIdOf.domain('data-analyst'), LookupId.domain, 'healthcare'),
          ...selectedIn(blockIdOf.level('data-analyst'), LookupId.level, 'lead-principal'),
        },
        { r: 'data-analyst' },
      ),
    ).toEqual({
      kind: 'errors',
      errors: {
        [blockIdOf.level('data-analyst')]: 'Healthcare has Mid-Level, Senior: choose one of those.',
      },
    });
  });

  it('shows the chosen role’s menus when the form still has another role’s', () => {
    expect(resolveLookup(roles(), role({ value: 'data-analyst' }), { r: 'data-engineer' })).toEqual({
      kind: 'form',
      roleId: 'data-analyst',
    });
  });

  it('ignores values that are not the form’s own (a forged submission)', () => {
    const forged = {
      __proto__: { [LookupId.role]: { [LookupId.role]: { selected_option: { value: 'x' } } } },
    };
    expect(resolveLookup(roles(), forged as never, {})).toMatchObject({ kind: 'errors' });
    expect(resolveLookup(roles(), role({ value: 42 }), {})).toMatchObject({ kind: 'errors' });
  });
});

describe('menus the app fills, as the local Slack and the sandbox page see them', () => {
  const external = (extra: Record<string, unknown> = {}) => ({
    type: 'modal',
    title: { type: 'plain_text', text: 'Form' },
    submit: { type: 'plain_text', text: 'Go' },
    blocks: [
      {
        type: 'input',
        block_id: 'b',
        label: { type: 'plain_text', text: 'Role' },
        element: { type: 'external_select', action_id: 'a', ...extra },
      },
    ],
  });

  it('accepts an external_select in a form, and refuses what Slack would refuse', () => {
    expect(validateView(external({ min_query_length: 0 }))).toEqual([]);
    expect(validateView(external({ min_query_length: -1 }))).toEqual([
      'blocks[0] (input) > element (external_select): min_query_length must be a whole number, 0 or more',
    ]);
    expect(validateView(external({ options: [] }))).toHaveLength(1);
    expect(
      validateView(
        external({ initial_option: { text: { type: 'plain_text', text: 'x'.repeat(76) }, value: 'x' } }),
      ),
    ).toHaveLength(1);
  });

  it('renders the form’s role menu as a text box the page fills, sent at once when chosen', () => {
    const role = roleOptionsOf(bundled).get('solutions-architect');
    if (!role) throw new Error('no Solutions Architect');
    const empty = blocksToHtml(lookupFormView().blocks, { idPrefix: 'v' });
    expect(empty).not.toContain('unsupported');
    expect(empty).toContain('role="combobox"');
    expect(empty).toContain('data-input="external_select"');
    expect(empty).toContain('data-dispatch="true"');
    expect(empty).toContain('data-min-query-length="0"');
    const chosen = blocksToHtml(lookupFormView({ role }).blocks, { idPrefix: 'v' });
    expect(chosen).toContain('data-value="solutions-architect"');
    expect(chosen).toContain('value="Solutions Architect"');
    expect(chosen).toContain('Lead-Principal');
  });
});
