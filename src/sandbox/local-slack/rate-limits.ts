/**
 * Slack's rate limits, as the local Slack enforces them when asked to (`rateLimits: true`): the one
 * table of them (the bench prints it), and the buckets that count calls against it.
 *
 * Slack counts calls per app, per workspace and per method, in tiers: Tier 1 about 1 a minute, Tier
 * 2 about 20, Tier 3 about 50, Tier 4 about 100, each "with occasional bursts". chat.postMessage is
 * special: about one message a second in each conversation, short bursts allowed, and a
 * workspace-wide limit Slack does not publish (so it is not enforced here). Past a limit Slack
 * answers HTTP 429 with `Retry-After` (whole seconds). The tiers below are those Slack's method
 * reference gives for the methods this app calls; a method not in the table is not limited here.
 *
 * Each limit is a bucket that holds `burst` calls and fills at `perMinute` a minute: a minute's
 * allowance may be spent at once, then calls go at the pace.
 */

export type RateLimit = {
  /** Slack's name for it: `Tier 2`, or `special` (chat.postMessage). */
  tier: string;
  /** Calls a minute, sustained. */
  perMinute: number;
  /** Calls that may come at once on a full bucket. */
  burst: number;
  /** What the calls are counted over: the workspace, or each conversation of it (the `channel` argument). */
  per: 'workspace' | 'conversation';
};

const tier = (n: 1 | 2 | 3 | 4): RateLimit => {
  const perMinute = { 1: 1, 2: 20, 3: 50, 4: 100 }[n];
  return { tier: `Tier ${n}`, perMinute, burst: perMinute, per: 'workspace' };
};

/** Per workspace (the team of the token, or `team_id` for an org-wide token) and method. */
export const RATE_LIMITS: Readonly<Record<string, RateLimit>> = {
  'chat.postMessage': { tier: 'special', perMinute: 60, burst: 3, per: 'conversation' },
  'chat.postEphemeral': tier(4),
  'chat.update': tier(3),
  'conversations.open': tier(3),
  'conversations.members': tier(4),
  'users.info': tier(4),
  'users.list': tier(2),
  'usergroups.list': tier(2),
  'usergroups.users.list': tier(2),
  'views.open': tier(4),
  'views.update': tier(4),
  'views.publish': tier(4),
  'files.info': tier(4),
  'files.getUploadURLExternal': tier(4),
  'files.completeUploadExternal': tier(4),
};

/** The limit of `method`, if the local Slack enforces one. */
function rateLimitOf(method: string): RateLimit | undefined {
  return Object.hasOwn(RATE_LIMITS, method) ? RATE_LIMITS[method] : undefined;
}

type Bucket = { tokens: number; at: number };

const EPSILON = 1e-9;

/**
 * The buckets: one per workspace and method (and conversation, for chat.postMessage), on the local
 * Slack's clock, so a test that moves that clock moves the windows too.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number) {}

  /**
   * Counts one call; undefined when it is within the limit, else the seconds to wait (`Retry-After`:
   * until the bucket holds a call again, rounded up, at least 1). A refused call counts nothing.
   */
  take(method: string, workspace: string, args: Record<string, unknown>): number | undefined {
    const limit = rateLimitOf(method);
    if (limit === undefined) return undefined;
    const channel = typeof args.channel === 'string' ? args.channel : '';
    const key =
      limit.per === 'conversation' ? `${workspace}\n${method}\n${channel}` : `${workspace}\n${method}`;
    const now = this.now();
    const perMs = limit.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    // (Within a hair of whole numbers: a bucket filled for exactly the time a call takes holds it.)
    if (bucket.tokens >= 1 - EPSILON) {
      bucket.tokens = Math.max(0, bucket.tokens - 1);
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000 - EPSILON));
  }

  /** Forgets every count (a full bucket everywhere). */
  clear(): void {
    this.buckets.clear();
  }
}
