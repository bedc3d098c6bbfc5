import { searchIndexOf } from '../../frameworks/search.js';
import type { PersonKey } from '../../model/person.js';
import type { Deps } from '../deps.js';
import { FIND_LIMIT, findMessage, findUsageMessage } from '../views/find.js';
import type { Message } from '../views/types.js';

/**
 * `/competency find <words>`: the best matches among frameworks and competencies, each with a button
 * per level to open its framework. The search index is built the first time someone searches.
 */
export async function answerFind(query: string, deps: Deps, person: PersonKey): Promise<Message> {
  const catalog = await deps.catalogFor(person);
  if (query.trim() === '') return findUsageMessage(catalog.frameworks);
  return findMessage(query, searchIndexOf(catalog).search(query, FIND_LIMIT), catalog.frameworks);
}
