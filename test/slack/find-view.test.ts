import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/frameworks/catalog.js';
import type { Framework } from '../../src/frameworks/schema.js';
import { SearchIndex, searchIndexOf } from '../../src/frameworks/search.js';
import { validateMessage } from '../../src/sandbox/block-kit.js';
import { parseCompetencyText } from '../../src/slack/command-text.js';
import { ActionId, ActionRoute, routeMatches } from '../../src/slack/ids.js';
import { blockTextLength } from '../../src/slack/views/budget.js';
import { FIND_LIMIT, findMessage, findUsageMessage } from '../../src/slack/views/find.js';
import { frameworkQuery } from '../../src/slack/views/framework.js';
import { LIST_PAGE_SIZE, listMessage, listPageCount, listPageOf } from '../../src/slack/views/list.js';
import { hostileFramework, largestFramework } from './fixtures.js';

type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: { type: string; action_id?: string; value?: string; text?: { text: string } }[];
};

const blocksOf = (message: { blocks: unknown[] }) => message.blocks as Block[];
const buttonsOf = (message: { blocks: unknown[] }) =>
  blocksOf(message).flatMap((b) => (b.elements ?? []).filter((e) => e.type === 'button'));
const allText = (message: { blocks: unknown[] }) => JSON.stringify(message.blocks);

/** Every mrkdwn text in some blocks. */
function mrkdwnTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnTexts);
  if (!node || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  if (record.type === 'mrkdwn' && typeof record.text === 'string') return [record.text];
  return Object.values(record).flatMap(mrkdwnTexts);
}

/** The tester framework of the other view tests, with a role of its own: `role-000`, `role-001`, … */
function numbered(base: Framework, count: number): Framework[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(3, '0');
    return {
      ...base,
      role: { ...base.role, id: `role-${n}`, name: `Role ${n}` },
      id: `role-${n}.${base.domain.id}`,
    };
  });
}

