import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AttemptResult } from '../api/api-client.ts';

/**
 * Listens for the OAuth callback page's postMessage while the panel is connected, accepting
 * only messages from the BFF's origin in the callback page's shape.
 */
export class OAuthResultController implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly bffOrigin: () => string | null,
    private readonly onResult: (result: AttemptResult) => void,
  ) {
    host.addController(this);
  }

  private readonly listener = (event: MessageEvent) => {
    const origin = this.bffOrigin();
    const data = event.data as Partial<AttemptResult> & { source?: unknown; type?: unknown };
    if (!origin || event.origin !== origin) return;
    if (data?.source !== 'connections-panel' || data.type !== 'oauth-result' || typeof data.attemptId !== 'string') return;
    this.onResult(data as AttemptResult);
  };

  hostConnected(): void {
    window.addEventListener('message', this.listener);
  }

  hostDisconnected(): void {
    window.removeEventListener('message', this.listener);
  }
}
