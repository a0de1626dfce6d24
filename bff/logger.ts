import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Query parameters that carry secrets in OAuth and platform URLs (and `t`, the one-time start
 * secret, should an old-style start link with `?t=` be opened: the start itself is a form POST,
 * and request bodies are never logged).
 */
const SECRET_PARAMS = /([?&](?:code|state|access_token|refresh_token|client_secret|token|input_token|fb_exchange_token|id_token|code_verifier|t|signed_request|key)=)[^&#]*/gi;

/** Replaces secret query values in a URL so it can be logged. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.token',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.hostApiKey',
];

export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const settings: LoggerOptions = {
    level: process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...options,
  };
  return destination ? pino(settings, destination) : pino(settings);
}
