import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { ownSummary } from '../answers/summary.js';
import type { Deps } from '../deps.js';
import { TEAM_VIEWS_ON_HISTORY } from '../ids.js';
import { personOf } from '../person.js';
import { decodeValue, TeamViewsValue } from '../values.js';
import { historyMessage } from '../views/history.js';
import { badClickMessage } from '../views/refusal.js';
import { assessmentNotFoundMessage } from '../views/share.js';
import { teamViewsChangedNote } from '../views/team.js';
import { buttonValue, click } from './click.js';

/**
 * Include in team views / Leave team views, on a summary or on the history: changes one of the
 * clicker's own assessments (the button names it; the person is whoever clicked), then answers with
 * the same message, updated, saying what changed. The answer comes once the choice is durable.
 */
export function teamViewsAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click(
    'change whether an assessment is in team views',
    async ({ action, context }) => {
      const value = decodeValue(TeamViewsValue, buttonValue(action));
      if (!value) return badClickMessage();
      const person = personOf(context);
      const outcome = await deps.assessments.setInTeamViews(person, value.id, value.t === 1);
      if (outcome.kind === 'not-found') return assessmentNotFoundMessage();
      const note = teamViewsChangedNote(outcome.record, outcome.replaced);
      if (action.action_id === TEAM_VIEWS_ON_HISTORY) {
        return historyMessage(await deps.assessments.history(person), { note });
      }
      // With the check-in reminder as it is (not known, if the store cannot say now), and what
      // changed said next to the buttons.
      return { message: await ownSummary(deps, person, outcome.record), note };
    },
    { change: 'save' },
  );
}
