/**
 * The agencies' baseline: a bare node:http server with a pg pool of the BFF's size that answers
 * each path with the rows of one statement (the repositories' own SQL), the first `limit` of
 * them as JSON. No framework, no session check, no logging, no mapping or health rules.
 * Environment: PORT, DATABASE_URL, BASELINE_ROUTES (JSON: { [path]: { sql, parameters, key, limit? } }).
 */
import http from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const routes = JSON.parse(process.env.BASELINE_ROUTES!) as Record<string, { sql: string; parameters: unknown[]; key: string; limit?: number }>;

const server = http.createServer(async (req, res) => {
  const route = req.method === 'GET' ? routes[req.url ?? ''] : undefined;
  if (!route) return void res.writeHead(404).end();
  try {
    const { rows } = await pool.query(route.sql, route.parameters);
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify({ [route.key]: route.limit ? rows.slice(0, route.limit) : rows }));
  } catch (err) {
    res.writeHead(500).end(String(err));
  }
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
