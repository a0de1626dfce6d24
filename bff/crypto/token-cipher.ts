import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One AES-256 key with the id stored beside every value it encrypts. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Parses `id:base64key` entries, comma-separated, newest first. */
export function parseKeyList(text: string): EncryptionKey[] {
  const keys: EncryptionKey[] = [];
  for (const entry of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const sep = entry.indexOf(':');
    const id = sep > 0 ? entry.slice(0, sep) : '';
    if (!KEY_ID.test(id)) throw new Error(`each entry must be "id:base64key" with an id of letters, digits, _ or - (got "${entry.slice(0, 12)}...").`);
    const key = Buffer.from(entry.slice(sep + 1), 'base64');
    if (key.length !== 32) throw new Error(`key "${id}" must be 32 bytes of base64 (got ${key.length} bytes).`);
    if (keys.some((k) => k.id === id)) throw new Error(`key id "${id}" appears twice.`);
    keys.push({ id, key });
  }
  if (keys.length === 0) throw new Error('no key given.');
  return keys;
}

export class UnknownKeyError extends Error {
  constructor(keyId: string) {
    super(`No encryption key with id "${keyId}" is configured: keep old keys in TOKEN_ENCRYPTION_KEYS until "npm run reencrypt" has moved every row.`);
  }
}

/**
 * AES-256-GCM for tokens at rest. The newest key encrypts; any configured key decrypts,
 * so keys can rotate. `context` is bound as additional data: a value only decrypts where
 * it was written (a refresh token cannot be pasted into another row's access token).
 */
export class TokenCipher {
  readonly #keys: Map<string, Buffer>;
  readonly currentKeyId: string;

  constructor(keys: EncryptionKey[]) {
    if (keys.length === 0) throw new Error('TokenCipher needs at least one key');
    this.#keys = new Map(keys.map((k) => [k.id, k.key]));
    this.currentKeyId = keys[0]!.id;
  }

  encrypt(plaintext: string, context: string): { keyId: string; ciphertext: string } {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const ciphertext = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
    return { keyId: this.currentKeyId, ciphertext };
  }

  decrypt(keyId: string, ciphertext: string, context: string): string {
    const key = this.#keys.get(keyId);
    if (!key) throw new UnknownKeyError(keyId);
    const [iv, tag, body] = ciphertext.split('.').map((part) => Buffer.from(part, 'base64url'));
    if (!iv || !tag || !body) throw new Error('malformed ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  }

  /** Encrypts with the current key when given a value; keeps null as null. */
  encryptNullable(plaintext: string | null, context: string): string | null {
    return plaintext === null ? null : this.encrypt(plaintext, context).ciphertext;
  }
}
