/** How OAuth runs in the browser, and the shapes the browser and the BFF exchange about it. */

/** A pop-up (desktop) or a full redirect that returns to the page (phones, blocked pop-ups). */
export const CONNECT_MODES = ['popup', 'redirect'] as const;
export type ConnectMode = (typeof CONNECT_MODES)[number];

/** Where a connection attempt is: waiting for the platform, a choice to make, done, or failed. */
export const ATTEMPT_STATUSES = ['pending', 'choose', 'connected', 'failed'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/** The callback page posts `{ ...OAUTH_MESSAGE, attemptId, status, ... }` to the opener. */
export const OAUTH_MESSAGE = { source: 'connections-panel', type: 'oauth-result' } as const;

/** The redirect flow returns to the page with these query parameters. */
export const RETURN_PARAMS = { attempt: 'cp_attempt', status: 'cp_status' } as const;
