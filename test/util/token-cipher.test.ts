import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseKey, TokenCipher, TokenCipherError } from '../../src/util/token-cipher.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const TOKEN = 'xoxb-1234-5678-abcdefghijklmnop';

describe('TokenCipher', () => {
  it('seals a token so that it does not show, and opens it again', () => {
    const cipher = new TokenCipher(keyA);
    const sealed = cipher.seal(TOKEN, 'T1');
    expect(sealed).not.toContain('xoxb');
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(cipher.open(sealed, 'T1')).toBe(TOKEN);
    // A fresh nonce each time: the same token never seals to the same text.
    expect(cipher.seal(TOKEN, 'T1')).not.toBe(sealed);
  });

  it('refuses a sealed token moved to another record, or changed in any byte', () => {
    const cipher = new TokenCipher(keyA);
    const sealed = cipher.seal(TOKEN, 'T1');
    expect(() => cipher.open(sealed, 'T2')).toThrow(TokenCipherError);
    const last = sealed.at(-2) === 'A' ? 'B' : 'A';
    const changed = `${sealed.slice(0, -2)}${last}${sealed.slice(-1)}`;
    expect(() => cipher.open(changed, 'T1')).toThrow(/does not decrypt/);
    expect(() => cipher.open('xoxb-plain', 'T1')).toThrow(/not in the expected encrypted form/);
  });

  it('a key being rotated out still opens what it sealed; the new key seals, and says which is stale', () => {
    const before = new TokenCipher(keyA);
    const sealedBefore = before.seal(TOKEN, 'T1');
    const rotating = new TokenCipher(keyB, [keyA]);
    expect(rotating.open(sealedBefore, 'T1')).toBe(TOKEN);
    expect(rotating.isStale(sealedBefore)).toBe(true);
    const sealedAfter = rotating.seal(TOKEN, 'T1');
    expect(rotating.isStale(sealedAfter)).toBe(false);
    // Once the old key is gone, what it sealed cannot be read, and the message says what to do.
    expect(() => new TokenCipher(keyB).open(sealedBefore, 'T1')).toThrow(
      /SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS/,
    );
    expect(new TokenCipher(keyB).open(sealedAfter, 'T1')).toBe(TOKEN);
  });
});

describe('parseKey', () => {
  it('reads 32 bytes written as base64, base64url or hex', () => {
    expect(parseKey(keyA.toString('base64'))).toEqual(keyA);
    expect(parseKey(keyA.toString('base64url'))).toEqual(keyA);
    expect(parseKey(` ${keyA.toString('hex')} `)).toEqual(keyA);
  });

  it.each([
    '',
    'secret',
    randomBytes(16).toString('base64'),
    randomBytes(31).toString('hex'),
    `${'z'.repeat(64)}`,
  ])('refuses %j', (text) => {
    expect(parseKey(text)).toBeUndefined();
  });
});
