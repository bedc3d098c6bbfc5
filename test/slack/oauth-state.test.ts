import { describe, expect, it } from 'vitest';
import { SingleUseStateStore } from '../../src/slack/oauth-state.js';

const options = { scopes: ['commands'], redirectUri: 'https://competency.example.com/slack/oauth_redirect' };
const t0 = new Date('2026-12-01T10:00:00Z');
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

describe('the OAuth state of an install link', () => {
  it('gives back the install options once, within ten minutes', async () => {
    const states = new SingleUseStateStore('a-long-random-state-secret');
    const state = await states.generateStateParam(options, t0);
    await expect(states.verifyStateParam(later(599), state)).resolves.toEqual(options);
    await expect(states.verifyStateParam(later(600), state)).rejects.toMatchObject({
      code: 'slack_oauth_invalid_state',
      message: 'The install link was used already.',
    });
  });

  it('refuses one that expired, one signed with another secret, and one changed on the way', async () => {
    const states = new SingleUseStateStore('a-long-random-state-secret');
    const expired = await states.generateStateParam(options, t0);
    await expect(states.verifyStateParam(later(601), expired)).rejects.toThrow(
      'The install link has expired.',
    );

    const elsewhere = await new SingleUseStateStore('another-secret-of-some-length').generateStateParam(
      options,
      t0,
    );
    await expect(states.verifyStateParam(later(1), elsewhere)).rejects.toThrow('not made by this app');

    const state = await states.generateStateParam(options, t0);
    const [payload, signature] = state.split('.');
    const changed = Buffer.from(
      Buffer.from(payload ?? '', 'base64url')
        .toString('utf8')
        .replace('commands', 'admin'),
    ).toString('base64url');
    await expect(states.verifyStateParam(later(1), `${changed}.${signature}`)).rejects.toThrow(
      'not made by this app',
    );
    await expect(states.verifyStateParam(later(1), 'garbage')).rejects.toMatchObject({
      code: 'slack_oauth_invalid_state',
    });
  });
});
