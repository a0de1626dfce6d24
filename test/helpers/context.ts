import { randomBytes, randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type { CreateAppOptions } from '../../bff/app.ts';
import type { AppDeps, Services } from '../../bff/services.ts';
import { createBff, type Bff } from '../../bff/bff.ts';
import { OffsetClock } from '../../bff/clock.ts';
import type { Config } from '../../bff/config.ts';
import { createLogger, type Logger } from '../../bff/logger.ts';
import { encryptCredentials } from '../../bff/accounts/credentials.ts';
import type { NewSocialAccount, SocialAccountRow } from '../../bff/db/database.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const HOST_KEY = 'test-host-api-key-0123456789abcdef';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    publicUrl: 'http://127.0.0.1:3999',
    databaseUrl: null,
    dataDir: '/nonexistent',
    hostApiKey: HOST_KEY,
    tokenEncryptionKeys: [{ id: 'k1', key: randomBytes(32) }],
    allowedOrigins: ['http://127.0.0.1:3999', 'https://host.example'],
    webhook: null,
    platformCredentials: {},
    sandboxPlatforms: ['facebook', 'instagram', 'tiktok', 'x', 'linkedin'],
    sandboxUrl: null,
    rateLimitPerMinute: 0,
    demo: false,
    host: '127.0.0.1',
    trustProxy: ['loopback'],
    jobs: true,
    jobsPollSeconds: 30,
    logFormat: 'json',
    ...overrides,
  };
}

export interface TestContext {
  app: Express;
  /** The BFF the app is built on (createBff, as every entry point). */
  bff: Bff;
  database: TestDatabase;
  services: Services;
  config: Config;
  /** The product clock (the sandbox's in sandbox mode). */
  clock: OffsetClock;
  /** Real time for sessions, movable by tests. */
  wallClock: OffsetClock;
  logger: Logger;
  /** Creates or replaces a workspace through the host API. */
  putWorkspace(id: string, body: { plan: string; accountLimit?: number | null; name?: string }): Promise<void>;
  /** A session token for the widget API, minted through the host API. */
  session(workspaceId: string, role?: 'member' | 'admin', ttlSeconds?: number): Promise<string>;
  /** Stores an account as a completed OAuth grant would, through the real repository and cipher. */
  insertAccount(workspaceId: string, overrides?: Partial<NewSocialAccount> & { accessToken?: string | null; refreshToken?: string | null }): Promise<SocialAccountRow>;
  close(): Promise<void>;
}

export async function createTestContext(
  options: {
    config?: Partial<Config>;
    logger?: Logger;
    deps?: Partial<AppDeps>;
    beforeApp?: (clock: OffsetClock) => Partial<AppDeps>;
    /** What the app serves beside the API (the example page, the widget bundle, the demo routes). */
    app?: CreateAppOptions;
  } = {},
): Promise<TestContext> {
  const database = await createTestDatabase();
  const config = testConfig(options.config);
  const clock = new OffsetClock();
  const wallClock = new OffsetClock();
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const { database: replacedDatabase, logger: replacedLogger, clock: _clock, config: _config, ...overrides } = { ...options.deps, ...options.beforeApp?.(clock) };
  const bff = await createBff({
    config,
    database: replacedDatabase ?? database,
    migrate: false,
    logger: replacedLogger ?? logger,
    clock,
    overrides: { wallClock, ...overrides },
  });
  const app = bff.app(options.app);
  const services = bff.services;

  const context: TestContext = {
    app,
    bff,
    database,
    services,
    config,
    clock,
    wallClock,
    logger,
    async putWorkspace(id, body) {
      const res = await request(app).put(`/v1/workspaces/${id}`).set('Authorization', `Bearer ${HOST_KEY}`).send(body);
      if (res.status !== 200 && res.status !== 201) throw new Error(`putWorkspace failed: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async session(workspaceId, role = 'member', ttlSeconds) {
      const res = await request(app)
        .post('/v1/sessions')
        .set('Authorization', `Bearer ${HOST_KEY}`)
        .send({ workspaceId, userId: 'user-1', role, ...(ttlSeconds ? { ttlSeconds } : {}) });
      if (res.status !== 201) throw new Error(`session failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
    async insertAccount(workspaceId, overrides = {}) {
      const { accessToken = `tok-${randomUUID()}`, refreshToken = null, ...columns } = overrides;
      const id = columns.id ?? randomUUID();
      const now = clock.now();
      return services.accountRepository.insert({
        id,
        workspace_id: workspaceId,
        platform: 'facebook',
        platform_account_id: `pa-${randomUUID()}`,
        kind: 'page',
        display_name: 'Account',
        username: null,
        avatar_url: null,
        granted_scopes: ['pages_show_list', 'pages_read_engagement', 'pages_manage_posts', 'pages_manage_engagement', 'read_insights'],
        can_publish: true,
        connect_method: 'facebook_login',
        connected_at: now,
        token_expires_at: new Date(now.getTime() + 60 * 86_400_000),
        updated_at: now,
        ...columns,
        ...encryptCredentials(services.cipher, id, { accessToken, refreshToken }),
      });
    },
    close: async () => {
      await bff.stop();
      await database.close();
    },
  };
  return context;
}

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
