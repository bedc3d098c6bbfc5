import { searchIndexOf } from '../../frameworks/search.js';
import type { Deps } from '../deps.js';
import { FIND_LIMIT, findMessage, findUsageMessage } from '../views/find.js';
import type { Message } from '../views/types.js';

/**
 * `/competency find <words>`: the best matches among frameworks and competencies, each with a button
 * per level to open its framework. The search index is built the first time someone searches.
 */
export function answerFind(query: string, deps: Deps): Message {
  if (query.trim() === '') return findUsageMessage(deps.catalog.frameworks);
  return findMessage(query, searchIndexOf(deps.catalog).search(query, FIND_LIMIT), deps.catalog.frameworks);
}
