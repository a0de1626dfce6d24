import { AccountRepository } from '../accounts/account.repository.ts';
import { reencryptAccounts } from '../accounts/reencrypt.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { TokenCipher } from '../crypto/token-cipher.ts';
import { connectPglite, connectPostgres } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { transactionRunner } from '../db/transaction.ts';

/** `npm run reencrypt`: moves every stored token to the newest key in TOKEN_ENCRYPTION_KEYS. */
async function main(): Promise<void> {
  const { config } = await loadConfig(process.env);
  const database = config.databaseUrl ? connectPostgres({ connectionString: config.databaseUrl }) : await connectPglite(config.dataDir);
  try {
    await migrateToLatest(database.db);
    const cipher = new TokenCipher(config.tokenEncryptionKeys);
    const moved = await reencryptAccounts({
      accounts: new AccountRepository(database.db),
      cipher,
      inTransaction: transactionRunner(database.db),
      now: () => new Date(),
    });
    console.log(`Re-encrypted ${moved} account${moved === 1 ? '' : 's'} with key "${cipher.currentKeyId}".`);
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : `Re-encryption failed: ${(err as Error).message}`);
  process.exit(1);
});
