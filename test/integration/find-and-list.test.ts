import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { BUNDLED_FRAMEWORKS_DIR } from '../../src/frameworks/loader.js';
import { test } from '../support/fixtures.js';
import { buttons, type Posted, textOf } from './harness.js';

/**
 * `/competency find` and the pages of `/competency list`, as a person uses them: the real app over
 * signed HTTP against the local Slack (which checks every message's Block Kit), with the bundled
 * Solutions Architect framework and 60 more roles (`bench-role-001` …), each a copy of it.
 */

const COPIES = 60;
const ROLE_BLOCK = `role:
  id: solutions-architect
  name: Solutions Architect
  aliases: [solution-architect, sa, solutions-architects]
`;

/** The frameworks a page of the list shows, by the ids in its blocks. */
const frameworksOn = (message: Posted) =>
  message.blocks
    .map((b) => b.block_id ?? '')
    .filter((id) => id.startsWith('list_') && id !== 'list_pages')
    .map((id) => id.slice('list_'.length));

const ids = ['solutions-architect.e-commerce'];

/** The app of this file serves the frameworks written to a folder of its own. */
const it = test.extend('harnessOptions', { scope: 'file' }, async ({ sharedTempDir: dir }) => {
  const yaml = await readFile(
    path.join(BUNDLED_FRAMEWORKS_DIR, 'solutions-architect.e-commerce.yml'),
    'utf8',
  );
  if (!yaml.includes(ROLE_BLOCK))
    throw new Error('the bundled framework no longer starts its role block as expected');
  await writeFile(path.join(dir, 'solutions-architect.e-commerce.yml'), yaml);
  for (let i = 1; i <= COPIES; i++) {
    const role = `bench-role-${String(i).padStart(3, '0')}`;
    ids.push(`${role}.e-commerce`);
    const copy = yaml.replace(
      ROLE_BLOCK,
      `role:\n  id: ${role}\n  name: ${role.replaceAll('-', ' ')}\n  aliases: []\n`,
    );
    await writeFile(path.join(dir, `${role}.e-commerce.yml`), copy);
  }
  return { frameworkDirs: [dir] };
});

describe('find and list, over signed HTTP against the local Slack', () => {
  it('the list has pages, and Next reaches every framework exactly once; Previous goes back', async ({
    sharedHarness: h,
  }) => {
    let page = (await h.command('list')).json as Posted;
    const pages = Number(/Page 1 of (\d+)/.exec(textOf(page))?.[1]);
    expect(pages).toBeGreaterThan(1);
    const seen: string[] = [];
    const visited = [page];
    for (let n = 1; ; n++) {
      expect(textOf(page)).toContain(`Page ${n} of ${pages}`);
      seen.push(...frameworksOn(page));
      if (n === pages) break;
      page = (await h.press(page, 'Next →')) as Posted;
      expect(page.replace_original).toBe(true);
      visited.push(page);
    }
    expect(buttons(page).map((b) => b.text)).not.toContain('Next →');
    expect(seen.sort()).toEqual([...ids].sort());

    const back = (await h.press(page, '← Previous')) as Posted;
    expect(textOf(back)).toContain(`Page ${pages - 1} of ${pages}`);
    expect(frameworksOn(back)).toEqual(frameworksOn(visited[pages - 2] as Posted));
  });

  it('`list 2` goes straight to page 2, and a level button there opens the framework', async ({
    sharedHarness: h,
  }) => {
    const page = (await h.command('list 2')).json as Posted;
    expect(textOf(page)).toContain('Page 2 of');
    const first = buttons(page).find((b) => b.action_id.startsWith('framework_show:senior'));
    if (!first) throw new Error('no Senior button on page 2');
    const shown = await h.press(page, first.action_id, { value: first.value });
    expect(textOf(shown)).toContain('Expected at Senior');
  });

  it('find: matching competencies first, each with buttons that open its framework at a level', async ({
    sharedHarness: h,
  }) => {
    const answer = (await h.command('find marketplace architecture')).json as Posted;
    const all = textOf(answer);
    expect(all).toContain('*Marketplace Architecture*');
    expect(all).toMatch(/…and \d+ more matched/);
    // The first result's buttons: one per level, saying what that level expects of it.
    const levels = buttons(answer).slice(0, 3);
    expect(levels.map((b) => b.text)).toEqual(['Mid-Level · 1/5', 'Senior · 3/5', 'Lead-Principal · 5/5']);
    const shown = (await h.press(answer, 'Senior · 3/5')) as Posted;
    expect(shown.replace_original).toBe(true);
    expect(textOf(shown)).toContain('Expected at Senior');
    expect(textOf(shown)).toContain('*Marketplace Architecture*');
  });

  it('find: a framework by its role, with a button per level that opens it', async ({ sharedHarness: h }) => {
    const answer = (await h.command('find bench role 042')).json as Posted;
    const first = buttons(answer)[0];
    expect(first?.value).toBe('bench-role-042 mid-level e-commerce');
    const shown = (await h.press(answer, first?.action_id ?? '', { value: first?.value ?? '' })) as Posted;
    expect(shown.blocks.find((b) => b.type === 'header')).toMatchObject({
      text: { text: 'bench role 042 · Mid-Level' },
    });
  });

  it('find: small typos and the start of a word are enough', async ({ sharedHarness: h }) => {
    for (const text of ['find omnichanel', 'find omni']) {
      expect(textOf((await h.command(text)).json)).toContain('*Omnichannel Architecture*');
    }
  });

  it('find: nothing found is a kind answer, with a button to every framework', async ({
    sharedHarness: h,
  }) => {
    const answer = (await h.command('find zebra unicorn')).json as Posted;
    expect(textOf(answer)).toContain('Nothing matched *zebra unicorn*');
    expect(textOf(answer)).toContain('Try fewer words');
    const list = (await h.press(answer, 'See every framework')) as Posted;
    expect(textOf(list)).toContain('Page 1 of');
  });

  it('find with no words explains itself; help mentions find and list pages', async ({
    sharedHarness: h,
  }) => {
    expect(textOf((await h.command('find')).json)).toContain('/competency find &lt;words&gt;');
    const help = textOf((await h.command('help')).json);
    expect(help).toContain('/competency find &lt;words&gt;');
    expect(help).toContain('/competency list 2');
  });

  it('a mistyped role among many alike suggests the closest one first', async ({ sharedHarness: h }) => {
    const answer = (await h.command('bench-rol-042 senior')).json as Posted;
    expect(textOf(answer)).toContain('`/competency bench-role-042 senior`');
    expect(buttons(answer)[0]?.value).toBe('bench-role-042 senior');
  });
});
