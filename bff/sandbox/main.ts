/**
 * Runs the sandbox platforms as their own process, so several BFF instances can share one
 * (SANDBOX_URL). Environment: PORT (default 4000; 0 picks a free port), SANDBOX_STATE_FILE
 * (optional: keep grants and tokens across restarts), BFF_PUBLIC_URLS (the PUBLIC_URL of each
 * BFF it serves, comma-separated, default http://localhost:3000: the sandbox only redirects to
 * their callback URLs), SANDBOX_CONTROL_KEY (optional: the control API then needs it as a
 * bearer token). Listens on 127.0.0.1 only.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { OffsetClock } from '../clock.ts';
import { bffCallbackUrls, createSandbox } from './index.ts';

function readPort(value: string | undefined): number {
  if (value === undefined || value === '') return 4000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be an integer from 0 to 65535, got "${value}"`);
    process.exit(1);
  }
  return port;
}

const port = readPort(process.env['PORT']);
const stateFile = process.env['SANDBOX_STATE_FILE'] || undefined;
const bffUrls = (process.env['BFF_PUBLIC_URLS'] || 'http://localhost:3000').split(',').map((u) => u.trim()).filter(Boolean);
const controlKey = process.env['SANDBOX_CONTROL_KEY'] || undefined;
const sandbox = createSandbox({ clock: new OffsetClock(), stateFile, redirectUris: bffUrls.flatMap(bffCallbackUrls), ...(controlKey ? { controlKey } : {}) });

const app = express();
app.disable('x-powered-by');
app.use('/sandbox', sandbox.router);

const server = app.listen(port, '127.0.0.1', (error?: Error) => {
  if (error) {
    console.error(`Sandbox could not listen on 127.0.0.1:${port}: ${error.message}`);
    process.exit(1);
  }
  const { port: actual } = server.address() as AddressInfo;
  console.log(`Sandbox platforms listening at http://127.0.0.1:${actual}/sandbox`);
});

function shutDown(): void {
  sandbox.close();
  server.close(() => process.exit(0));
}

process.once('SIGTERM', shutDown);
process.once('SIGINT', shutDown);
