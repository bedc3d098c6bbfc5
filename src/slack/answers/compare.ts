import type { PersonKey } from '../../model/person.js';
import type { Deps } from '../deps.js';
import { compareUsageMessage, compareWithButtons } from '../views/compare.js';
import { lookupProblemMessage } from '../views/lookup-problem.js';
import type { Message } from '../views/types.js';

/**
 * `/competency compare <role> [level]`: every level side by side, and what changes from one to the
 * next. With no role, the person's last role is offered.
 */
export async function answerCompare(query: string, deps: Deps, person: PersonKey): Promise<Message> {
  const catalog = await deps.catalogFor(person);
  if (query.trim() === '') {
    return compareUsageMessage(catalog.frameworks, await deps.assessments.lastRole(person));
  }
  const result = catalog.lookup(query);
  if (result.kind === 'found') return compareWithButtons(result.framework, result.level);
  if (result.kind === 'missing-level') return compareWithButtons(result.framework, undefined);
  if (result.kind === 'empty') return compareUsageMessage(catalog.frameworks, undefined);
  return lookupProblemMessage(result);
}
