import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { parseKeyList, TokenCipher, UnknownKeyError } from '../../bff/crypto/token-cipher.ts';
import { decryptCredentials } from '../../bff/accounts/credentials.ts';
import { reencryptAccounts } from '../../bff/accounts/reencrypt.ts';
import { transactionRunner } from '../../bff/db/transaction.ts';
import { createTestContext, type TestContext } from '../helpers/context.ts';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('TokenCipher', () => {
  it('round-trips a token and never stores it in the clear', () => {
    const cipher = new TokenCipher([key('k1')]);
    const sealed = cipher.encrypt('EAAG-secret-token', 'ctx');
    assert.equal(sealed.keyId, 'k1');
    assert.ok(!sealed.ciphertext.includes('secret'));
    assert.equal(cipher.decrypt('k1', sealed.ciphertext, 'ctx'), 'EAAG-secret-token');
  });

  it('uses a fresh IV each time', () => {
    const cipher = new TokenCipher([key('k1')]);
    assert.notEqual(cipher.encrypt('same', 'ctx').ciphertext, cipher.encrypt('same', 'ctx').ciphertext);
  });

  it('refuses a value moved to another context or tampered with', () => {
    const cipher = new TokenCipher([key('k1')]);
    const { ciphertext } = cipher.encrypt('token', 'account-a:access');
    assert.throws(() => cipher.decrypt('k1', ciphertext, 'account-b:access'));
    const [iv, tag, body] = ciphertext.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0]! ^= 1;
    assert.throws(() => cipher.decrypt('k1', [iv, tag, flipped.toString('base64url')].join('.'), 'account-a:access'));
  });

  it('encrypts with the newest key and still decrypts with older ones', () => {
    const k1 = key('k1');
    const old = new TokenCipher([k1]).encrypt('token', 'ctx');
    const k2 = key('k2');
    const rotated = new TokenCipher([k2, k1]);
    assert.equal(rotated.currentKeyId, 'k2');
    assert.equal(rotated.decrypt('k1', old.ciphertext, 'ctx'), 'token');
    assert.equal(rotated.encrypt('token', 'ctx').keyId, 'k2');
  });

  it('says which key is missing when a row names an unknown key', () => {
    assert.throws(() => new TokenCipher([key('k2')]).decrypt('k1', 'a.b.c', 'ctx'), UnknownKeyError);
  });

  it('parses "id:base64key" lists and rejects bad ones clearly', () => {
    const text = `new:${randomBytes(32).toString('base64')}, old:${randomBytes(32).toString('base64')}`;
    assert.deepEqual(parseKeyList(text).map((k) => k.id), ['new', 'old']);
    assert.throws(() => parseKeyList('nokey'), /id:base64key/);
    assert.throws(() => parseKeyList(`k1:${randomBytes(16).toString('base64')}`), /32 bytes/);
    assert.throws(() => parseKeyList(`k1:${randomBytes(32).toString('base64')},k1:${randomBytes(32).toString('base64')}`), /twice/);
  });
});

describe('tokens at rest and key rotation', () => {
  let ctx: TestContext;
  const k1 = key('k1');
  before(async () => {
    ctx = await createTestContext({ config: { tokenEncryptionKeys: [k1] } });
    await ctx.putWorkspace('ws', { plan: 'enterprise' });
  });
  after(() => ctx.close());

  it('stores no token in plain text', async () => {
    await ctx.insertAccount('ws', { accessToken: 'PLAINTEXT-ACCESS-123', refreshToken: 'PLAINTEXT-REFRESH-456' });
    const { rows } = await sql<{ dump: string }>`select row_to_json(a)::text as dump from social_accounts a`.execute(ctx.database.db);
    for (const row of rows) {
      assert.ok(!row.dump.includes('PLAINTEXT-ACCESS-123'));
      assert.ok(!row.dump.includes('PLAINTEXT-REFRESH-456'));
    }
  });

  it('moves every row to the newest key, and old rows stay readable until then', async () => {
    const rows = await Promise.all([1, 2, 3].map((n) => ctx.insertAccount('ws', { accessToken: `access-${n}`, refreshToken: n === 2 ? null : `refresh-${n}` })));
    const k2 = key('k2');
    const rotated = new TokenCipher([k2, k1]);
    for (const row of rows) assert.equal(decryptCredentials(rotated, row).accessToken?.startsWith('access-'), true);

    const moved = await reencryptAccounts(
      { accounts: ctx.services.accountRepository, cipher: rotated, inTransaction: transactionRunner(ctx.database.db), now: () => new Date() },
      2,
    );
    assert.equal(moved, 4); // the three above and the one from the previous test
    // Once moved, the old key can be dropped: the new key alone reads every row.
    const onlyNew = new TokenCipher([k2]);
    const after = await Promise.all(rows.map((r) => ctx.services.accountRepository.findById(r.id)));
    after.forEach((row, i) => {
      assert.equal(row!.token_key_id, 'k2');
      const n = i + 1;
      assert.deepEqual(decryptCredentials(onlyNew, row!), {
        accessToken: `access-${n}`,
        refreshToken: n === 2 ? null : `refresh-${n}`,
      });
    });
    assert.equal(await reencryptAccounts({ accounts: ctx.services.accountRepository, cipher: rotated, inTransaction: transactionRunner(ctx.database.db), now: () => new Date() }), 0);
  });
});
