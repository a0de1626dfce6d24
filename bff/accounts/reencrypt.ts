import type { TokenCipher } from '../crypto/token-cipher.ts';
import type { InTransaction } from '../db/transaction.ts';
import type { AccountRepository } from './account.repository.ts';
import { decryptCredentials, encryptCredentials } from './credentials.ts';

/**
 * Moves every account's tokens to the newest key, in batches, each in its own transaction
 * (rows being refreshed meanwhile are skipped and picked up by the next batch). Returns how
 * many rows moved. Safe to run again: it only touches rows on an older key.
 */
export async function reencryptAccounts(deps: { accounts: AccountRepository; cipher: TokenCipher; inTransaction: InTransaction; now: () => Date }, batchSize = 200): Promise<number> {
  let moved = 0;
  for (;;) {
    const count = await deps.inTransaction(async (trx) => {
      const rows = await deps.accounts.listEncryptedWithOtherKey(deps.cipher.currentKeyId, batchSize, trx);
      for (const row of rows) {
        const credentials = decryptCredentials(deps.cipher, row);
        await deps.accounts.update(row.id, { ...encryptCredentials(deps.cipher, row.id, credentials), updated_at: deps.now() }, trx);
      }
      return rows.length;
    });
    moved += count;
    if (count < batchSize) return moved;
  }
}
