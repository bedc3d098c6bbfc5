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
 * Builders of realistic interactivity payloads, as Slack sends them when someone clicks or picks in a
 * message, a modal or the Home tab (block_actions), runs a global shortcut or a message shortcut
 * (message_action), types in a menu the app
 * fills (block_suggestion) or submits a modal (view_submission) — for the default workspace or any
 * other workspace, Enterprise Grid workspace or org-wide install. Send them with `sendInteraction`.
 */

export type UserRef = { id: string; username?: string; name?: string; team_id?: string };
/** A workspace; in an Enterprise Grid org, Slack adds the org's id and name. */
export type TeamRef = { id: string; domain: string; enterprise_id?: string; enterprise_name?: string };
/** An Enterprise Grid org, as interaction payloads name it. */
export type EnterpriseRef = { id: string; name: string };
type ChannelRef = { id: string; name: string };

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

export type MessageShortcutInput = ShortcutInput & {
  /** The conversation of the message. */
  channel?: ChannelRef;
  /** The message the shortcut was run on: its ts, and what Slack sends of it (text, user or bot_id, blocks). */
  message: Record<string, unknown> & { ts: string };
  /** Where the app may answer, as a message only this person sees in that conversation. */
  responseUrl?: string;
};

/**
 * The body Slack sends when someone runs a message shortcut from a message's "More actions" menu
 * (`message_action`): who and which workspace, the shortcut's callback_id, a trigger_id, the
 * conversation, the message itself and a response_url.
 */
export function messageShortcutPayload(input: MessageShortcutInput): Record<string, unknown> {
  // A global shortcut's body, whose user also has a name, with the message and where it is.
  const user = fullUser(input.user, input.team === undefined ? LOCAL_TEAM : input.team);
  return {
    ...shortcutPayload(input),
    type: 'message_action',
    user: { id: user.id, name: user.name, username: user.username, team_id: user.team_id },
    channel: input.channel ?? LOCAL_CHANNEL,
    message_ts: input.message.ts,
    message: { type: 'message', ...input.message },
    ...(input.responseUrl !== undefined ? { response_url: input.responseUrl } : {}),
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
