import { sql, type Kysely } from 'kysely';

/**
 * Every table of the test's schema as one comparable value: per table, its row count and an
 * md5 of all its rows (as text, sorted). Two equal snapshots mean nothing was written.
 */
export async function databaseSnapshot(db: Kysely<any>): Promise<Record<string, string>> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  if (tables.length === 0) throw new Error('no tables in the current schema');
  const parts = tables.map(
    ({ name }) =>
      sql`select ${name}::text as name, count(*)::text || ':' || md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as digest from ${sql.table(name)} x`,
  );
  const { rows } = await sql<{ name: string; digest: string }>`${sql.join(parts, sql` union all `)}`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}

/** Every text value stored anywhere in the schema, one row per line: for scanning for secrets. */
export async function databaseText(db: Kysely<any>): Promise<string> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  const lines: string[] = [];
  for (const { name } of tables) {
    const { rows } = await sql<{ row: string }>`select x::text as row from ${sql.table(name)} x`.execute(db);
    for (const r of rows) lines.push(`${name}: ${r.row}`);
  }
  return lines.join('\n');
}
