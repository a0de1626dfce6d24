/**
 * Helpers the platform adapter tests share: the sandbox control API, sign-in through the
 * sandbox consent page, stored accounts, and assertions on PlatformError and dates.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PlatformError } from '../../bff/platforms/adapter.ts';
import type { Grant, GrantedAccount, PlatformAdapter, PlatformErrorKind, StoredAccount } from '../../bff/platforms/adapter.ts';
import type { SandboxPlatform } from '../../bff/sandbox/index.ts';
import { consent } from './sandbox.ts';
import type { SandboxServer } from './sandbox.ts';

/** Calls the sandbox control API at `control/<path>` (POST with a JSON body, else GET) and expects 200. */
export async function control(server: SandboxServer, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.baseUrl}/control/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.equal(res.status, 200, `control ${path}: ${await res.clone().text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** How many requests the sandbox's token endpoint of `platform` has had (GET control/stats). */
export async function tokenRequests(server: SandboxServer, platform: SandboxPlatform): Promise<number> {
  const stats = (await control(server, 'stats')) as { tokenRequests: Partial<Record<SandboxPlatform, number>> };
  return stats.tokenRequests[platform] ?? NaN;
}

/** Expects `promise` to reject with a PlatformError of `kind` (and `code`, when given), and returns it. */
export async function rejectsWith(promise: Promise<unknown>, kind: PlatformErrorKind, code?: string): Promise<PlatformError> {
  let caught: unknown;
  await assert.rejects(promise, (err: unknown) => {
    caught = err;
    return true;
  });
  assert.ok(caught instanceof PlatformError, `expected a PlatformError, got ${String(caught)}`);
  assert.equal(caught.kind, kind, caught.message);
  if (code !== undefined) assert.equal(caught.code, code, caught.message);
  return caught;
}

/** Expects `actual` to be a date within 5 seconds of `expectedMs`. */
export function assertAbout(actual: Date | null | undefined, expectedMs: number, label: string): void {
  assert.ok(actual instanceof Date, `${label} is a date`);
  assert.ok(Math.abs(actual.getTime() - expectedMs) < 5_000, `${label}: ${actual.toISOString()} vs ${new Date(expectedMs).toISOString()}`);
}

/** Whole seconds from the sandbox clock's now to `date` (negative when past); expects a date. */
export function secondsFromNow(server: SandboxServer, date: Date | null | undefined): number {
  assert.ok(date, 'expected a date');
  return Math.round((date.getTime() - server.clock.now().getTime()) / 1000);
}

/** A sorted copy of a list of strings. */
export function sorted(list: readonly string[]): string[] {
  return [...list].sort();
}

/** The same endpoints on a loopback port nothing listens on. */
export async function unreachable(endpoints: Record<string, string>): Promise<Record<string, string>> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return Object.fromEntries(Object.entries(endpoints).map(([key, url]) => [key, url.replace(/^http:\/\/127\.0\.0\.1:\d+/, `http://127.0.0.1:${port}`)]));
}

/** A granted account as the product stores it. */
export function toStored(account: GrantedAccount): StoredAccount {
  return {
    platformAccountId: account.platformAccountId,
    kind: account.kind,
    connectMethod: account.connectMethod,
    tokens: account.tokens,
    grantedScopes: account.grantedScopes,
  };
}

/** A granted account as the product stores it, after asserting there is one. */
export function stored(account: GrantedAccount | undefined): StoredAccount {
  assert.ok(account, 'expected an account');
  return toStored(account);
}

/** One sign-in attempt: what the adapter's authorizationUrl and exchangeCode take. */
export interface SignInAttempt {
  redirectUri: string;
  state: string;
  codeVerifier: string;
}

/** `attempt()` and `connect()` for one redirect URI and one person signing in by default. */
export interface SignInFlow {
  /** A fresh attempt with a random state and PKCE verifier. */
  attempt(): SignInAttempt;
  /** Runs the whole consent as the person would, and finishes it with the adapter. */
  connect(adapter: PlatformAdapter, options?: { user?: string; scopes?: string[] }): Promise<{ grant: Grant; callbackUrl: URL; start: SignInAttempt }>;
}

/** The sign-in helpers for adapters redirecting to `redirectUri`, consenting as `defaultUser` unless told. */
export function signInFlow(redirectUri: string, defaultUser: string): SignInFlow {
  const attempt = (): SignInAttempt => ({
    redirectUri,
    state: randomBytes(16).toString('base64url'),
    codeVerifier: randomBytes(32).toString('base64url'),
  });
  return {
    attempt,
    async connect(adapter, options = {}) {
      const start = attempt();
      const callbackUrl = await consent(await adapter.authorizationUrl(start), { user: options.user ?? defaultUser, scopes: options.scopes });
      const grant = await adapter.exchangeCode({ callbackUrl, state: start.state, codeVerifier: start.codeVerifier });
      return { grant, callbackUrl, start };
    },
  };
}
