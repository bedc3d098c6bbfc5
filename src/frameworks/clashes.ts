import path from 'node:path';
import { displayPath, type FrameworkProblem, formatPath, type Path, type Position } from './problems.js';
import type { Framework, FrameworkFile } from './schema.js';
import { normalizeKey } from './text-match.js';

/**
 * Names that would make `/competency …` ambiguous: levels of one framework that share a name, a domain
 * name that reads as a level, and, across files, two files with the same framework id, a role name used
 * by two roles, a domain name used by two domains of one role.
 */

/** A framework as the loader read it from its file, with a way to find where a field is in that file. */
export type ReadFramework = {
  file: string;
  framework?: Framework;
  locate: (at: Path) => Position;
};

/** A name someone may type (id, name or alias), and the field it comes from. */
type NamedKey = { key: string; path: Path };

function namedKeys(item: { id: string; name: string; aliases: readonly string[] }, at: Path): NamedKey[] {
  const fields: [string, Path][] = [
    [item.id, [...at, 'id']],
    [item.name, [...at, 'name']],
    ...item.aliases.map((alias, i): [string, Path] => [alias, [...at, 'aliases', i]]),
  ];
  return fields
    .map(([value, field]) => ({ key: normalizeKey(value), path: field }))
    .filter((k) => k.key !== '');
}

/** Levels must not share names, and a domain name must not read as a level. */
export function findLookupClashesWithin(f: FrameworkFile): { path: Path; message: string }[] {
  const clashes: { path: Path; message: string }[] = [];
  const levelOf = new Map<string, { index: number; name: string }>();
  f.levels.forEach((level, index) => {
    for (const { key, path: at } of namedKeys(level, ['levels', index])) {
      const owner = levelOf.get(key);
      if (!owner) levelOf.set(key, { index, name: level.name });
      else if (owner.index !== index) {
        clashes.push({
          path: at,
          message: `"${key}" already names the level "${owner.name}"; each level needs its own id, name and aliases`,
        });
      }
    }
  });
  for (const { key, path: at } of namedKeys(f.domain, ['domain'])) {
    const level = levelOf.get(key);
    if (level) {
      clashes.push({
        path: at,
        message: `"${key}" is also a name of the level "${level.name}", so "/competency ${f.role.id} ${key}" would be ambiguous; choose another name`,
      });
    }
  }
  return clashes;
}

/**
 * Clashes between files: two files with the same framework id, a role name used by two roles,
 * a domain name used by two domains of the same role. `bundledDir` is the folder of the bundled
 * frameworks, whose ids a framework elsewhere may not reuse (the advice says so).
 */
export function findClashes(results: readonly ReadFramework[], bundledDir: string): FrameworkProblem[] {
  const problems: FrameworkProblem[] = [];
  const byId = new Map<string, ReadFramework>();
  const roleOfKey = new Map<string, { roleId: string; roleName: string; file: string }>();
  const domainOfKey = new Map<string, { domainId: string; domainName: string; file: string }>();
  const bundled = path.resolve(bundledDir);

  for (const result of results) {
    const f = result.framework;
    if (!f) continue;
    const problem = (at: Path, message: string): FrameworkProblem => ({
      file: result.file,
      ...result.locate(at),
      path: formatPath(at),
      message,
    });

    const first = byId.get(f.id);
    if (first) {
      const eitherBundled = [first.file, result.file].some(
        (file) => path.dirname(path.resolve(file)) === bundled,
      );
      const advice = eitherBundled
        ? 'A framework in FRAMEWORKS_DIR cannot reuse the id of a bundled framework: give it another role.id or domain.id, and rename the file to match.'
        : 'Each role and domain pair needs exactly one file: remove one of them, or give it another role.id or domain.id and rename the file to match.';
      problems.push(
        problem(
          ['role', 'id'],
          `the framework id "${f.id}" is already used by ${displayPath(first.file)}. ${advice}`,
        ),
      );
      continue;
    }
    byId.set(f.id, result);

    for (const { key, path: at } of namedKeys(f.role, ['role'])) {
      const owner = roleOfKey.get(key);
      if (!owner) roleOfKey.set(key, { roleId: f.role.id, roleName: f.role.name, file: result.file });
      else if (owner.roleId !== f.role.id) {
        problems.push(
          problem(
            at,
            `"${key}" already names the role "${owner.roleName}" in ${displayPath(owner.file)}; role ids, names and aliases must not overlap between roles`,
          ),
        );
      }
    }

    for (const { key, path: at } of namedKeys(f.domain, ['domain'])) {
      const slot = `${f.role.id} ${key}`;
      const owner = domainOfKey.get(slot);
      if (!owner)
        domainOfKey.set(slot, { domainId: f.domain.id, domainName: f.domain.name, file: result.file });
      else if (owner.domainId !== f.domain.id) {
        problems.push(
          problem(
            at,
            `"${key}" already names the domain "${owner.domainName}" of the role "${f.role.name}" in ${displayPath(owner.file)}; the domains of one role need different ids, names and aliases`,
          ),
        );
      }
    }
  }
  return problems;
}
