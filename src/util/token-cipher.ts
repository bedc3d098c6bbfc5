import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encrypts Slack's tokens before they are stored (AES-256-GCM, node:crypto), and decrypts them when
 * the app needs them. Each sealed value names the key that sealed it (a short hash of the key, never
 * the key), so the key can be changed: the new key seals, and the previous keys, kept for a while,
 * still open what they sealed until everything is sealed again with the new one.
 *
 * A sealed value is bound to what it belongs to (`context`, e.g. the installation's id), so a value
 * copied into another record does not open there.
 *
 * Format: `v1.<key id>.<iv>.<ciphertext and tag>`, the last two in base64url.
 */

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class TokenCipher {
  private readonly keys: Map<string, Buffer>;
  private readonly currentId: string;

  /** `current` seals; `previous` only open (keys being rotated out). Each is 32 bytes. */
  constructor(current: Buffer, previous: Buffer[] = []) {
    this.currentId = keyId(current);
    this.keys = new Map([[this.currentId, current]]);
    for (const key of previous) if (!this.keys.has(keyId(key))) this.keys.set(keyId(key), key);
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const key = this.keys.get(this.currentId) as Buffer;
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.currentId, iv.toString('base64url'), sealed.toString('base64url')].join('.');
  }

  /** The plain text; throws a TokenCipherError when it cannot (unknown key, altered or misplaced value). */
  open(sealed: string, context: string): string {
    const [version, id, iv, body, extra] = sealed.split('.');
    if (version !== VERSION || !id || !iv || !body || extra !== undefined)
      throw new TokenCipherError('a stored token is not in the expected encrypted form');
    const key = this.keys.get(id);
    if (!key)
      throw new TokenCipherError(
        `a stored token was encrypted with a key this app does not have (key ${id}): set that key in ` +
          'SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS',
        id,
      );
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.length < TAG_BYTES) throw new TokenCipherError('a stored token is cut short');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new TokenCipherError(
        'a stored token does not decrypt: it was changed, or belongs to another record',
      );
    }
  }

  /** Whether a sealed value was sealed with a key other than the current one. */
  isStale(sealed: string): boolean {
    return sealed.split('.')[1] !== this.currentId;
  }

  /** The current key's id, as sealed values show it. */
  get keyId(): string {
    return this.currentId;
  }
}

export class TokenCipherError extends Error {
  override name = 'TokenCipherError';
  constructor(
    message: string,
    /** The id of the key that sealed the value, when the value is fine but that key was not given. */
    readonly missingKey?: string,
  ) {
    super(message);
  }
}

/** A short, stable name of a key: the first 8 hex digits of its SHA-256. */
function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Reads a 32-byte key written as 64 hex digits or as base64 (what `openssl rand -base64 32` prints);
 * undefined when it is neither.
 */
export function parseKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const key = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
    if (key.length === 32) return key;
  }
  return undefined;
}
