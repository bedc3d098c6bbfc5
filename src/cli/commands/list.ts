import type { Parsed } from '../args.js';
import { type CliIo, OK, usageError } from '../io.js';
import { loadCatalog } from '../load-catalog.js';
import { CLI_NAME, renderList, type Style } from '../render.js';

/** `competency list`: every framework, one line each. */
export async function list(io: CliIo, parsed: Parsed, style: Style): Promise<number> {
  if (parsed.args.length > 0) {
    return usageError(io, `\`${CLI_NAME} list\` takes no arguments, but got "${parsed.args.join(' ')}".`);
  }
  const catalog = await loadCatalog(io, parsed.dirs);
  for (const line of renderList(catalog.frameworks, style)) io.out(line);
  return OK;
}
