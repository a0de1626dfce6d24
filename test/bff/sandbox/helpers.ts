/** Shared set-up for the sandbox tests: an Express app with the sandbox mounted at /sandbox. */
import { createHash, randomBytes } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import type { Response as SupertestResponse } from 'supertest';
import { OffsetClock } from '../../../bff/clock.ts';
import { createSandbox, sandboxEndpoints } from '../../../bff/sandbox/index.ts';
import { SANDBOX_LINKEDIN_PAGES_CLIENT } from '../../../bff/sandbox/seed.ts';
import type { Sandbox, SandboxPlatform } from '../../../bff/sandbox/index.ts';

export const REDIRECT_URI = 'https://app.example.com/oauth/callback';

/** The redirect URIs the tests' apps register: their callbacks on https://app.example.com. */
export const REGISTERED_REDIRECTS = (uri: string): boolean => uri.startsWith('https://app.example.com/');

export interface TestSandbox {
  app: express.Express;
  sandbox: Sandbox;
  clock: OffsetClock;
  /** Endpoint paths (relative to the app), from sandboxEndpoints('/sandbox'). */
  paths: Record<SandboxPlatform, Record<string, string>>;
}

export function makeSandbox(options: { stateFile?: string; clock?: OffsetClock } = {}): TestSandbox {
  // A frozen base: time moves only when a test advances it, so lifetimes compare exactly.
  const frozen = new Date();
  const clock = options.clock ?? new OffsetClock({ now: () => frozen });
  const sandbox = createSandbox({ clock, redirectUris: REGISTERED_REDIRECTS, ...(options.stateFile ? { stateFile: options.stateFile } : {}) });
  const app = express();
  app.use('/sandbox', sandbox.router);
  return { app, sandbox, clock, paths: sandboxEndpoints('/sandbox') };
}

export function path(endpoint: string | undefined): string {
  if (endpoint === undefined) throw new Error('no such endpoint');
  return endpoint;
}

export function withParams(endpoint: string | undefined, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  return `${path(endpoint)}${path(endpoint).includes('?') ? '&' : '?'}${query}`;
}

export function form(fields: Record<string, string | string[] | undefined>): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  }
  return body.toString();
}

export function location(res: SupertestResponse): URL {
  const value = res.headers['location'];
  if (typeof value !== 'string') throw new Error(`expected a redirect, got ${res.status}: ${res.text}`);
  return new URL(value);
}

/** Submits the consent form the way a browser would: POST to the authorize URL. */
export async function decide(
  app: express.Express,
  authorizeUrl: string,
  fields: { user?: string; scope?: string[]; decision: 'allow' | 'deny' },
): Promise<URL> {
  const res = await request(app)
    .post(authorizeUrl)
    .type('form')
    .send(form({ user: fields.user, scope: fields.scope, decision: fields.decision }));
  if (res.status !== 302) throw new Error(`consent answered ${res.status}: ${res.text}`);
  return location(res);
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The <option>s, checkboxes and buttons of a consent page. */
export function consentForm(html: string): {
  title: string | undefined;
  action: string | undefined;
  users: Array<{ value: string; selected: boolean }>;
  scopes: Array<{ value: string; checked: boolean; labelled: boolean }>;
} {
  const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  const select = /<select name="user"[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1] ?? '';
  return {
    title: /<title>([^<]*)<\/title>/.exec(html)?.[1],
    action: decode(/<form method="post" action="([^"]*)">/.exec(html)?.[1] ?? ''),
    users: [...select.matchAll(/<option value="([^"]*)"( selected)?>/g)].map((m) => ({ value: decode(m[1] ?? ''), selected: !!m[2] })),
    scopes: [...html.matchAll(/<input type="checkbox" name="scope" value="([^"]*)" id="([^"]*)"( checked)?>/g)].map((m) => ({
      value: decode(m[1] ?? ''),
      checked: !!m[3],
      labelled: html.includes(`<label for="${m[2] ?? ''}">`),
    })),
  };
}

