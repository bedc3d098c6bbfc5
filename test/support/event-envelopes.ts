import { LOCAL_BOT } from '../../src/sandbox/defaults.js';
import { type EventEnvelopeInput, eventCallbackEnvelope } from '../../src/sandbox/event-envelopes.js';

/**
 * Events API envelopes that only tests send (the sandbox itself never does): build them for one
 * installation and send them with `sendEvent` (src/sandbox/signing.ts).
 */

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

/** What Slack sends when someone shares a file in a conversation the app is in (`file_shared`). */
export function fileSharedEnvelope(
  input: EventEnvelopeInput & { fileId: string; userId: string; channelId: string },
): Record<string, unknown> {
  const { fileId, userId, channelId, ...envelope } = input;
  return eventCallbackEnvelope(
    {
      type: 'file_shared',
      file_id: fileId,
      user_id: userId,
      file: { id: fileId },
      channel_id: channelId,
      event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
    },
    envelope,
  );
}
