import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/connect.ts';
import { transactionRunner } from './db/transaction.ts';
import { TokenCipher } from './crypto/token-cipher.ts';
import { createLogger, type Logger } from './logger.ts';
import { AccountRepository } from './accounts/account.repository.ts';
import { AccountService, type RevokeAtPlatform } from './accounts/account.service.ts';
import { WorkspaceRepository } from './workspaces/workspace.repository.ts';
import { WorkspaceService } from './workspaces/workspace.service.ts';
import { EventRepository } from './events/event.repository.ts';
import { EventService } from './events/events.ts';
import { ConnectionService } from './connections/connection.service.ts';
import { AttemptRepository } from './connections/attempt.repository.ts';
import { SessionSigner } from './sessions/sessions.ts';
import { createPlatformRegistry, type PlatformRegistry } from './platforms/registry.ts';
import { toStoredAccount } from './accounts/credentials.ts';
import type { LivePlatform } from '../contract/platforms.ts';
import { RefreshService } from './refresh/refresh.service.ts';
import { DEFAULT_SCHEDULER, RefreshScheduler, type SchedulerOptions } from './refresh/scheduler.ts';
import { HealthCheckService } from './refresh/health-check.service.ts';
import { VerificationService } from './refresh/verification.service.ts';
import { PushService } from './push/push.service.ts';
import { PushRepository } from './push/push.repository.ts';
import { HealthEvents } from './accounts/health-events.ts';
import { WebhookRepository } from './webhooks/webhook.repository.ts';
import { WebhookDispatcher } from './webhooks/webhook.dispatcher.ts';
import type { Sandbox } from './sandbox/index.ts';
import { OperatorProblems } from './operations/problems.ts';
import { HistoryRepository } from './history/history.repository.ts';
import { HistoryService } from './history/history.service.ts';
import { PlanEnforcer } from './plans/pausing.ts';
import { LinkRepository } from './links/link.repository.ts';
import { LinkService } from './links/link.service.ts';

/** What the BFF is built from: the configuration, the database and the few parts tests replace. */
export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  logger?: Logger;
  /** The clock of every product rule (the sandbox's in sandbox mode). */
  clock?: Clock;
  /** Real time, for session expiry only. */
  wallClock?: Clock;
  /** Overrides revoking at the platform on disconnect (tests); by default the platform's adapter does it. */
  revokeAtPlatform?: RevokeAtPlatform;
  /** The sandbox platforms, served under /sandbox by this BFF (sandbox mode without SANDBOX_URL). */
  sandbox?: Sandbox;
  /** Overrides the adapters built from the configuration. */
  platforms?: PlatformRegistry;
  /** Scheduler settings (interval, batch size, concurrency). */
  scheduler?: Partial<SchedulerOptions>;
  /** Whether this process runs background work (refresh, verification, webhooks); /readyz says so. */
  jobs?: boolean;
}

/** Everything the routes need, built once from the deps. */
export function createServices(deps: AppDeps) {
  const { config, database } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createLogger();
  const db = database.db;
  const inTransaction = transactionRunner(db);
  const cipher = new TokenCipher(config.tokenEncryptionKeys);
  const wallClock = deps.wallClock ?? systemClock;
  const platforms = deps.platforms ?? createPlatformRegistry(config, clock, config.sandboxUrl ?? `${config.publicUrl}/sandbox`);
  const accountRepository = new AccountRepository(db);
  const workspaceRepository = new WorkspaceRepository(db);
  const deliveries = new WebhookRepository(db);
  const events = new EventService(new EventRepository(db), config.webhook ? { deliveries, wallClock } : null);
  const webhooks = config.webhook ? new WebhookDispatcher({ deliveries, webhook: config.webhook, wallClock, logger }) : null;
  const revokeAtPlatform: RevokeAtPlatform =
    deps.revokeAtPlatform ?? ((row) => platforms.get(row.platform as LivePlatform).revoke(toStoredAccount(cipher, row)));
  const healthEvents = new HealthEvents(accountRepository, events, clock);
  const history = new HistoryService(new HistoryRepository(db));
  const planEnforcer = new PlanEnforcer({ accounts: accountRepository, events, history, clock });
  const accounts = new AccountService({ accounts: accountRepository, events, history, healthEvents, inTransaction, clock, logger, cipher, revokeAtPlatform, plan: { enforcer: planEnforcer, workspaces: workspaceRepository } });
  const workspaces = new WorkspaceService(workspaceRepository, accountRepository, clock, { enforcer: planEnforcer, inTransaction });
  const linkRepository = new LinkRepository(db);
  const problems = new OperatorProblems(wallClock);
  const connections = new ConnectionService({
    problems,
    config,
    workspaces,
    workspaceRepository,
    accounts,
    accountRepository,
    attempts: new AttemptRepository(db),
    platforms,
    cipher,
    inTransaction,
    clock,
    wallClock,
    logger,
    links: linkRepository,
    events,
  });
  const links = new LinkService({ links: linkRepository, accounts: accountRepository, workspaces, wallClock, publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins, signingSecret: config.hostApiKey });
  const refresh = new RefreshService({ problems, accounts: accountRepository, platforms, cipher, events, healthEvents, history, inTransaction, clock, wallClock, logger });
  const schedulerOptions = { ...DEFAULT_SCHEDULER, ...deps.scheduler };
  const verification = new VerificationService(
    { refresh, accounts: accountRepository, platforms, cipher, clock, wallClock, logger, events, inTransaction },
    { batchSize: schedulerOptions.batchSize, concurrency: schedulerOptions.concurrency, expiryWarningDays: config.expiryWarningDays },
  );
  const scheduler = new RefreshScheduler({ verification, logger }, schedulerOptions);
  const healthChecks = new HealthCheckService({ verification, accounts });
  const push = new PushService({
    accounts: accountRepository,
    push: new PushRepository(db),
    healthEvents,
    history,
    inTransaction,
    clock,
    logger,
    appSecret: (platform) => platforms.appSecret(platform),
    publicUrl: config.publicUrl,
  });
  const sessions = new SessionSigner(config.hostApiKey, wallClock);
  const jobsEnabled = deps.jobs ?? true;
  return { links, linkRepository, planEnforcer, workspaceRepository, jobsEnabled, problems, history, config, clock, logger, database, cipher, platforms, accountRepository, accounts, workspaces, events, healthEvents, deliveries, webhooks, connections, refresh, verification, scheduler, healthChecks, push, sessions };
}

export type Services = ReturnType<typeof createServices>;

