import type { LookupResult } from '../../frameworks/catalog.js';
import type { PersonKey } from '../../model/person.js';
import { type CommandSuggestion, readableMentions, suggestSubcommand } from '../command-text.js';
import type { Deps } from '../deps.js';
import { frameworkMessage } from '../views/framework.js';
import { type CommandCorrection, lookupProblemMessage } from '../views/lookup-problem.js';
import type { Message } from '../views/types.js';
import { answerHelp } from './help.js';

/**
 * The framework at a level (with its buttons), or a kind explanation of what did not match: what
 * `/competency <role> <level>` shows, and the level buttons and View this framework. `typed` (the
 * command as Slack sent it, when it was typed): when the catalog finds no role in it and its first
 * word is close to a subcommand (`hlep`, `fnid x`), that subcommand is suggested first.
 */
export async function answerLookup(
  query: string,
  deps: Deps,
  person: PersonKey,
  typed?: string,
): Promise<Message> {
  const result = (await deps.catalogFor(person)).lookup(query);
  switch (result.kind) {
    case 'found':
      return frameworkMessage(result.framework, result.level, {
        rate: { progress: await deps.assessments.progress(person, result.framework.id) },
      });
    case 'empty':
      return answerHelp(deps, person);
    default:
      return lookupProblemMessage(result, correctionOf(result, typed));
  }
}

/** The subcommand to suggest for a command the catalog found no role in, if it is close to one. */
function correctionOf(result: LookupResult, typed: string | undefined): CommandCorrection | undefined {
  if (result.kind !== 'unknown-role' || typed === undefined) return undefined;
  const suggestion = suggestSubcommand(typed);
  if (!suggestion) return undefined;
  const value = commandValueOf(suggestion);
  return {
    typed: readableMentions(typed.trim()),
    text: readableMentions(suggestion.text),
    ...(value ? { value } : {}),
  };
}

/** What the button of a suggested command carries: the request, for the commands a button may run. */
function commandValueOf({ request }: CommandSuggestion): CommandCorrection['value'] {
  switch (request.kind) {
    case 'help':
    case 'history':
    case 'reviews':
    case 'share':
    case 'export':
    case 'forget':
      return { c: request.kind };
    case 'list':
      return { c: 'list', q: String(request.page) };
    case 'find':
    case 'compare':
      return { c: request.kind, q: request.query.slice(0, 500) };
    default:
      // ask and team act on other people: typed, not run from a button.
      return undefined;
  }
}
