import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { sql } from 'kysely';
import { parseTimestamptz } from '../../bff/db/timestamps.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

const pgParser = pg.types.getTypeParser(1184, 'text') as (text: string) => Date | number | null;
const time = (value: Date | number | null) => (value instanceof Date ? value.getTime() : value);

/** `2026-12-02 19:27:00.123456+05:30` for an instant, written in the given offset (minutes east). */
function written(ms: number, offsetMinutes: number, fractionDigits: number, offsetSeconds = 0): string {
  const local = new Date(ms + (offsetMinutes * 60 + Math.sign(offsetMinutes || 1) * offsetSeconds) * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const micros = pad(local.getUTCMilliseconds(), 3) + pad(Math.floor(Math.random() * 1000), 3);
  const fraction = fractionDigits > 0 ? `.${micros.slice(0, fractionDigits)}` : '';
  const abs = Math.abs(offsetMinutes);
  const zone = `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${abs % 60 || offsetSeconds ? `:${pad(abs % 60)}` : ''}${offsetSeconds ? `:${pad(offsetSeconds)}` : ''}`;
  return `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${fraction}${zone}`;
}

describe('timestamptz parsing', () => {
  it("reads what PostgreSQL writes as pg's own parser does: offsets, fractions, years from 100 to 9999", () => {
    const offsets = [0, 60, -300, 330, -210, 345, 840, -720];
    for (let i = 0; i < 5_000; i++) {
      const ms = Math.floor(Date.UTC(100, 0, 1) + Math.random() * (Date.UTC(9999, 11, 31) - Date.UTC(100, 0, 1)));
      const text = written(ms, offsets[i % offsets.length]!, i % 7);
      const parsed = parseTimestamptz(text);
      assert.ok(parsed instanceof Date, text);
      assert.equal(parsed.getTime(), time(pgParser(text)), text);
    }
  });

  it('keeps milliseconds and drops finer digits, as Date cannot hold them', () => {
    assert.equal((parseTimestamptz('2026-12-02 19:27:00.123999+00') as Date).toISOString(), '2026-12-02T19:27:00.123Z');
    assert.equal((parseTimestamptz('2026-12-02 19:27:00.5+00') as Date).toISOString(), '2026-12-02T19:27:00.500Z');
    assert.equal((parseTimestamptz('2026-12-02 19:27:00.05-01') as Date).toISOString(), '2026-12-02T20:27:00.050Z');
    assert.equal((parseTimestamptz('2026-12-02 00:00:00+05:30') as Date).toISOString(), '2026-12-01T18:30:00.000Z');
    assert.equal((parseTimestamptz('1900-01-01 00:00:00+00:09:21') as Date).toISOString(), '1899-12-31T23:50:39.000Z');
  });

  it("leaves every other form to pg's parser: BC, infinity, two-digit and five-digit years", () => {
    for (const text of ['infinity', '-infinity', '0044-03-15 12:00:00+00 BC', '0099-06-01 00:00:00+00', '12345-01-01 00:00:00+00', '2026-12-02 19:27:00.+00', '2026-12-02 19:27:00', '2026-12-02']) {
      assert.deepEqual(time(parseTimestamptz(text)), time(pgParser(text)), text);
    }
    assert.equal(parseTimestamptz('infinity'), Infinity);
  });
});

describe('timestamptz on the database', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  it('reads the same instant whatever time zone the session writes it in', async () => {
    const instant = '2026-12-02T19:27:00.123Z';
    for (const zone of ['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham', 'Europe/Amsterdam']) {
      const read = await database.db.transaction().execute(async (trx) => {
        await sql`select set_config('TimeZone', ${zone}, true)`.execute(trx);
        return (await sql<{ at: Date }>`select ${instant}::timestamptz as at`.execute(trx)).rows[0]!;
      });
      assert.ok(read.at instanceof Date, zone);
      assert.equal(read.at.toISOString(), instant, zone);
    }
  });
});
