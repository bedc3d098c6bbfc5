import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BUNDLED_FRAMEWORKS_DIR } from '../src/frameworks/loader.js';

const BUNDLED_FILE = 'solutions-architect.e-commerce.yml';
const ROLE_BLOCK = `role:
  id: solutions-architect
  name: Solutions Architect
  aliases: [solution-architect, sa, solutions-architects]
`;

/**
 * Writes `count` copies of the bundled framework into `dir`, each a role of its own
 * (`bench-role-001` … with no aliases), so none clashes with another or with the bundled one.
 */
export async function writeFrameworkCopies(dir: string, count: number): Promise<string[]> {
  const text = await readFile(path.join(BUNDLED_FRAMEWORKS_DIR, BUNDLED_FILE), 'utf8');
  if (!text.includes(ROLE_BLOCK))
    throw new Error(`${BUNDLED_FILE} no longer starts its role block as expected`);
  const files: string[] = [];
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(3, '0');
    const roleId = `bench-role-${n}`;
    const copy = text.replace(ROLE_BLOCK, `role:\n  id: ${roleId}\n  name: Bench Role ${n}\n  aliases: []\n`);
    const file = path.join(dir, `${roleId}.e-commerce.yml`);
    await writeFile(file, copy);
    files.push(file);
  }
  return files;
}