describe('/competency find: the answer', () => {
  const largest = largestFramework();
  const catalog = new Catalog([largest, ...numbered(largest, 499)]);
  const search = (text: string) => searchIndexOf(catalog).search(text, FIND_LIMIT);

  it('shows the best matches, each with a button per level that opens its framework there', () => {
    const message = findMessage('competency 1', search('competency 1'), catalog.frameworks);
    expect(validateMessage(message)).toEqual([]);
    const buttons = buttonsOf(message);
    expect(buttons.length).toBeGreaterThan(0);
    for (const button of buttons) {
      expect(routeMatches(ActionRoute.showFramework, button.action_id ?? '')).toBe(true);
      // The value is the text that looks the framework up at that level.
      const [roleId, levelId] = (button.value ?? '').split(' ');
      const framework = catalog.frameworks.find((f) => f.role.id === roleId);
      const level = framework?.levels.find((l) => l.id === levelId);
      expect(framework && level && frameworkQuery(framework, level)).toBe(button.value);
      expect(catalog.lookup(button.value ?? '').kind).toBe('found');
    }
  });

  it('with 500 frameworks of the largest size, stays within Block Kit limits and says how many more matched', () => {
    for (const text of ['competency', 'role', 'description', 'c', 'level summary role competency']) {
      const result = search(text);
      const message = findMessage(text, result, catalog.frameworks);
      expect(validateMessage(message), text).toEqual([]);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      expect(blockTextLength(message.blocks)).toBeLessThan(12_000);
      if (result.total > FIND_LIMIT) expect(allText(message)).toMatch(/…and \d+ more matched/);
    }
  });

  it('a competency result says what each level expects, on its buttons too', () => {
    const tester = hostileFramework();
    const index = new SearchIndex([tester]);
    const message = findMessage('name', index.search('name'), [tester]);
    expect(allText(message)).toContain('Expected: Senior &lt;!everyone&gt; 3/5');
    expect(buttonsOf(message).map((b) => b.text?.text)).toContain('Senior <!everyone> · 3/5');
  });

  it('escapes names and what was typed', () => {
    const f = hostileFramework();
    const index = new SearchIndex([f]);
    for (const text of ['name role', '<!channel> name', 'zzz <!here>']) {
      const message = findMessage(text, index.search(text), [f]);
      expect(validateMessage(message)).toEqual([]);
      // Plain-text objects (headers, button labels) are shown literally by Slack, so only mrkdwn counts.
      const mrkdwn = JSON.stringify(mrkdwnTexts(message.blocks));
      expect(`${mrkdwn}${message.text}`).not.toMatch(/<!(channel|here|everyone|subteam)/);
    }
  });

  it('nothing found: says so kindly, with what to try and a button to every framework', () => {
    const message = findMessage('zebra unicorn', search('zebra unicorn'), catalog.frameworks);
    expect(validateMessage(message)).toEqual([]);
    const text = allText(message);
    expect(text).toContain('Nothing matched *zebra unicorn*');
    expect(text).toContain('Try fewer words');
    expect(text).toContain('/competency list');
    const [button] = buttonsOf(message);
    expect(button?.action_id).toBe(ActionId.listPage);
    expect(routeMatches(ActionRoute.listPage, button?.action_id ?? '')).toBe(true);
    expect(listPageOf(button?.value)).toBe(1);
  });

  it('find with no words: how to use it, with an example that finds something', () => {
    const message = findUsageMessage(catalog.frameworks);
    expect(validateMessage(message)).toEqual([]);
    const example = /e\.g\. `\/competency find ([^`]+)`/.exec(allText(message))?.[1] ?? '';
    expect(example).not.toBe('');
    expect(searchIndexOf(catalog).search(example).total).toBeGreaterThan(0);
  });
});

describe('/competency list: pages', () => {
  const tester = hostileFramework();

  it.each([
    ['small', numbered(tester, 500)],
    ['largest', numbered(largestFramework(), 500)],
  ])('500 %s frameworks: every page within limits, every framework on exactly one page', (_, frameworks) => {
    const catalog = new Catalog(frameworks);
    const pages = listPageCount(catalog.frameworks);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(500 / LIST_PAGE_SIZE));
    const seen = new Map<string, number>();
    for (let page = 1; page <= pages; page++) {
      const message = listMessage(catalog.frameworks, page);
      expect(validateMessage(message), `page ${page}`).toEqual([]);
      expect(allText(message)).toContain(`Page ${page} of ${pages}`);
      for (const block of blocksOf(message)) {
        const id = block.block_id?.startsWith('list_') ? block.block_id.slice('list_'.length) : undefined;
        if (id && id !== 'pages') seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      // Previous on every page but the first, Next on every page but the last, each naming its page.
      const nav = buttonsOf(message).filter((b) => b.action_id?.startsWith(ActionId.listPage));
      expect(nav.map((b) => [b.text?.text, listPageOf(b.value)])).toEqual([
        ...(page > 1 ? [['← Previous', page - 1]] : []),
        ...(page < pages ? [['Next →', page + 1]] : []),
      ]);
      for (const b of nav) expect(routeMatches(ActionRoute.listPage, b.action_id ?? '')).toBe(true);
    }
    expect(seen.size).toBe(500);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect([...seen.keys()]).toEqual(catalog.frameworks.map((f) => f.id));
  });

  it('a page past the last shows the last, and says so; page 0 or nonsense shows the first', () => {
    const frameworks = numbered(tester, 45);
    const pages = listPageCount(frameworks);
    expect(pages).toBe(3);
    expect(allText(listMessage(frameworks, 99))).toContain('Page 3 of 3');
    expect(allText(listMessage(frameworks, 99))).toContain('only 3 pages');
    expect(allText(listMessage(frameworks, 0))).toContain('Page 1 of 3');
    expect(allText(listMessage(frameworks, Number.NaN))).toContain('Page 1 of 3');
  });

  it('one page: no page buttons, no page number', () => {
    const message = listMessage(numbered(tester, 3));
    expect(allText(message)).not.toContain('Page ');
    expect(buttonsOf(message).some((b) => b.action_id?.startsWith(ActionId.listPage))).toBe(false);
    expect(validateMessage(listMessage([]))).toEqual([]);
  });

  it('a page button value must be a page number', () => {
    expect(listPageOf('3')).toBe(3);
    for (const bad of [undefined, '', '0', '-1', '2.5', '1e3', 'x', '9999999', '03']) {
      expect(listPageOf(bad), String(bad)).toBeUndefined();
    }
  });
});

describe('/competency find and list: what is typed', () => {
  it.each([
    ['find stakeholder management', { kind: 'find', query: 'stakeholder management' }],
    ['Search  architect', { kind: 'find', query: 'architect' }],
    ['find', { kind: 'find', query: '' }],
    ['list', { kind: 'list', page: 1 }],
    ['list 3', { kind: 'list', page: 3 }],
    ['ls page 2', { kind: 'list', page: 2 }],
    ['list architect', { kind: 'find', query: 'architect' }],
  ])('%j', (text, request) => {
    expect(parseCompetencyText(text)).toEqual(request);
  });
});
