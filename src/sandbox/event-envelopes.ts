import {
  LOCAL_APP_ID,
  LOCAL_BOT,
  LOCAL_TEAM,
  LOCAL_USER,
  LOCAL_VERIFICATION_TOKEN,
  newTs,
  slackId,
} from './defaults.js';
import type { TeamRef } from './interaction-payloads.js';

/**
 * Events API envelopes (`type: 'event_callback'`) as Slack sends them, for one installation of the
 * app (a workspace, an Enterprise Grid workspace or an org-wide install): the envelope around any
 * event, and app_home_opened and app_uninstalled. Send them with `sendEvent`.
 */

export type AppHomeOpenedInput = {
  user?: string;
  team?: TeamRef | string;
  /**
   * The Enterprise Grid org, named where Slack's documentation says to read it: in
   * `authorizations[0]`. On an org-wide install (`isEnterpriseInstall`), its `team_id` is null.
   */
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
  tab?: 'home' | 'messages';
  /** The app's DM channel with the user; made up when left out. */
  channel?: string;
  /** The Home view currently published for the user, if any (Slack includes it then). */
  view?: Record<string, unknown>;
  botUserId?: string;
  apiAppId?: string;
};

/** The Events API envelope for `app_home_opened`. */
export function appHomeOpenedEnvelope(input: AppHomeOpenedInput = {}): Record<string, unknown> {
  const teamId = typeof input.team === 'string' ? input.team : (input.team?.id ?? LOCAL_TEAM.id);
  const user = input.user ?? LOCAL_USER.id;
  const eventTs = newTs();
  return {
    ...eventCallbackEnvelope(
      {
        type: 'app_home_opened',
        user,
        channel: input.channel ?? `D${user.slice(1)}`,
        tab: input.tab ?? 'home',
        ...(input.view !== undefined ? { view: input.view } : {}),
        event_ts: eventTs,
      },
      {
        teamId,
        enterpriseId: input.enterpriseId ?? null,
        isEnterpriseInstall: input.isEnterpriseInstall ?? false,
        ...(input.botUserId !== undefined ? { botUserId: input.botUserId } : {}),
        ...(input.apiAppId !== undefined ? { apiAppId: input.apiAppId } : {}),
      },
    ),
    event_context: `4-${Buffer.from(JSON.stringify({ et: 'app_home_opened', tid: teamId })).toString('base64url')}`,
  };
}

/**
 * The installation of the app an Events API envelope is for, which Slack names in `authorizations[0]`.
 * `LocalSlack.installation()` and `LocalSlack.uninstall()` return objects of this shape (and more).
 */
type EventInstallation = {
  /**
   * The workspace. For a workspace install, LOCAL_TEAM unless given. For an org-wide install, the
   * workspace the event happened in, or null (or left out) for an event of the whole org, such as
   * app_uninstalled: then the org id stands in the envelope's `team_id`.
   */
  teamId?: string | null;
  /** The Enterprise Grid org of the workspace or of the org-wide install. */
  enterpriseId?: string | null;
  isEnterpriseInstall?: boolean;
  /** The installation's bot user; LOCAL_BOT unless given. */
  botUserId?: string;
};

export type EventEnvelopeInput = EventInstallation & {
  apiAppId?: string;
  /** Made up unless given; Slack sends the same one again when it retries. */
  eventId?: string;
  /** Seconds since the epoch; now unless given. */
  eventTime?: number;
};

/**
 * The Events API envelope (`type: 'event_callback'`) around an event, for one installation: `team_id`
 * (and `enterprise_id` in an Enterprise Grid org) at the top, and `authorizations[0]` naming the
 * installation, with a null `team_id` for an org-wide install — which is where Bolt reads the
 * installation from.
 */
export function eventCallbackEnvelope(
  event: Record<string, unknown>,
  input: EventEnvelopeInput = {},
): Record<string, unknown> {
  const isEnterpriseInstall = input.isEnterpriseInstall ?? false;
  const enterpriseId = input.enterpriseId ?? null;
  const workspaceId = input.teamId !== undefined ? input.teamId : isEnterpriseInstall ? null : LOCAL_TEAM.id;
  const envelopeTeamId = workspaceId ?? enterpriseId;
  if (envelopeTeamId === null) {
    throw new Error('eventCallbackEnvelope: an installation without a workspace needs an enterpriseId');
  }
  return {
    token: LOCAL_VERIFICATION_TOKEN,
    team_id: envelopeTeamId,
    ...(enterpriseId !== null ? { enterprise_id: enterpriseId } : {}),
    api_app_id: input.apiAppId ?? LOCAL_APP_ID,
    event,
    type: 'event_callback',
    event_id: input.eventId ?? slackId('Ev'),
    event_time: input.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: enterpriseId,
        team_id: isEnterpriseInstall ? null : workspaceId,
        user_id: input.botUserId ?? LOCAL_BOT.userId,
        is_bot: true,
        is_enterprise_install: isEnterpriseInstall,
      },
    ],
    is_ext_shared_channel: false,
  };
}

/**
 * What Slack sends when the app was uninstalled from a workspace or an org (org-wide install:
 * `isEnterpriseInstall` with `teamId` null). Pass the installation `LocalSlack.uninstall()` returned.
 */
export function appUninstalledEnvelope(input: EventEnvelopeInput = {}): Record<string, unknown> {
  return eventCallbackEnvelope({ type: 'app_uninstalled' }, input);
}
