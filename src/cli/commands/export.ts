import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { frameworkToCsv } from '../../frameworks/export-csv.js';
import { parseFramework } from '../../frameworks/loader.js';
import { displayPath, FrameworkError } from '../../frameworks/problems.js';
import type { Framework } from '../../frameworks/schema.js';
import { keysOf, normalizeKey } from '../../frameworks/text-match.js';
import type { Parsed } from '../args.js';
import { exists, fileErrorText, refuse, writeAll } from '../files.js';
import { type CliIo, OK, PROBLEM, usageError } from '../io.js';
import { loadCatalog } from '../load-catalog.js';
import { CLI_NAME } from '../render.js';

/** `competency export <framework> --csv [--out <file>]`: a framework as a table, in the form import reads. */

export async function exportCommand(io: CliIo, parsed: Parsed): Promise<number> {
  const query = parsed.args.join(' ').trim();
  if (query === '') {
    return usageError(
      io,
      `\`${CLI_NAME} export\` needs a framework: its id, its role or its file, e.g. \`${CLI_NAME} export solutions-architect --csv\`.`,
    );
  }
  if (parsed.format === undefined) {
    return usageError(
      io,
      `In which format? Add --csv (or --tsv), e.g. \`${CLI_NAME} export ${query} --csv\`.`,
    );
  }

  const found = await findFramework(io, query, parsed.dirs);
  if ('problem' in found) {
    for (const line of found.problem) io.err(line);
    return PROBLEM;
  }
  const table = frameworkToCsv(found.framework, parsed.format === 'tsv' ? '\t' : ',');
  if (parsed.out === undefined || parsed.out === '-') {
    for (const line of table.replace(/\n$/, '').split('\n')) io.out(line);
    return OK;
  }
  const file = path.resolve(parsed.out);
  if (!parsed.force && (await exists(file))) {
    return refuse(io, `${parsed.out} already exists: add --force to replace it, or choose another --out.`);
  }
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeAll([{ path: file, text: table }]);
  } catch (error) {
    return refuse(io, `Could not write ${parsed.out}: ${fileErrorText(error)}.`);
  }
  const rows = found.framework.levels.length * found.framework.competencies.length;
  io.out(`Wrote ${displayPath(file)}: ${found.framework.id}, ${rows} rows.`);
  return OK;
}

/** A framework by id (`role.domain`), by role (when it has one domain), by what `show` accepts, or by its file. */
async function findFramework(
  io: CliIo,
  query: string,
  dirs: string[],
): Promise<{ framework: Framework } | { problem: string[] }> {
  if (/\.ya?ml$/i.test(query)) {
    let text: string;
    try {
      text = await readFile(query, 'utf8');
    } catch (error) {
      return { problem: [`${query}: ${fileErrorText(error)}`] };
    }
    try {
      return { framework: parseFramework(text, query) };
    } catch (error) {
      if (error instanceof FrameworkError) return { problem: error.message.split('\n') };
      throw error;
    }
  }
  const catalog = await loadCatalog(io, dirs);
  const byId = catalog.get(query);
  if (byId) return { framework: byId };
  const key = normalizeKey(query);
  const role = catalog.roles().find((r) => keysOf(r).includes(key));
  const result = role ? undefined : catalog.lookup(query);
  const frameworks =
    role?.frameworks ??
    (result?.kind === 'found' || result?.kind === 'missing-level' || result?.kind === 'unknown-level'
      ? [result.framework]
      : result?.kind === 'missing-domain' || result?.kind === 'unknown-domain'
        ? result.frameworks
        : []);
  const [only] = frameworks;
  if (only && frameworks.length === 1) return { framework: only };
  if (frameworks.length > 1) {
    return {
      problem: [
        `${only?.role.name ?? query} has frameworks in ${frameworks.length} domains; name one by its id:`,
        ...frameworks.map((f) => `  ${CLI_NAME} export ${f.id} --csv`),
      ],
    };
  }
  return {
    problem: [`No framework matches "${query}". Run \`${CLI_NAME} list\` to see their ids.`],
  };
}
