import type { AccountRepository } from '../accounts/account.repository.ts';
import { HttpError } from '../http/errors.ts';
import { checkConnectionGate } from '../plans/gate.ts';
import type { Platform } from '../platforms/catalog.ts';
import type { Session } from '../sessions/sessions.ts';
import { workspaceLimit, workspacePlan, type WorkspaceService } from '../workspaces/workspace.service.ts';

export type ConnectMode = 'popup' | 'redirect';
export const CONNECT_MODES: readonly ConnectMode[] = ['popup', 'redirect'];

export interface StartConnection {
  session: Session;
  platform: Platform;
  mode: ConnectMode;
  returnTo: string | null;
  /** Set when reconnecting an existing account: it never counts against the limit. */
  accountId: string | null;
}

export class ConnectionService {
  constructor(
    private readonly workspaces: WorkspaceService,
    private readonly accounts: AccountRepository,
  ) {}

  /** Refuses with the plan or limit gate's error; the OAuth flow itself starts after this. */
  async assertMayConnect(workspaceId: string, platform: Platform, adding: number): Promise<void> {
    const workspace = await this.workspaces.require(workspaceId);
    const refusal = checkConnectionGate({
      plan: workspacePlan(workspace),
      limit: workspaceLimit(workspace),
      activeCount: await this.accounts.countActive(workspaceId),
      platform,
      adding,
    });
    if (refusal) throw refusal;
  }

  async start(input: StartConnection): Promise<{ attemptId: string; authorizeUrl: string }> {
    await this.assertMayConnect(input.session.workspaceId, input.platform, input.accountId ? 0 : 1);
    throw new HttpError(501, 'not_implemented', 'Connecting accounts through OAuth is not available yet.');
  }
}
