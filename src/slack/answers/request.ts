import type { CompetencyRequest } from '../command-text.js';
import type { Deps } from '../deps.js';
import type { Asker } from '../person.js';
import { forgetConfirmMessage } from '../views/forget.js';
import { historyMessage } from '../views/history.js';
import { listMessage } from '../views/list.js';
import { requestsMessage } from '../views/review.js';
import { nothingToShareMessage, shareFromDmMessage, sharePreviewMessage } from '../views/share.js';
import { sharesMessage } from '../views/shares.js';
import type { Message } from '../views/types.js';
import { answerCompare } from './compare.js';
import { answerFind } from './find.js';
import { answerHelp } from './help.js';
import { answerLookup } from './lookup.js';

/** The requests whose whole answer is a message, worked out at once: no calls to Slack, no writes. */
export type InstantRequest = Extract<
  CompetencyRequest,
  {
    kind:
      | 'help'
      | 'list'
      | 'find'
      | 'history'
      | 'share'
      | 'forget'
      | 'compare'
      | 'reviews'
      | 'shares'
      | 'show';
  }
>;

/**
 * The answer to a request answered at once, typed after `/competency` or run from a button
 * (`command_run`). `typed`: the command as Slack sent it, when it was typed (see answerLookup).
 */
export async function answerRequest(
  request: InstantRequest,
  deps: Deps,
  asker: Asker,
  typed?: string,
): Promise<Message> {
  switch (request.kind) {
    case 'help':
      return answerHelp(deps, asker.person);
    case 'list':
      return listMessage((await deps.catalogFor(asker.person)).frameworks, request.page);
    case 'find':
      return answerFind(request.query, deps, asker.person);
    case 'history':
      return historyMessage(await deps.assessments.history(asker.person));
    case 'share':
      return answerShare(deps, asker);
    case 'forget':
      return forgetConfirmMessage(await deps.assessments.recordCount(asker.person));
    case 'compare':
      return answerCompare(request.query, deps, asker.person);
    case 'reviews':
      return requestsMessage(await deps.reviews.requests(asker.person));
    case 'shares': {
      const [given, received] = await Promise.all([
        deps.shares.given(asker.person),
        deps.shares.received(asker.person),
      ]);
      return sharesMessage(asker.person, given, received);
    }
    case 'show':
      return answerLookup(request.query, deps, asker.person, typed);
  }
}

/** `share`: the private preview of the person's latest summary; nothing reaches the channel yet. */
async function answerShare(deps: Deps, asker: Asker): Promise<Message> {
  // In their direct messages with the app a post would reach only them: say where to share.
  if (asker.inDmWithApp) return shareFromDmMessage();
  const latest = await deps.assessments.latest(asker.person);
  return latest ? sharePreviewMessage(latest, asker.userId) : nothingToShareMessage();
}
