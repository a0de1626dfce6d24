import { ApiError } from './api-client.ts';

/**
 * What to tell a person about a failed call: the BFF's own message when it answered, and
 * otherwise whether they are offline or the service could not be reached.
 */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return 'You are offline. The accounts will load again when you are back online.';
  if (err instanceof TypeError) return 'The connections service could not be reached. Check your connection and try again.';
  return (err as Error)?.message || 'Something went wrong. Please try again.';
}
