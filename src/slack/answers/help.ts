import type { PersonKey } from '../../model/person.js';
import type { Deps } from '../deps.js';
import { helpMessage } from '../views/help.js';
import type { Message } from '../views/types.js';

/** `/competency help` (and a command with nothing after it): what the app does, starting from the person's last role. */
export async function answerHelp(deps: Deps, person: PersonKey): Promise<Message> {
  return helpMessage((await deps.catalogFor(person)).frameworks, {
    last: await deps.assessments.lastRole(person),
  });
}
