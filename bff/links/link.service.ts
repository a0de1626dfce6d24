import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Link, LinkCreated } from '../../contract/types.ts';
import type { LinkKind, LinkStatus } from '../../contract/history.ts';
import { LINK_TTL } from '../../contract/schemas/links.ts';
import { isLivePlatform, LIVE_PLATFORMS, type LivePlatform } from '../../contract/platforms.ts';
import type { Clock } from '../clock.ts';
import type { LinkRow, SocialAccountRow, WorkspaceRow } from '../db/database.ts';
import { Failure } from '../errors.ts';
import type { AccountRepository } from '../accounts/account.repository.ts';
import { platformStatus, workspacePlan } from '../plans/plans.ts';
import type { WorkspaceService } from '../workspaces/workspace.service.ts';
import type { LinkRepository } from './link.repository.ts';
import { returnToOf } from '../connections/return-to.ts';

export interface LinkServiceDeps {
  links: LinkRepository;
  accounts: AccountRepository;
  workspaces: WorkspaceService;
  /** Links expire by real time, like sessions and sign-ins. */
  wallClock: Clock;
  publicUrl: string;
  allowedOrigins: readonly string[];
  /** The key links are signed with (derived from the host API key). */
  signingSecret: string;
}

/** What the link's page shows, for an open link. */
export interface OpenLink {
  link: LinkRow;
  workspace: WorkspaceRow;
  account: SocialAccountRow | null;
  /** The platforms the person may pick (a connect link without a platform); else the one. */
  platforms: LivePlatform[];
}

export const LINKS_LISTED = 200;

/**
 * Reconnect and connect links (SPEC "Agencies"): a host sends one to the person who owns an
 * account. The URL carries the link's id and a signature over it (HMAC with a key derived
 * from the host API key), so nothing secret is stored and a forged or altered link is
 * refused before anything is read. Single use: the use is recorded in the transaction that
 * stores the account (ConnectionService), so of two uses at once only one changes anything.
 */
export class LinkService {
  private readonly key: Buffer;

  constructor(private readonly deps: LinkServiceDeps) {
    this.key = createHash('sha256').update(`connections-panel links:${deps.signingSecret}`).digest();
  }

  /** The signature a link's URL carries (its pages carry it on in their forms). */
  signature(id: string): string {
    return this.sign(id);
  }

  private sign(id: string): string {
    return createHmac('sha256', this.key).update(`link:${id}`).digest('base64url');
  }

  private verify(id: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(id));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  url(id: string): string {
    return `${this.deps.publicUrl}/links/${id}?s=${this.sign(id)}`;
  }

  /** Checks `returnTo` (an http(s) URL on an allowed origin), first of all. */
  returnTo(value: string | undefined): string | null {
    return returnToOf(value, this.deps.allowedOrigins);
  }

  private async create(row: { workspaceId: string; kind: LinkKind; accountId: string | null; platform: LivePlatform | null; ttlSeconds?: number; returnTo?: string }): Promise<LinkCreated> {
    const now = this.deps.wallClock.now();
    const expiresAt = new Date(now.getTime() + (row.ttlSeconds ?? LINK_TTL.default) * 1000);
    const link = await this.deps.links.insert({
      id: randomUUID(),
      workspace_id: row.workspaceId,
      kind: row.kind,
      account_id: row.accountId,
      platform: row.platform,
      return_to: this.returnTo(row.returnTo),
      created_at: now,
      expires_at: expiresAt,
    });
    return { url: this.url(link.id), expiresAt: expiresAt.toISOString() };
  }

  /** A reconnect link for an account; `workspaceId` scopes it (a session's workspace), null for the host. */
  async reconnectLink(accountId: string, workspaceId: string | null, options: { ttlSeconds?: number; returnTo?: string } = {}): Promise<LinkCreated> {
    const account = await this.deps.accounts.findActiveById(accountId);
    if (!account || (workspaceId !== null && account.workspace_id !== workspaceId)) throw new Failure('account_not_found');
    return this.create({ workspaceId: account.workspace_id, kind: 'reconnect', accountId: account.id, platform: account.platform as LivePlatform, ...options });
  }

  async connectLink(workspaceId: string, options: { platform?: LivePlatform; ttlSeconds?: number; returnTo?: string } = {}): Promise<LinkCreated> {
    const workspace = await this.deps.workspaces.require(workspaceId);
    const { platform, ...rest } = options;
    return this.create({ workspaceId: workspace.id, kind: 'connect', accountId: null, platform: platform ?? null, ...rest });
  }

  status(link: LinkRow): LinkStatus {
    if (link.used_at !== null) return 'used';
    return new Date(link.expires_at).getTime() <= this.deps.wallClock.now().getTime() ? 'expired' : 'open';
  }

  async list(workspaceId: string): Promise<{ links: Link[] }> {
    const workspace = await this.deps.workspaces.require(workspaceId);
    const rows = await this.deps.links.forWorkspace(workspace.id, LINKS_LISTED);
    return {
      links: rows.map((r) => ({
        id: r.id,
        kind: r.kind as LinkKind,
        accountId: r.account_id,
        platform: r.platform !== null && isLivePlatform(r.platform) ? r.platform : null,
        status: this.status(r),
        createdAt: new Date(r.created_at).toISOString(),
        expiresAt: new Date(r.expires_at).toISOString(),
        usedAt: r.used_at === null ? null : new Date(r.used_at).toISOString(),
      })),
    };
  }

  /** The link behind a URL, if it is genuine and still open; otherwise why not, as a Failure. */
  async open(id: string, signature: string): Promise<OpenLink> {
    if (!this.verify(id, signature)) throw new Failure('link_not_found');
    const link = await this.deps.links.findById(id);
    if (!link) throw new Failure('link_not_found');
    const status = this.status(link);
    if (status === 'used') throw new Failure('link_used');
    if (status === 'expired') throw new Failure('link_expired');
    const workspace = await this.deps.workspaces.require(link.workspace_id);
    let account: SocialAccountRow | null = null;
    if (link.kind === 'reconnect') {
      account = (await this.deps.accounts.findActiveById(link.account_id!)) ?? null;
      if (!account) throw new Failure('link_account_gone');
    }
    const plan = workspacePlan(workspace);
    const platforms = link.platform !== null && isLivePlatform(link.platform) ? [link.platform] : LIVE_PLATFORMS.filter((p) => platformStatus(p, plan) === 'available');
    return { link, workspace, account, platforms };
  }
}
