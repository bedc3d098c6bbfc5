import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_FRAMEWORKS_DIR } from '../../src/frameworks/loader.js';
import { buttons, type Harness, startHarness, textOf } from './harness.js';

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

type Msg = { text: string; replace_original?: boolean; blocks: { type: string; block_id?: string }[] };

/** The frameworks a page of the list shows, by the ids in its blocks. */
const frameworksOn = (message: Msg) =>
  message.blocks
    .map((b) => b.block_id ?? '')
    .filter((id) => id.startsWith('list_') && id !== 'list_pages')
    .map((id) => id.slice('list_'.length));

describe('find and list, over signed HTTP against the local Slack', () => {
  let h: Harness;
  let dir: string;
  const ids = ['solutions-architect.e-commerce'];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'find-and-list-'));
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
    h = await startHarness({ frameworkDirs: [dir] });
  });
  afterAll(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the list has pages, and Next reaches every framework exactly once; Previous goes back', async () => {
    let page = (await h.command('list')).json as Msg;
    const pages = Number(/Page 1 of (\d+)/.exec(textOf(page))?.[1]);
    expect(pages).toBeGreaterThan(1);
    const seen: string[] = [];
    const visited = [page];
    for (let n = 1; ; n++) {
      expect(textOf(page)).toContain(`Page ${n} of ${pages}`);
      seen.push(...frameworksOn(page));
      if (n === pages) break;
      page = (await h.clickFor(page, 'Next →')) as Msg;
      expect(page.replace_original).toBe(true);
      visited.push(page);
    }
    expect(buttons(page).map((b) => b.text)).not.toContain('Next →');
    expect(seen.sort()).toEqual([...ids].sort());

    const back = (await h.clickFor(page, '← Previous')) as Msg;
    expect(textOf(back)).toContain(`Page ${pages - 1} of ${pages}`);
    expect(frameworksOn(back)).toEqual(frameworksOn(visited[pages - 2] as Msg));
  });

  it('`list 2` goes straight to page 2, and a level button there opens the framework', async () => {
    const page = (await h.command('list 2')).json as Msg;
    expect(textOf(page)).toContain('Page 2 of');
    const first = buttons(page).find((b) => b.action_id.startsWith('framework_show:senior'));
    if (!first) throw new Error('no Senior button on page 2');
    const shown = await h.clickFor(page, first.action_id, { value: first.value });
    expect(textOf(shown)).toContain('Expected at Senior');
  });

  it('find: matching competencies first, each with buttons that open its framework at a level', async () => {
    const answer = (await h.command('find marketplace architecture')).json as Msg;
    const all = textOf(answer);
    expect(all).toContain('*Marketplace Architecture*');
    expect(all).toMatch(/…and \d+ more matched/);
    // The first result's buttons: one per level, saying what that level expects of it.
    const levels = buttons(answer).slice(0, 3);
    expect(levels.map((b) => b.text)).toEqual(['Mid-Level · 1/5', 'Senior · 3/5', 'Lead-Principal · 5/5']);
    const shown = (await h.clickFor(answer, 'Senior · 3/5')) as Msg;
    expect(shown.replace_original).toBe(true);
    expect(textOf(shown)).toContain('Expected at Senior');
    expect(textOf(shown)).toContain('*Marketplace Architecture*');
  });

  it('find: a framework by its role, with a button per level that opens it', async () => {
    const answer = (await h.command('find bench role 042')).json as Msg;
    const first = buttons(answer)[0];
    expect(first?.value).toBe('bench-role-042 mid-level e-commerce');
    const shown = (await h.clickFor(answer, first?.action_id ?? '', { value: first?.value ?? '' })) as Msg;
    expect(shown.blocks.find((b) => b.type === 'header')).toMatchObject({
      text: { text: 'bench role 042 · Mid-Level' },
    });
  });

  it('find: small typos and the start of a word are enough', async () => {
    for (const text of ['find omnichanel', 'find omni']) {
      expect(textOf((await h.command(text)).json)).toContain('*Omnichannel Architecture*');
    }
  });

  it('find: nothing found is a kind answer, with a button to every framework', async () => {
    const answer = (await h.command('find zebra unicorn')).json as Msg;
    expect(textOf(answer)).toContain('Nothing matched *zebra unicorn*');
    expect(textOf(answer)).toContain('Try fewer words');
    const list = (await h.clickFor(answer, 'See every framework')) as Msg;
    expect(textOf(list)).toContain('Page 1 of');
  });

  it('find with no words explains itself; help mentions find and list pages', async () => {
    expect(textOf((await h.command('find')).json)).toContain('/competency find &lt;words&gt;');
    const help = textOf((await h.command('help')).json);
    expect(help).toContain('/competency find &lt;words&gt;');
    expect(help).toContain('/competency list 2');
  });

  it('a mistyped role among many alike suggests the closest one first', async () => {
    const answer = (await h.command('bench-rol-042 senior')).json as Msg;
    expect(textOf(answer)).toContain('`/competency bench-role-042 senior`');
    expect(buttons(answer)[0]?.value).toBe('bench-role-042 senior');
  });
});