export function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export const DAY = 24 * 3600;

// --- one-call grants, for tests about what happens after the OAuth dance ------------------

/** Runs authorize + consent + code exchange for `platform` and returns the token response body. */
export async function grantTokens(t: TestSandbox, platform: SandboxPlatform, user?: string): Promise<Record<string, string>> {
  const p = t.paths[platform];
  // LinkedIn organization scopes belong to the Community Management app, alone on its app.
  const { clientId, clientSecret } = platform === 'linkedin' ? SANDBOX_LINKEDIN_PAGES_CLIENT : t.sandbox.clients[platform];
  const pkce = pkcePair();
  const setups: Record<SandboxPlatform, { params: Record<string, string>; scope: string[]; user: string }> = {
    facebook: {
      params: { client_id: clientId, scope: 'pages_show_list,pages_read_engagement' },
      scope: ['pages_show_list', 'pages_read_engagement'],
      user: '100000000000001',
    },
    instagram: {
      params: { client_id: clientId, scope: 'instagram_business_basic' },
      scope: ['instagram_business_basic'],
      user: '17841400000000011',
    },
    tiktok: { params: { client_key: clientId, scope: 'user.info.basic' }, scope: ['user.info.basic'], user: 'tt-open-0001' },
    x: {
      params: {
        client_id: clientId,
        scope: 'tweet.read users.read offline.access',
        code_challenge: pkce.challenge,
        code_challenge_method: 'S256',
      },
      scope: ['tweet.read', 'users.read', 'offline.access'],
      user: '1700000000000000001',
    },
    linkedin: {
      params: { client_id: clientId, scope: 'r_organization_social rw_organization_admin' },
      scope: ['r_organization_social', 'rw_organization_admin'],
      user: 'Hn3kQ8vRzA',
    },
  };
  const setup = setups[platform];
  const authorizeUrl = withParams(p['authorize'], { ...setup.params, redirect_uri: REDIRECT_URI, response_type: 'code', state: 's' });
  const back = await decide(t.app, authorizeUrl, { user: user ?? setup.user, scope: setup.scope, decision: 'allow' });
  const code = back.searchParams.get('code') ?? '';
  const fields: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI };
  let req = request(t.app).post(path(p['token'])).type('form');
  if (platform === 'x') {
    req = req.set('Authorization', basicAuth(clientId, clientSecret));
    fields['code_verifier'] = pkce.verifier;
  } else {
    fields[platform === 'tiktok' ? 'client_key' : 'client_id'] = clientId;
    fields['client_secret'] = clientSecret;
  }
  const res = await req.send(form(fields));
  if (res.status !== 200) throw new Error(`${platform} token endpoint answered ${res.status}: ${res.text}`);
  return platform === 'instagram' ? res.body.data[0] : res.body;
}

/** A read that needs a live token on each platform's API. */
export function apiCall(t: TestSandbox, platform: SandboxPlatform, token: string) {
  const p = t.paths[platform];
  switch (platform) {
    case 'facebook':
    case 'instagram':
      return request(t.app).get(withParams(`${path(p['graph'])}/me`, { access_token: token }));
    case 'tiktok':
      return request(t.app).get(`${path(p['api'])}/user/info/?fields=open_id`).set('Authorization', `Bearer ${token}`);
    case 'x':
      return request(t.app).get(`${path(p['api'])}/users/me`).set('Authorization', `Bearer ${token}`);
    case 'linkedin':
      // The Pages app's tokens (grantTokens) have no OpenID Connect: read the organization ACLs.
      return request(t.app)
        .get(`${path(p['api'])}/rest/organizationAcls?q=roleAssignee`)
        .set({ Authorization: `Bearer ${token}`, 'LinkedIn-Version': '202601', 'X-Restli-Protocol-Version': '2.0.0' });
  }
}
