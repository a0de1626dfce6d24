/**
 * The control API (/sandbox/control/...) and the hooks it drives: the shared clock, account
 * revocation, injected faults on the token endpoints, and token-request counters.
 */
import { createHmac } from 'node:crypto';
import express from 'express';
import type { RequestHandler, Response, Router } from 'express';
import { controlError } from './errors.ts';
import {
  FACEBOOK_PAGES,
  facebookPageManagers,
  FACEBOOK_USERS,
  INSTAGRAM_ACCOUNTS,
  INSTAGRAM_LEGACY_ACCOUNT_ID,
  INSTAGRAM_LINKED_ACCOUNTS,
  LINKEDIN_MEMBERS,
  LINKEDIN_ORGANIZATIONS,
  SANDBOX_CLIENTS,
  SANDBOX_PLATFORMS,
  TIKTOK_USERS,
  X_USERS,
  linkedinMemberName,
} from './seed.ts';
import type { SandboxPlatform } from './seed.ts';
import type { FlowId, SandboxStore } from './state.ts';

/**
 * `error` and `timeout` hit the token endpoint (500 in the platform's shape; no answer at all).
 * `lost` lets the token endpoint do its work (an X or TikTok refresh rotates the token) and
 * then never answers: the answer is lost after the platform rotated. `rate_limit`, `billing`
 * (X's 402 credits-depleted) and `version` (LinkedIn's 426, Meta's version error) hit the
 * platform's API calls, answered as each platform does.
 */
