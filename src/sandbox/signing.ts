import { createHmac } from 'node:crypto';
import {
  isRecord,
  LOCAL_APP_ID,
  LOCAL_BOT,
  LOCAL_CHANNEL,
  LOCAL_TEAM,
  LOCAL_USER,
  LOCAL_VERIFICATION_TOKEN,
  newTriggerId,
  newTs,
  slackId,
} from './defaults.js';

/**
 * Requests signed and sent the way Slack sends them to an app's request URL, plus builders of
 * realistic payloads (slash commands, block_actions, view_submission, global shortcuts, block_suggestion
 * options requests, and the Events API envelopes of
 * app_home_opened, app_uninstalled and tokens_revoked), for the default workspace or any other
 * workspace, Enterprise Grid workspace or org-wide install.
 */

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`, keyed with the signing secret. */
export function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export type SendOptions = {
  /** Seconds since the epoch; defaults to now. Set it in the past to test stale requests. */
  timestamp?: number;
  /** Sent instead of the correct signature, to test a wrong one. */
  signature?: string;
  /** Sent as `x-slack-retry-num` / `x-slack-retry-reason`, as Slack does when it retries an event. */
  retryNum?: number;
  retryReason?: string;
  /** Gives up after this long; 15 seconds unless told. */
  timeoutMs?: number;
};

export type SlackHttpResponse = { status: number; text: string; json: unknown | undefined };

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/**
 * Signs `rawBody` and POSTs it. The body is sent as the exact string that was signed, with exactly
 * the given content-type (Bolt compares `application/x-www-form-urlencoded` with `===`, so a
 * `; charset=…` suffix would make it parse the form as JSON and fail).
 */
export async function sendSigned(
  url: string,
  signingSecret: string,
  rawBody: string,
  contentType: string,
  opts: SendOptions = {},
): Promise<SlackHttpResponse> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': opts.signature ?? slackSignature(signingSecret, timestamp, rawBody),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
  if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: rawBody,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
  });
  const text = await response.text();
  let json: unknown;
  if (text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, text, json };
}

export type SlashCommandFields = {
  command: string;
  text: string;
  token?: string;
  user_id?: string;
  user_name?: string;
  team_id?: string;
  team_domain?: string;
  channel_id?: string;
  channel_name?: string;
  /**
   * Where the app's `respond()` goes. Pass `localSlack.newResponseUrl()`; the default points at a
   * closed local port, so a forgotten response_url fails fast instead of reaching the internet.
   */
  response_url?: string;
  trigger_id?: string;
  api_app_id?: string;
  /** The Enterprise Grid org of the workspace (Slack sends it, and `enterprise_name`, only then). */
  enterprise_id?: string;
  enterprise_name?: string;
  /** True when the app is installed org-wide in that org. */
  is_enterprise_install?: boolean;
};

/** A response_url that nothing listens on: the default when a test does not give one. */
export const UNSET_RESPONSE_URL = 'http://127.0.0.1:9/response/unset';

/**
 * The form body of a slash command, fields in the order Slack sends them. Spaces become `+`, as in
 * Slack's own bodies.
 */
export function slashCommandBody(fields: SlashCommandFields): string {
  const form = new URLSearchParams();
  form.set('token', fields.token ?? LOCAL_VERIFICATION_TOKEN);
  form.set('team_id', fields.team_id ?? LOCAL_TEAM.id);
  form.set('team_domain', fields.team_domain ?? LOCAL_TEAM.domain);
  if (fields.enterprise_id !== undefined) form.set('enterprise_id', fields.enterprise_id);
  if (fields.enterprise_name !== undefined) form.set('enterprise_name', fields.enterprise_name);
  form.set('channel_id', fields.channel_id ?? LOCAL_CHANNEL.id);
  form.set('channel_name', fields.channel_name ?? LOCAL_CHANNEL.name);
  form.set('user_id', fields.user_id ?? LOCAL_USER.id);
  form.set('user_name', fields.user_name ?? LOCAL_USER.username);
  form.set('command', fields.command);
  form.set('text', fields.text);
  form.set('api_app_id', fields.api_app_id ?? LOCAL_APP_ID);
  form.set('is_enterprise_install', String(fields.is_enterprise_install ?? false));
  form.set('response_url', fields.response_url ?? UNSET_RESPONSE_URL);
  form.set('trigger_id', fields.trigger_id ?? newTriggerId());
  return form.toString();
}

export async function sendSlashCommand(
  eventsUrl: string,
  signingSecret: string,
  fields: SlashCommandFields,
  opts?: SendOptions,
): Promise<SlackHttpResponse> {
  return sendSigned(eventsUrl, signingSecret, slashCommandBody(fields), FORM, opts);
}

/** An interactivity payload (block_actions, view_submission, …): form body `payload=<urlencoded JSON>`. */
export async function sendInteraction(
  eventsUrl: string,
  signingSecret: string,
  payload: object,
  opts?: SendOptions,
): Promise<SlackHttpResponse> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return sendSigned(eventsUrl, signingSecret, body, FORM, opts);
}

/** An Events API envelope (`type: 'event_callback'`), sent as JSON. */
export async function sendEvent(
  eventsUrl: string,
  signingSecret: string,
  envelope: object,
  opts?: SendOptions,
): Promise<SlackHttpResponse> {
  return sendSigned(eventsUrl, signingSecret, JSON.stringify(envelope), JSON_TYPE, opts);
}

// ---------------------------------------------------------------------------------------------
// Payload builders

export type UserRef = { id: string; username?: string; name?: string; team_id?: string };
/** A workspace; in an Enterprise Grid org, Slack adds the org's id and name. */
export type TeamRef = { id: string; domain: string; enterprise_id?: string; enterprise_name?: string };
/** An Enterprise Grid org, as interaction payloads name it. */
export type EnterpriseRef = { id: string; name: string };
export type ChannelRef = { id: string; name: string };

function fullUser(user: UserRef | undefined, team: TeamRef | null): Required<UserRef> {
  const id = user?.id ?? LOCAL_USER.id;
  const username =
    user?.username ?? user?.name ?? (id === LOCAL_USER.id ? LOCAL_USER.username : id.toLowerCase());
  return { id, username, name: user?.name ?? username, team_id: user?.team_id ?? team?.id ?? LOCAL_TEAM.id };
}

export type BlockActionInput = {
  user?: UserRef;
  /** `null` on an org-wide (Enterprise Grid) install, as Slack sends it. */
  team?: TeamRef | null;
  /** The Enterprise Grid org, when the workspace or the installation belongs to one. */
  enterprise?: EnterpriseRef | null;
  isEnterpriseInstall?: boolean;
  /**
   * The view the button was in (a modal or the Home tab): the payload then has `view` and a
   * `container` of type `view`, and no channel.
   */
  view?: Record<string, unknown> & { id: string; type: 'modal' | 'home' };
  channel?: ChannelRef;
  actionId: string;
  blockId: string;
  /** The button's value; taken from the button in `message` when left out. */
  value?: string;
  /** The button's label; taken from the button in `message` when left out. */
  text?: string;
  /** Slack gives none for a button in a modal or the Home tab. */
  responseUrl?: string;
  triggerId?: string;
  /**
   * The message the button was on. Slack includes it only for ordinary messages: leave it out for
   * a button on an ephemeral message (then `container.is_ephemeral` is true).
   */
  message?: Record<string, unknown>;
  container?: {
    type?: 'message';
    message_ts?: string;
    channel_id?: string;
    is_ephemeral?: boolean;
  };
  /** For a static_select, external_select or overflow instead of a button: the chosen option. */
  selectedOption?: { text: string; value: string };
  actionType?: 'button' | 'static_select' | 'external_select' | 'overflow';
  apiAppId?: string;
  /** When the person clicked (`action_ts`, Slack's time in seconds); now when left out. */
  actionTs?: string;
};

/** The element with this action_id inside the block with this block_id, if the message has it. */
function findElement(
  message: unknown,
  blockId: string,
  actionId: string,
): Record<string, unknown> | undefined {
  if (!isRecord(message)) return undefined;
  let blocks = message.blocks;
  if (typeof blocks === 'string') {
    try {
      blocks = JSON.parse(blocks);
    } catch {
      return undefined;
    }
  }
  if (!Array.isArray(blocks)) return undefined;
  for (const block of blocks) {
    if (!isRecord(block) || block.block_id !== blockId) continue;
    const candidates = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory];
    for (const el of candidates) {
      if (isRecord(el) && el.action_id === actionId) return el;
    }
  }
  return undefined;
}

/** The body Slack sends when someone clicks a button (or picks an option) in a message. */
export function blockActionPayload(input: BlockActionInput): Record<string, unknown> {
  const team = input.team === undefined ? LOCAL_TEAM : input.team;
  const channel = input.channel ?? LOCAL_CHANNEL;
  const user = fullUser(input.user, team);
  const element = findElement(input.message, input.blockId, input.actionId);
  const messageTs =
    input.container?.message_ts ??
    (isRecord(input.message) && typeof input.message.ts === 'string' ? input.message.ts : newTs());
  const actionTs = input.actionTs ?? newTs();
  const actionType =
    input.actionType ?? (typeof element?.type === 'string' ? element.type : undefined) ?? 'button';

  let action: Record<string, unknown>;
  if (actionType === 'button') {
    const elementText = isRecord(element?.text) ? element.text.text : undefined;
    const label = input.text ?? (typeof elementText === 'string' ? elementText : input.actionId);
    const value = input.value ?? (typeof element?.value === 'string' ? element.value : undefined);
    action = {
      type: 'button',
      action_id: input.actionId,
      block_id: input.blockId,
      text: { type: 'plain_text', text: label, emoji: true },
      ...(value !== undefined ? { value } : {}),
      ...(typeof element?.style === 'string' ? { style: element.style } : {}),
      action_ts: actionTs,
    };
  } else {
    const chosen = input.selectedOption ?? { text: input.text ?? '', value: input.value ?? '' };
    action = {
      type: actionType,
      action_id: input.actionId,
      block_id: input.blockId,
      selected_option: { text: { type: 'plain_text', text: chosen.text, emoji: true }, value: chosen.value },
      action_ts: actionTs,
    };
  }

  const common = {
    type: 'block_actions',
    user,
    api_app_id: input.apiAppId ?? LOCAL_APP_ID,
    token: LOCAL_VERIFICATION_TOKEN,
    trigger_id: input.triggerId ?? newTriggerId(),
    team,
    enterprise: input.enterprise ?? null,
    is_enterprise_install: input.isEnterpriseInstall ?? false,
  };
  if (input.view !== undefined) {
    // A button in a modal or the Home tab: no channel, no message, no response_url.
    return {
      ...common,
      container: { type: 'view', view_id: input.view.id },
      view: { hash: `${newTs()}.x`, blocks: [], private_metadata: '', state: { values: {} }, ...input.view },
      state: { values: {} },
      ...(input.responseUrl !== undefined ? { response_url: input.responseUrl } : {}),
      actions: [action],
    };
  }
  const isEphemeral = input.container?.is_ephemeral ?? input.message === undefined;
  return {
    ...common,
    container: {
      type: input.container?.type ?? 'message',
      message_ts: messageTs,
      channel_id: input.container?.channel_id ?? channel.id,
      is_ephemeral: isEphemeral,
    },
    channel,
    ...(input.message !== undefined ? { message: input.message } : {}),
    state: { values: {} },
    ...(input.responseUrl !== undefined ? { response_url: input.responseUrl } : {}),
    actions: [action],
  };
}

export type ShortcutInput = {
  user?: UserRef;
  /** `null` on an org-wide (Enterprise Grid) install, as Slack sends it. */
  team?: TeamRef | null;
  enterprise?: EnterpriseRef | null;
  isEnterpriseInstall?: boolean;
  /** The shortcut's callback_id, as the manifest declares it under `features.shortcuts`. */
  callbackId: string;
  /** What views.open takes to open a modal for this person; made up when left out. */
  triggerId?: string;
};

/**
 * The body Slack sends when someone runs a global shortcut (from the shortcuts menu by the message
 * box, or from search): who and which workspace, the shortcut's callback_id and a trigger_id — no
 * channel, no message and no response_url.
 */
export function shortcutPayload(input: ShortcutInput): Record<string, unknown> {
  const team = input.team === undefined ? LOCAL_TEAM : input.team;
  const user = fullUser(input.user, team);
  return {
    type: 'shortcut',
    token: LOCAL_VERIFICATION_TOKEN,
    action_ts: newTs(),
    team,
    user: { id: user.id, username: user.username, team_id: user.team_id },
    is_enterprise_install: input.isEnterpriseInstall ?? false,
    enterprise: input.enterprise ?? null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId ?? newTriggerId(),
  };
}

export type BlockSuggestionInput = {
  user?: UserRef;
  /** `null` on an org-wide (Enterprise Grid) install, as Slack sends it. */
  team?: TeamRef | null;
  enterprise?: EnterpriseRef | null;
  isEnterpriseInstall?: boolean;
  /** The external_select's action_id and the block it is in. */
  actionId: string;
  blockId: string;
  /** What the person has typed in the menu so far ('' when they only opened it). */
  value: string;
  /** The modal or Home tab the menu is in (its private_metadata, blocks, …); Slack sends the view with its state. */
  view?: Record<string, unknown> & { id: string };
  apiAppId?: string;
};

/**
 * The body Slack sends to ask for the options of an external_select as someone opens it or types
 * in it (the "options load" request). The app answers in the HTTP response itself with
 * `{ options }` or `{ option_groups }`, at most 100; see `validateOptionsResponse` in block-kit.ts.
 */
export function blockSuggestionPayload(input: BlockSuggestionInput): Record<string, unknown> {
  const team = input.team === undefined ? LOCAL_TEAM : input.team;
  const user = fullUser(input.user, team);
  const view = input.view;
  return {
    type: 'block_suggestion',
    user,
    container:
      view === undefined
        ? { type: 'message', channel_id: LOCAL_CHANNEL.id, is_ephemeral: true }
        : { type: 'view', view_id: view.id },
    api_app_id: input.apiAppId ?? LOCAL_APP_ID,
    token: LOCAL_VERIFICATION_TOKEN,
    action_id: input.actionId,
    block_id: input.blockId,
    value: input.value,
    team,
    enterprise: input.enterprise ?? null,
    is_enterprise_install: input.isEnterpriseInstall ?? false,
    ...(view === undefined
      ? { channel: { id: LOCAL_CHANNEL.id, name: LOCAL_CHANNEL.name } }
      : {
          view: {
            type: 'modal',
            blocks: [],
            private_metadata: '',
            callback_id: '',
            hash: `${newTs()}.${slackId('', 8).toLowerCase()}`,
            ...view,
            state: isRecord(view.state) ? view.state : { values: {} },
          },
        }),
  };
}

export type ViewSubmissionInput = {
  user?: UserRef;
  /** `null` on an org-wide (Enterprise Grid) install, as Slack sends it. */
  team?: TeamRef | null;
  enterprise?: EnterpriseRef | null;
  isEnterpriseInstall?: boolean;
  callbackId: string;
  privateMetadata?: string;
  /** state.values: block_id → action_id → the input's state, e.g. `{ type: 'plain_text_input', value: 'x' }`. */
  values?: Record<string, Record<string, unknown>>;
  viewId?: string;
  hash?: string;
  /** More view fields (title, blocks, submit, …) copied into the view. */
  view?: Record<string, unknown>;
  triggerId?: string;
  /** response_urls, present only when the modal has `response_url_enabled` inputs. */
  responseUrls?: { block_id: string; action_id: string; channel_id: string; response_url: string }[];
  apiAppId?: string;
  botId?: string;
  /**
   * The installation the modal belongs to (`view.app_installed_team_id`): the workspace, or the org
   * id for an org-wide install. The team's id unless given.
   */
  appInstalledTeamId?: string | null;
};

/** The body Slack sends when someone presses a modal's submit button. */
export function viewSubmissionPayload(input: ViewSubmissionInput): Record<string, unknown> {
  const team = input.team === undefined ? LOCAL_TEAM : input.team;
  const user = fullUser(input.user, team);
  const viewId = input.viewId ?? slackId('V');
  const appId = input.apiAppId ?? LOCAL_APP_ID;
  return {
    type: 'view_submission',
    team,
    user,
    api_app_id: appId,
    token: LOCAL_VERIFICATION_TOKEN,
    trigger_id: input.triggerId ?? newTriggerId(),
    view: {
      id: viewId,
      team_id: team?.id ?? null,
      type: 'modal',
      blocks: [],
      private_metadata: input.privateMetadata ?? '',
      callback_id: input.callbackId,
      hash: input.hash ?? `${newTs()}.${slackId('', 8).toLowerCase()}`,
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: viewId,
      app_id: appId,
      external_id: '',
      app_installed_team_id:
        input.appInstalledTeamId !== undefined ? input.appInstalledTeamId : (team?.id ?? null),
      bot_id: input.botId ?? LOCAL_BOT.botId,
      ...input.view,
      state: { values: input.values ?? {} },
    },
    response_urls: input.responseUrls ?? [],
    is_enterprise_install: input.isEnterpriseInstall ?? false,
    enterprise: input.enterprise ?? null,
  };
}

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
export type EventInstallation = {
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

export type TokensRevokedInput = EventEnvelopeInput & {
  /**
   * Whose tokens were revoked, as user ids (Slack lists users, not tokens): `oauth` for user tokens,
   * `bot` for bot tokens. Unless given, no user tokens and the installation's bot user.
   */
  tokens?: { oauth?: string[]; bot?: string[] };
};

/** What Slack sends when tokens of the app were revoked (an uninstall revokes all of them). */
export function tokensRevokedEnvelope(input: TokensRevokedInput = {}): Record<string, unknown> {
  const tokens = {
    oauth: input.tokens?.oauth ?? [],
    bot: input.tokens?.bot ?? [input.botUserId ?? LOCAL_BOT.userId],
  };
  return eventCallbackEnvelope({ type: 'tokens_revoked', tokens }, input);
}
