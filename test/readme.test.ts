import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { textOf } from './integration/harness.js';
import { it } from './support/fixtures.js';

/**
 * The README is the newcomer's way in: short, and true of the product. Every command in its table is
 * one the app answers (sent to the real app, as Slack sends it), and every link it or docs/ gives
 * leads to a file that is there.
 */

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The `/competency …` commands of the README's "You type" table, each as typed. */
function tableCommands(): { command: string; row: string }[] {
  const start = README.indexOf('| You type |');
  const end = README.indexOf('\n\n', start);
  const rows = README.slice(start, end).split('\n').slice(2);
  return rows.flatMap((row) => {
    const typed = row.split('|')[1] ?? '';
    return [...typed.matchAll(/`(\/competency[^`]*)`/g)].map((m) => ({ command: m[1] ?? '', row }));
  });
}

describe('the README', () => {
  it('stays short enough for a newcomer: at most 300 lines', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(300);
  });

  it('links only to files that exist (and so do the pages of docs/)', () => {
    const pages = [
      'README.md',
      ...readdirSync(path.join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    for (const page of pages) {
      const text = readFileSync(path.join(ROOT, page), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        if (!target || /^[a-z]+:/.test(target)) continue;
        expect(existsSync(path.join(ROOT, path.dirname(page), target)), `${page} → ${target}`).toBe(true);
      }
    }
  });

  describe('every command in its table is one the app answers', () => {
    it('has the commands a newcomer needs', () => {
      const commands = tableCommands().map((c) => c.command);
      for (const sub of [
        'help',
        'list',
        'find',
        'compare',
        'history',
        'share',
        'ask',
        'reviews',
        'team',
        'export',
        'forget',
      ])
        expect(
          commands.some((c) => c.startsWith(`/competency ${sub}`)),
          sub,
        ).toBe(true);
    });

    it.for(tableCommands())('$command', async ({ command, row }, { sharedHarness: h }) => {
      const text = command.replace(/^\/competency\s*/, '');
      const res = await h.command(text, { userId: 'U0README001' });
      expect(res.status).toBe(200);
      const answer = textOf(res.json);
      expect(answer.length).toBeGreaterThan(0);
      if (row.includes('Did you mean')) expect(answer).toContain('Did you mean');
      else expect(answer).not.toMatch(/I couldn't find a role called|Unknown command/);
    });
  });
});
