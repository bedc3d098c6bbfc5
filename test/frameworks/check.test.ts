import path from 'node:path';
import { describe, expect } from 'vitest';
import { checkFrameworks, foldersToCheck } from '../../src/frameworks/check.js';
import { BUNDLED_FRAMEWORKS_DIR } from '../../src/frameworks/loader.js';
import { it } from '../support/fixtures.js';
import { change, type Folder, folder, GOOD_YAML, lineOf } from './helpers.js';

let temp: Folder;
it.beforeEach(({ tempDir }) => {
  temp = folder(tempDir);
});

async function run(dirs: string[]): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = [];
  const ok = await checkFrameworks(dirs, (line) => lines.push(line));
  return { ok, lines };
}

describe('checkFrameworks', () => {
  it('passes the bundled frameworks with one line each', async () => {
    const { ok, lines } = await run([BUNDLED_FRAMEWORKS_DIR]);
    expect(ok).toBe(true);
    expect(lines).toContain(
      '✓ solutions-architect.e-commerce (Solutions Architect · E-commerce): 8 competencies, 3 levels',
    );
  });

  it('passes a good folder', async () => {
    await temp.write('tester.web.yml', GOOD_YAML);
    const { ok, lines } = await run([BUNDLED_FRAMEWORKS_DIR, temp.dir]);
    expect(ok).toBe(true);
    expect(lines).toContain('✓ tester.web (Tester · Web): 2 competencies, 2 levels');
  });

  it('fails a bad folder, printing each problem as file:line:col', async () => {
    const bad = change(GOOD_YAML, '      senior: 4', '      senior: 6');
    const file = await temp.write('tester.web.yml', bad);
    const { ok, lines } = await run([BUNDLED_FRAMEWORKS_DIR, temp.dir]);
    expect(ok).toBe(false);
    expect(lines).toContain(
      `${file}:${lineOf(bad, 'senior: 6')}:15: competencies[0].expected.senior: expected a whole number from 1 to 5, found 6`,
    );
    // The good bundled framework is still listed as good.
    expect(lines.some((l) => l.startsWith('✓ solutions-architect.e-commerce'))).toBe(true);
    expect(lines.some((l) => l.startsWith('✓ tester.web'))).toBe(false);
  });

  it('fails a missing folder', async () => {
    const { ok, lines } = await run([path.join(temp.dir, 'missing')]);
    expect(ok).toBe(false);
    expect(lines.join('\n')).toContain('this folder does not exist');
  });
});

describe('foldersToCheck', () => {
  it('checks the bundled folder, the arguments and FRAMEWORKS_DIR, each once', () => {
    const dirs = foldersToCheck(['extra', BUNDLED_FRAMEWORKS_DIR], { FRAMEWORKS_DIR: 'custom' });
    expect(dirs).toEqual([BUNDLED_FRAMEWORKS_DIR, path.resolve('extra'), path.resolve('custom')]);
  });
});
