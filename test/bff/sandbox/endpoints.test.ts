import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { sandboxEndpoints } from '../../../bff/sandbox/index.ts';
import type { SandboxPlatform } from '../../../bff/sandbox/index.ts';
import { makeSandbox } from './helpers.ts';

describe('sandboxEndpoints', () => {
  it('builds absolute URLs that keep the real paths after the host segment', () => {
    const ep = sandboxEndpoints('http://127.0.0.1:3000/sandbox/');
    assert.equal(ep.facebook['authorize'], 'http://127.0.0.1:3000/sandbox/facebook/www/v23.0/dialog/oauth');
    assert.equal(ep.facebook['token'], 'http://127.0.0.1:3000/sandbox/facebook/graph/v23.0/oauth/access_token');
    assert.equal(ep.facebook['graph'], 'http://127.0.0.1:3000/sandbox/facebook/graph/v23.0');
    assert.equal(ep.facebook['debugToken'], 'http://127.0.0.1:3000/sandbox/facebook/graph/v23.0/debug_token');
    assert.equal(ep.instagram['authorize'], 'http://127.0.0.1:3000/sandbox/instagram/www/oauth/authorize');
    assert.equal(ep.instagram['token'], 'http://127.0.0.1:3000/sandbox/instagram/api/oauth/access_token');
    assert.equal(ep.instagram['graph'], 'http://127.0.0.1:3000/sandbox/instagram/graph/v23.0');
    assert.equal(ep.instagram['exchange'], 'http://127.0.0.1:3000/sandbox/instagram/graph/access_token');
    assert.equal(ep.instagram['refresh'], 'http://127.0.0.1:3000/sandbox/instagram/graph/refresh_access_token');
    assert.equal(ep.tiktok['authorize'], 'http://127.0.0.1:3000/sandbox/tiktok/www/v2/auth/authorize/');
    assert.equal(ep.tiktok['token'], 'http://127.0.0.1:3000/sandbox/tiktok/open/v2/oauth/token/');
    assert.equal(ep.x['authorize'], 'http://127.0.0.1:3000/sandbox/x/www/i/oauth2/authorize');
    assert.equal(ep.x['token'], 'http://127.0.0.1:3000/sandbox/x/api/2/oauth2/token');
    assert.equal(ep.linkedin['authorize'], 'http://127.0.0.1:3000/sandbox/linkedin/www/oauth/v2/authorization');
    assert.equal(ep.linkedin['token'], 'http://127.0.0.1:3000/sandbox/linkedin/www/oauth/v2/accessToken');
    assert.equal(ep.linkedin['userinfo'], 'http://127.0.0.1:3000/sandbox/linkedin/api/v2/userinfo');
  });

  it('every endpoint it names is served by the router', async () => {
    const t = makeSandbox();
    // Bases are checked through one path below them.
    const below: Record<string, string> = {
      graph: '/me',
      api: '',
      basicDisplayGraph: '/me',
      issuer: '/.well-known/openid-configuration',
    };
    const apiChild: Record<SandboxPlatform, string> = {
      facebook: '',
      instagram: '',
      tiktok: '/user/info/',
      x: '/users/me',
      linkedin: '/v2/userinfo',
    };
    for (const [platform, endpoints] of Object.entries(t.paths) as Array<[SandboxPlatform, Record<string, string>]>) {
      for (const [key, url] of Object.entries(endpoints)) {
        const target = `${url}${key === 'api' ? apiChild[platform] : (below[key] ?? '')}`;
        const method =
          platform === 'facebook' && key === 'revoke'
            ? 'delete'
            : ['token', 'revoke', 'introspect', 'basicDisplayToken'].includes(key) && !(platform === 'facebook' && key === 'token')
              ? 'post'
              : 'get';
        const res = await request(t.app)[method](target);
        assert.notEqual(res.body?.error?.code, 'not_found', `${platform}.${key}: ${method.toUpperCase()} ${target} is not routed`);
        assert.ok(res.status < 500, `${platform}.${key} answered ${res.status}`);
      }
    }
  });
});
