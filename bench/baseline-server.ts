/**
 * The throughput baseline: a bare node:http server with a pg pool of the BFF's size, answering
 * GET /api/accounts with the same rows, read by the same SQL as the BFF's repository, sent as
 * JSON. No framework, no session check, no logging, no mapping or health rules: the floor the
 * BFF is measured against. Environment: PORT, DATABASE_URL, BASELINE_SQL, BASELINE_PARAMETERS
 * (JSON).
 */
import http from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const sql = process.env.BASELINE_SQL!;
const parameters = JSON.parse(process.env.BASELINE_PARAMETERS!) as unknown[];

const server = http.createServer(async (req, res) => {
  if (req.method !== 'GET' || req.url !== '/api/accounts') return void res.writeHead(404).end();
  try {
    const { rows } = await pool.query(sql, parameters);
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify({ accounts: rows }));
  } catch (err) {
    res.writeHead(500).end(String(err));
  }
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
