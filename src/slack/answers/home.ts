import type { Logger, webApi } from '@slack/bolt';
import type { PersonKey } from '../../model/person.js';
import { isAdmin } from '../admins.js';
import type { Deps } from '../deps.js';
import { type HomeData, homeView } from '../views/home.js';

/**
 * The Home tab's front page for a person: their last role and level, their unfinished runs, the
 * reviews colleagues asked them to give and those they asked for, their history, their reminder,
 * the frameworks.
 */
async function homeDataOf(deps: Deps, person: PersonKey): Promise<HomeData> {
  const [catalog, overview, reminder, reviewsToDo, reviewsAsked, plan] = await Promise.all([
    deps.catalogFor(person),
    deps.assessments.overview(person),
    deps.reminders.of(person),
    deps.reviews.toGive(person),
    deps.reviews.requests(person),
    deps.plans.of(person),
  ]);
  const framework = reminder ? catalog.get(reminder.frameworkId) : undefined;
  const level = framework?.levels.find((l) => l.id === reminder?.levelId);
  return {
    frameworks: catalog.frameworks,
    ...overview,
    reviewsToDo,
    reviewsAsked,
    reminder: reminder ?? null,
    ...(plan ? { plan: { plan, today: deps.plans.today(plan.timeZone) } } : {}),
    ...(framework && level
      ? { reminderAbout: { roleName: framework.role.name, levelName: level.name } }
      : {}),
  };
}

/**
 * Publishes a person's Home tab front page (when they open the tab, and the buttons that go back to
 * it). A failure is logged: the tab keeps showing what it showed.
 */
export async function publishHome(
  deps: Deps,
  client: webApi.WebClient,
  logger: Logger,
  to: { userId: string; person: PersonKey },
): Promise<void> {
  try {
    // Admins get a section to bring their organisation's frameworks (Slack says who is one).
    const [data, admin] = await Promise.all([
      homeDataOf(deps, to.person),
      isAdmin(client, to.userId).catch(() => false),
    ]);
    await client.views.publish({ user_id: to.userId, view: homeView({ ...data, admin }) });
  } catch (error) {
    logger.error('Could not publish the Home tab', error);
  }
}
