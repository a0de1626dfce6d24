import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { StoredAccount } from '../platforms/adapter.ts';
import type { AccountKind } from '../../contract/platforms.ts';
import type { SocialAccountRow, SocialAccountUpdate } from '../db/database.ts';

/** An account's tokens in the clear: only ever in memory, inside the BFF. */
export interface Credentials {
  accessToken: string | null;
  refreshToken: string | null;
}

// The account id and the field are bound into each ciphertext: a value only decrypts where it was written.
const context = (accountId: string, field: 'access' | 'refresh') => `social_accounts:${accountId}:${field}`;

export function decryptCredentials(cipher: TokenCipher, row: Pick<SocialAccountRow, 'id' | 'token_key_id' | 'access_token_enc' | 'refresh_token_enc'>): Credentials {
  const keyId = row.token_key_id;
  const open = (value: string | null, field: 'access' | 'refresh') => (value === null || keyId === null ? null : cipher.decrypt(keyId, value, context(row.id, field)));
  return { accessToken: open(row.access_token_enc, 'access'), refreshToken: open(row.refresh_token_enc, 'refresh') };
}

/**
 * The columns that store these credentials. Both tokens are always written together with the
 * current key, so one key id per row is enough to decrypt them.
 */
export function encryptCredentials(cipher: TokenCipher, accountId: string, credentials: Credentials): Pick<SocialAccountUpdate, 'token_key_id' | 'access_token_enc' | 'refresh_token_enc'> {
  const seal = (value: string | null, field: 'access' | 'refresh') => (value === null ? null : cipher.encrypt(value, context(accountId, field)).ciphertext);
  const access = seal(credentials.accessToken, 'access');
  const refresh = seal(credentials.refreshToken, 'refresh');
  return { access_token_enc: access, refresh_token_enc: refresh, token_key_id: access === null && refresh === null ? null : cipher.currentKeyId };
}

/** What an adapter needs to act for a stored account, tokens decrypted. */
export function toStoredAccount(cipher: TokenCipher, row: SocialAccountRow): StoredAccount {
  const { accessToken, refreshToken } = decryptCredentials(cipher, row);
  if (accessToken === null) throw new Error(`account ${row.id} has no stored access token`);
  return {
    platformAccountId: row.platform_account_id,
    kind: row.kind as AccountKind,
    connectMethod: row.connect_method,
    grantedScopes: [...row.granted_scopes],
    tokens: {
      accessToken,
      refreshToken,
      expiresAt: row.token_expires_at === null ? null : new Date(row.token_expires_at),
      refreshTokenExpiresAt: row.refresh_token_expires_at === null ? null : new Date(row.refresh_token_expires_at),
    },
  };
}
