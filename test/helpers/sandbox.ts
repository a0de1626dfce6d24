import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { OffsetClock } from '../../bff/clock.ts';
import { createSandbox, sandboxEndpoints, type Sandbox, type SandboxPlatform } from '../../bff/sandbox/index.ts';

/** The sandbox platforms listening on a loopback port, as adapters reach them over real HTTP. */
/** The redirect URIs the tests' apps register: their callbacks on https://app.example.com. */
export const REGISTERED_REDIRECTS = (uri: string): boolean => uri.startsWith('https://app.example.com/');

export interface SandboxServer {
  baseUrl: string;
  clock: OffsetClock;
  sandbox: Sandbox;
  endpoints: Record<SandboxPlatform, Record<string, string>>;
  close(): Promise<void>;
}

export async function startSandbox(clock = new OffsetClock()): Promise<SandboxServer> {
  const sandbox = createSandbox({ clock, redirectUris: REGISTERED_REDIRECTS });
  const app = express();
  app.use('/sandbox', sandbox.router);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/sandbox`;
  return {
    baseUrl,
    clock,
    sandbox,
    endpoints: sandboxEndpoints(baseUrl),
    close: async () => {
      sandbox.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Plays the person on a sandbox consent page: POSTs the form to the authorize URL as a
 * browser would, and returns where the platform redirects (the callback URL with its
 * code or error). `scopes` omitted keeps every requested scope checked.
 */
export async function consent(authorizeUrl: string | URL, options: { user?: string; scopes?: string[]; decision?: 'allow' | 'deny' } = {}): Promise<URL> {
  const url = new URL(authorizeUrl);
  const scopes = options.scopes ?? requestedScopes(url);
  const body = new URLSearchParams();
  if (options.user) body.append('user', options.user);
  for (const scope of scopes) body.append('scope', scope);
  body.append('decision', options.decision ?? 'allow');
  const res = await fetch(url, { method: 'POST', body, redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`consent page answered ${res.status}: ${await res.text()}`);
  return new URL(location);
}

/** The scopes an authorize URL asks for, whatever the platform's separator. */
export function requestedScopes(url: URL): string[] {
  return (url.searchParams.get('scope') ?? '').split(/[\s,]+/).filter(Boolean);
}
