import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A port nothing listens on now, on loopback: for child processes that must be told their port. */
export async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
