import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { prepared } from '../../bff/db/prepared.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

describe('prepared queries', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
    await database.db.insertInto('workspaces').values(['a', 'b', 'c'].map((id) => ({ id, name: `Workspace ${id}`, plan: 'free', updated_at: new Date() }))).execute();
  });
  after(() => database.close());

  const named = prepared((db, first: string, limit: number) => db.selectFrom('workspaces').select(['id', 'name']).where('id', '>=', first).orderBy('id').limit(limit));

  it("run with each call's own values, on the database and inside a transaction", async () => {
    assert.deepEqual(await named(database.db, 'a', 2), [{ id: 'a', name: 'Workspace a' }, { id: 'b', name: 'Workspace b' }]);
    assert.deepEqual(await named(database.db, 'b', 5), [{ id: 'b', name: 'Workspace b' }, { id: 'c', name: 'Workspace c' }]);
    await database.db.transaction().execute(async (trx) => {
      await trx.updateTable('workspaces').set({ name: 'Renamed' }).where('id', '=', 'c').execute();
      assert.deepEqual(await named(trx, 'c', 1), [{ id: 'c', name: 'Renamed' }]);
    });
  });

  it('refuse a query that does not use every argument as a value', async () => {
    const shaped = prepared((db, id: string, _unused: string) => db.selectFrom('workspaces').select('id').where('id', '=', id));
    await assert.rejects(shaped(database.db, 'a', 'b'), /must use each of its 2 arguments as a value/);
  });
});
