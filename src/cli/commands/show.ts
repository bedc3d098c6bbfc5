import type { Parsed } from '../args.js';
import { HELP_HINT } from '../help.js';
import { type CliIo, OK, PROBLEM, USAGE, usageError } from '../io.js';
import { loadCatalog } from '../load-catalog.js';
import { CLI_NAME, renderFramework, renderLookupProblem, type Style } from '../render.js';

/** `competency show <role> <level> [domain]`: a framework at one level, or why nothing matches. */

const SHOW_NEEDS = `\`${CLI_NAME} show\` needs a role and a level, e.g. \`${CLI_NAME} show solutions-architect senior\`.`;

export async function show(io: CliIo, parsed: Parsed, style: Style): Promise<number> {
  const text = parsed.args.join(' ');
  if (text.trim() === '') {
    return usageError(io, SHOW_NEEDS);
  }
  const catalog = await loadCatalog(io, parsed.dirs);
  const result = catalog.lookup(text);
  if (result.kind === 'empty') {
    return usageError(io, SHOW_NEEDS);
  }
  const roleId =
    result.kind === 'found' || result.kind === 'missing-level' ? result.framework.role.id : undefined;
  const withDomain =
    roleId !== undefined && catalog.frameworks.filter((f) => f.role.id === roleId).length > 1;
  if (result.kind === 'found') {
    for (const line of renderFramework(result.framework, result.level, style, { withDomain })) io.out(line);
    return OK;
  }
  const problem = renderLookupProblem(result, style, { withDomain });
  for (const line of problem.lines) io.err(line);
  if (problem.usage) {
    io.err(HELP_HINT);
    return USAGE;
  }
  return PROBLEM;
}
