import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');
const SANDBOX = path.join(SRC, 'sandbox');

/** Every TypeScript file under a folder, and the modules it imports (static and dynamic), resolved to paths. */
function importsUnder(dir: string): { file: string; imported: string }[] {
  const found: { file: string; imported: string }[] = [];
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
    const file = path.join(dir, name);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
      found.push({ file: path.relative(ROOT, file), imported: path.resolve(path.dirname(file), m[1] ?? '') });
    }
  }
  return found;
}

describe('the sandbox’s boundary', () => {
  it('is loaded by the app only from src/main.ts, when no Slack credentials are set', () => {
    const intoSandbox = importsUnder(SRC)
      .filter(({ file }) => !file.startsWith(path.join('src', 'sandbox') + path.sep))
      .filter(({ imported }) => imported.startsWith(SANDBOX + path.sep))
      .map(({ file }) => file);
    expect(intoSandbox).toEqual([path.join('src', 'main.ts')]);
    // …and lazily, so a process connected to Slack never loads any of it.
    expect(readFileSync(path.join(SRC, 'main.ts'), 'utf8')).toContain("await import('./sandbox/sandbox.js')");
  });

  it('uses nothing of the tests', () => {
    const fromTests = importsUnder(SANDBOX).filter(({ imported }) => !imported.startsWith(SRC + path.sep));
    expect(fromTests).toEqual([]);
  });
});