export const FAULT_KINDS = ['error', 'timeout', 'lost', 'rate_limit', 'billing', 'version'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
const TOKEN_FAULTS: readonly FaultKind[] = ['error', 'timeout', 'lost'];
const API_FAULTS: readonly FaultKind[] = ['rate_limit', 'billing', 'version'];
/** Which platforms know which API fault. */
const API_FAULT_PLATFORMS: Record<string, readonly SandboxPlatform[]> = {
  rate_limit: SANDBOX_PLATFORMS,
  billing: ['x'],
  version: ['linkedin', 'facebook', 'instagram'],
};

interface Fault {
  kind: FaultKind;
  remaining: number;
}

const MAX_ADVANCE_SECONDS = 10 * 366 * 24 * 3600;
const MAX_FAULT_COUNT = 10_000;

/** A path with its ids folded (`/graph/{id}/published_posts`) and Graph's version dropped. */
function endpointOf(path: string): string {
  return (
    path
      .replace(/\/v\d+\.\d+(?=\/|$)/, '')
      .split('/')
      .map((segment) => (/^\d+$|^[0-9a-f-]{16,}$|^urn:/i.test(segment) ? '{id}' : segment))
      .join('/')
      .replace(/\/+$/, '') || '/'
  );
}

function perPlatform<T>(make: () => T): Record<SandboxPlatform, T> {
  return { facebook: make(), instagram: make(), tiktok: make(), x: make(), linkedin: make() };
}

/** Runtime knobs of the sandbox (not persisted): counters, queued faults, requests held open. */
export class ControlState {
  readonly tokenRequests = perPlatform(() => 0);
  /** Where push signals go (the BFF's base URL); unset: the origin the sandbox is mounted on. */
  pushBaseUrl: string | undefined;
  /** Every request a platform answered, by platform and endpoint (`GET /graph/debug_token`). */
  readonly requests = perPlatform((): Record<string, number> => ({}));
  /** X API reads billed per call on pay-per-use pricing (anything but OAuth on api.x.com). */
  xBilledReads = 0;

  /** Counts one request to a platform, ids in the path folded so endpoints add up. */
  countRequest(platform: SandboxPlatform, method: string, path: string): void {
    const endpoint = `${method.toUpperCase()} ${endpointOf(path)}`;
    this.requests[platform][endpoint] = (this.requests[platform][endpoint] ?? 0) + 1;
    if (platform === 'x' && /^\/api\/2\//.test(path) && !/^\/api\/2\/oauth2\//.test(path)) this.xBilledReads++;
  }

  stats(): { tokenRequests: Record<SandboxPlatform, number>; requests: Record<SandboxPlatform, Record<string, number>>; xBilledReads: number; total: number } {
    const requests = perPlatform((): Record<string, number> => ({}));
    let total = 0;
    for (const p of SANDBOX_PLATFORMS) {
      requests[p] = { ...this.requests[p] };
      for (const n of Object.values(this.requests[p])) total += n;
    }
    return { tokenRequests: { ...this.tokenRequests }, requests, xBilledReads: this.xBilledReads, total };
  }
  readonly #faults = perPlatform((): Fault[] => []);
  readonly #held = new Set<Response>();

  /**
   * Wraps a token endpoint: counts the request, then plays the next queued fault if any.
   * `serverError` answers in the platform's own 5xx shape.
   */
  tokenEndpoint(platform: SandboxPlatform, serverError: (res: Response) => void): RequestHandler {
    return (_req, res, next) => {
      this.tokenRequests[platform]++;
      const fault = this.#takeFault(platform, TOKEN_FAULTS);
      if (fault === 'error') return serverError(res);
      if (fault === 'timeout') return this.#hold(res);
      if (fault === 'lost') {
        // The platform does the work (and rotates), then the answer never arrives.
        res.json = (() => {
          this.#hold(res);
          return res;
        }) as Response['json'];
      }
      next();
    };
  }

  /**
   * Wraps a platform's API calls: plays the next queued API fault (rate limit, billing,
   * version), answered by `answer` in the platform's own shape.
   */
  apiCall(platform: SandboxPlatform, answer: (res: Response, kind: 'rate_limit' | 'billing' | 'version') => void): RequestHandler {
    return (req, res, next) => {
      // Sign-in pages and token endpoints are not API calls (X does not bill them).
      if (/(^|\/)(www|oauth2?|basic-display)(\/|$)|access_token|debug_token/.test(req.path)) return next();
      const fault = this.#takeFault(platform, API_FAULTS);
      if (fault === 'rate_limit' || fault === 'billing' || fault === 'version') return answer(res, fault);
      next();
    };
  }

  #takeFault(platform: SandboxPlatform, kinds: readonly FaultKind[]): FaultKind | undefined {
    const queue = this.#faults[platform];
    const fault = queue[0];
    if (!fault || !kinds.includes(fault.kind)) return undefined;
    if (--fault.remaining <= 0) queue.shift();
    return fault.kind;
  }

  /** Never answers; the socket is dropped when the client gives up or the sandbox closes. */
  #hold(res: Response): void {
    this.#held.add(res);
    res.on('close', () => this.#held.delete(res));
  }

  addFault(platform: SandboxPlatform, kind: FaultKind, count: number): void {
    this.#faults[platform].push({ kind, remaining: count });
  }

  clearFaults(platform?: SandboxPlatform): void {
    for (const p of platform ? [platform] : SANDBOX_PLATFORMS) this.#faults[p].length = 0;
  }

  faults(): Record<SandboxPlatform, Fault[]> {
    const view = perPlatform((): Fault[] => []);
    for (const p of SANDBOX_PLATFORMS) view[p] = this.#faults[p].map((f) => ({ ...f }));
    return view;
  }

  resetStats(): void {
    for (const p of SANDBOX_PLATFORMS) {
      this.tokenRequests[p] = 0;
      this.requests[p] = {};
    }
    this.xBilledReads = 0;
  }

  /** Ends every held request so no socket keeps the process alive. */
  close(): void {
    for (const res of this.#held) res.socket?.destroy();
    this.#held.clear();
  }
}

/** Which grants a control-API revocation hits: flows and the grant subjects (user ids). */
function revocationTarget(platform: SandboxPlatform, id: string): { flows: FlowId[]; userIds: string[] } | undefined {
  switch (platform) {
    case 'facebook': {
      // A Page's tokens live under its owner's grant, so revoking a Page revokes that grant.
      // A business-owned Page's tokens live under its business people's grants.
      const userIds = FACEBOOK_USERS.some((u) => u.id === id) ? [id] : facebookPageManagers(id);
      return userIds.length > 0 ? { flows: ['facebook'], userIds } : undefined;
    }
    case 'instagram':
      return INSTAGRAM_ACCOUNTS.some((a) => a.id === id) ? { flows: ['instagram', 'instagram-basic'], userIds: [id] } : undefined;
    case 'tiktok':
      return TIKTOK_USERS.some((u) => u.openId === id) ? { flows: ['tiktok'], userIds: [id] } : undefined;
    case 'x':
      return X_USERS.some((u) => u.id === id) ? { flows: ['x'], userIds: [id] } : undefined;
    case 'linkedin': {
      if (LINKEDIN_MEMBERS.some((m) => m.sub === id)) return { flows: ['linkedin'], userIds: [id] };
      // Organization pages are managed with their administrators' member tokens.
      const organization = LINKEDIN_ORGANIZATIONS.find((o) => String(o.id) === id || `urn:li:organization:${o.id}` === id);
      return organization ? { flows: ['linkedin'], userIds: [...organization.administrators] } : undefined;
    }
  }
}

/**
 * What the platform sends the app when a person removes it, signed as the platform signs:
 * Meta's deauthorize callback (`signed_request`, HMAC-SHA256 with the app secret) and TikTok's
 * `authorization.removed` webhook (`TikTok-Signature: t=..,s=..`). X and LinkedIn send nothing.
 * Returns each push's status.
 */
async function sendPushSignals(platform: SandboxPlatform, userIds: readonly string[], base: string, nowMs: number): Promise<number[]> {
  const statuses: number[] = [];
  const seconds = Math.floor(nowMs / 1000);
  for (const userId of userIds) {
    if (platform === 'facebook' || platform === 'instagram') {
      const payload = Buffer.from(JSON.stringify({ algorithm: 'HMAC-SHA256', issued_at: seconds, user_id: userId })).toString('base64url');
      const signature = createHmac('sha256', SANDBOX_CLIENTS[platform].clientSecret).update(payload).digest('base64url');
      const res = await fetch(`${base}/oauth/deauthorize/${platform}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ signed_request: `${signature}.${payload}` }),
      });
      statuses.push(res.status);
    } else if (platform === 'tiktok') {
      const body = JSON.stringify({
        client_key: SANDBOX_CLIENTS.tiktok.clientId,
        event: 'authorization.removed',
        create_time: seconds,
        user_openid: userId,
        content: JSON.stringify({ reason: 1 }),
      });
      const signature = createHmac('sha256', SANDBOX_CLIENTS.tiktok.clientSecret).update(`${seconds}.${body}`).digest('hex');
      const res = await fetch(`${base}/webhooks/tiktok`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'TikTok-Signature': `t=${seconds},s=${signature}` },
        body,
      });
      statuses.push(res.status);
    }
  }
  return statuses;
}

function isPlatform(value: unknown): value is SandboxPlatform {
  return typeof value === 'string' && (SANDBOX_PLATFORMS as readonly string[]).includes(value);
}

function bodyOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function accountsList() {
  return {
    facebook: [
      ...FACEBOOK_USERS.map((u) => ({ id: u.id, name: u.name, kind: 'user', pageIds: u.pageIds })),
      ...FACEBOOK_PAGES.map((p) => ({
        id: p.id,
        name: p.name,
        kind: 'page',
        ownerId: p.ownerId,
        instagramBusinessAccountId: p.instagramAccountId,
      })),
      ...INSTAGRAM_LINKED_ACCOUNTS.map((a) => ({
        id: a.id,
        name: a.name,
        username: a.username,
        kind: 'instagram_business_account',
        pageId: FACEBOOK_PAGES.find((p) => p.instagramAccountId === a.id)?.id ?? null,
      })),
    ],
    instagram: INSTAGRAM_ACCOUNTS.map((a) => ({
      id: a.id,
      name: a.name,
      username: a.username,
      kind: 'professional_account',
      accountType: a.accountType,
      legacyBasicDisplay: a.id === INSTAGRAM_LEGACY_ACCOUNT_ID,
    })),
    tiktok: TIKTOK_USERS.map((u) => ({ id: u.openId, name: u.displayName, username: u.username, kind: 'user' })),
    x: X_USERS.map((u) => ({ id: u.id, name: u.name, username: u.username, kind: 'user' })),
    linkedin: [
      ...LINKEDIN_MEMBERS.map((m) => ({ id: m.sub, name: linkedinMemberName(m), kind: 'member' })),
      ...LINKEDIN_ORGANIZATIONS.map((o) => ({
        id: String(o.id),
        name: o.localizedName,
        kind: 'organization',
        administrators: o.administrators,
      })),
    ],
  };
}

export function controlRouter(store: SandboxStore, control: ControlState): Router {
  const router = express.Router();
  const clockView = () => ({ now: new Date(store.nowMs()).toISOString(), offsetMs: store.clockOffsetMs() });

  router.get('/clock', (_req, res) => {
    res.json(clockView());
  });

  router.post('/clock', (req, res) => {
    const seconds = bodyOf(req.body)['advanceSeconds'];
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_ADVANCE_SECONDS) {
      return res
        .status(400)
        .json(controlError('invalid_request', `advanceSeconds must be a number from 0 to ${MAX_ADVANCE_SECONDS} (10 years).`));
    }
    store.advanceClock(seconds);
    res.json(clockView());
  });

  router.post('/revoke', (req, res) => {
    const body = bodyOf(req.body);
    const platform = body['platform'];
    const accountId = body['platformAccountId'];
    if (!isPlatform(platform) || typeof accountId !== 'string' || accountId === '') {
      return res
        .status(400)
        .json(controlError('invalid_request', `platform must be one of ${SANDBOX_PLATFORMS.join(', ')} and platformAccountId a string.`));
    }
    const target = revocationTarget(platform, accountId);
    if (!target) {
      return res.status(404).json(controlError('unknown_account', `No ${platform} sandbox account ${accountId}.`));
    }
    const by = body['by'];
    if (by !== undefined && by !== 'user') return res.status(400).json(controlError('invalid_request', 'by must be "user" or left out.'));
    if (by === 'user') {
      // The person removed the app: the platform tells the app through its push signal.
      const revokedGrants = store.revokeUsers(target.flows, target.userIds, 'deauthorized');
      const pushBase = control.pushBaseUrl ?? String(res.locals['sandboxBase'] ?? '').replace(/\/sandbox$/, '');
      void (async () => {
        const pushed = await sendPushSignals(platform, target.userIds, pushBase, store.nowMs()).catch(() => []);
        res.json({ platform, platformAccountId: accountId, revokedGrants, pushed });
      })();
      return;
    }
    // From outside the app, like a password change: Meta reports it with subcode 460.
    const revokedGrants = store.revokeUsers(target.flows, target.userIds, 'session_invalidated');
    res.json({ platform, platformAccountId: accountId, revokedGrants });
  });

  router.get('/faults', (_req, res) => {
    res.json({ faults: control.faults() });
  });

  router.post('/faults', (req, res) => {
    const body = bodyOf(req.body);
    const { platform, kind, count } = body;
    if (
      !isPlatform(platform) ||
      !(FAULT_KINDS as readonly unknown[]).includes(kind) ||
      (API_FAULTS.includes(kind as FaultKind) && !API_FAULT_PLATFORMS[kind as string]?.includes(platform)) ||
      typeof count !== 'number' ||
      !Number.isInteger(count) ||
      count < 1 ||
      count > MAX_FAULT_COUNT
    ) {
      return res
        .status(400)
        .json(controlError('invalid_request', `Expected { platform, kind: ${FAULT_KINDS.map((k) => `"${k}"`).join('|')}, count: 1..${MAX_FAULT_COUNT} } (billing: x only; version: linkedin, facebook, instagram).`));
    }
    control.addFault(platform, kind as FaultKind, count);
    res.json({ faults: control.faults() });
  });

  router.delete('/faults', (req, res) => {
    const platform = req.query['platform'];
    if (platform !== undefined && !isPlatform(platform)) {
      return res.status(400).json(controlError('invalid_request', `Unknown platform.`));
    }
    control.clearFaults(platform);
    res.json({ faults: control.faults() });
  });

  router.get('/stats', (_req, res) => {
    res.json(control.stats());
  });

  router.post('/reset-stats', (_req, res) => {
    control.resetStats();
    res.json(control.stats());
  });

  router.get('/accounts', (_req, res) => {
    res.json(accountsList());
  });

  router.use((_req, res) => {
    res.status(404).json(controlError('not_found', 'No such control endpoint.'));
  });

  return router;
}
