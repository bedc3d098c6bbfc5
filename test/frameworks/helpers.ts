import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A small valid framework, written block style so each field has its own line. */
export const GOOD_YAML = `role:
  id: tester
  name: Tester
  aliases: [qa]
  summary: Checks that the product works before customers find out it does not.
domain:
  id: web
  name: Web
version: "1"
source:
  title: Test data
scale:
  - value: 1
    label: One
    description: First step.
  - value: 2
    label: Two
    description: Second step.
  - value: 3
    label: Three
    description: Third step.
  - value: 4
    label: Four
    description: Fourth step.
  - value: 5
    label: Five
    description: Fifth step.
levels:
  - id: junior
    name: Junior
  - id: senior
    name: Senior
    aliases: [sr]
competencies:
  - id: exploratory-testing
    name: Exploratory Testing
    category: technical
    tier: primary
    description: Finds the bugs no script thought of.
    expected:
      junior: 2
      senior: 4
  - id: test-automation
    name: Test Automation
    category: technical
    tier: supporting
    description: Writes tests that run on every change.
    expected:
      junior: 1
      senior: 3
`;

/** The 1-based line of the only line containing `needle` (fails loudly when there is not exactly one). */
export function lineOf(text: string, needle: string): number {
  const lines = text.split('\n');
  const found = lines.flatMap((line, i) => (line.includes(needle) ? [i + 1] : []));
  if (found.length !== 1)
    throw new Error(`"${needle}" is on ${found.length} lines of the fixture, expected 1`);
  return found[0] ?? 0;
}

/** Replaces exactly one occurrence of `from` (fails loudly when the fixture has changed). */
export function change(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0)
    throw new Error(`"${from}" must appear exactly once in the fixture`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** A folder to write framework files in: a test's `tempDir` (test/support/fixtures.ts). */
export type Folder = { dir: string; write: (name: string, text: string) => Promise<string> };

export function folder(dir: string): Folder {
  return {
    dir,
    write: async (name, text) => {
      const file = path.join(dir, name);
      await writeFile(file, text);
      return file;
    },
  };
}

/** A fresh temporary folder, and a way to remove it afterwards. */
export async function tempDir(): Promise<{
  dir: string;
  write: (name: string, text: string) => Promise<string>;
  remove: () => Promise<void>;
}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'frameworks-test-'));
  return {
    dir,
    write: async (name, text) => {
      const file = path.join(dir, name);
      await writeFile(file, text);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
