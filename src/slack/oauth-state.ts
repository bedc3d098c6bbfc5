import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { InstallURLOptions, StateStore } from '@slack/bolt';

/**
 * The OAuth `state` of an install link: signed with SLACK_STATE_SECRET (HMAC-SHA256), valid for ten
 * minutes, and good for one install only. Bolt also puts it in a cookie and accepts the redirect only
 * when the link's state and the browser's cookie match, so a link made for someone else's browser is
 * refused; this store adds the expiry and the single use, so a redirect seen once (in a browser's
 * history, say) cannot finish a second install on this instance. (Slack's `code` in that redirect is
 * single-use too, so a replay that reaches another instance fails when the code is exchanged.)
 */
export class SingleUseStateStore implements StateStore {
  private readonly used = new Map<string, number>();

  constructor(
    private readonly secret: string,
    private readonly lifetimeSeconds = 600,
  ) {}

  async generateStateParam(installOptions: InstallURLOptions, now: Date): Promise<string> {
    const payload = Buffer.from(
      JSON.stringify({ o: installOptions, t: now.getTime(), n: randomBytes(16).toString('base64url') }),
    ).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  async verifyStateParam(now: Date, state: string): Promise<InstallURLOptions> {
    const [payload, signature, extra] = state.split('.');
    if (!payload || !signature || extra !== undefined || !this.signedHere(payload, signature))
      throw new InvalidState('The install link was not made by this app.');
    const { o, t, n } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      o: InstallURLOptions;
      t: number;
      n: string;
    };
    const at = now.getTime();
    if (at - t > this.lifetimeSeconds * 1000) throw new InvalidState('The install link has expired.');
    for (const [nonce, until] of this.used) if (until < at) this.used.delete(nonce);
    if (this.used.has(n)) throw new InvalidState('The install link was used already.');
    this.used.set(n, t + this.lifetimeSeconds * 1000);
    return o;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }

  private signedHere(payload: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** Bolt reports a refused state by this code (it shows the person the "start again" page). */
class InvalidState extends Error {
  readonly code = 'slack_oauth_invalid_state';
  override name = 'InvalidStateError';
}
