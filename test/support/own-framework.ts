import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { BUNDLED_FRAMEWORKS_DIR } from '../../src/frameworks/loader.js';

/** The bundled seed framework's file, as an org's admin might start from it. */
export const SEED_YAML = readFileSync(
  path.join(BUNDLED_FRAMEWORKS_DIR, 'solutions-architect.e-commerce.yml'),
  'utf8',
);

/**
 * A framework an org owns, made from the seed: the role Data Steward (id `data-steward`, so the
 * framework id is `data-steward.e-commerce`) at `version`; `change` edits the file before it is
 * written (to put a mistake in, say).
 */
export function stewardYaml(
  version = '1',
  change: (file: Record<string, unknown>) => void = () => {},
): string {
  const file = parse(SEED_YAML) as Record<string, unknown> & { role: Record<string, unknown> };
  file.role = { ...file.role, id: 'data-steward', name: 'Data Steward', aliases: [] };
  file.version = version;
  change(file);
  return stringify(file);
}
