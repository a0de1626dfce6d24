/**
 * The widget's entry: the npm import and the script-tag bundle (dist/connections-panel.js).
 * The <connections-panel> and <connections-summary> elements register here (issue 5); for now
 * it ships the API client they are built on.
 */
export { ApiError, createApiClient } from './api/api-client.ts';
export type { ApiClient, ApiClientOptions, SessionSource, ConnectMode, PlatformsResponse, StartConnectionRequest, AttemptStatus } from './api/api-client.ts';
