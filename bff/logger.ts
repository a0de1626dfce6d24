import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { LogFormat } from './config.ts';

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

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every entry has, left out of the compact line's details. */
const BASE_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'req', 'res', 'responseTime', 'reqId']);

/**
 * One log entry as a line a person reads in a terminal: a request as
 * `12:00:01 GET /api/accounts 200 4ms`, anything else as `12:00:01 WARN message key=value`.
 */
export function compactLine(entry: Record<string, unknown>): string {
  const time = new Date(typeof entry['time'] === 'number' ? entry['time'] : Date.now()).toISOString().slice(11, 19);
  const req = entry['req'] as { method?: string; url?: string } | undefined;
  const res = entry['res'] as { statusCode?: number } | undefined;
  if (req?.method && res?.statusCode !== undefined) {
    const ms = typeof entry['responseTime'] === 'number' ? `${Math.round(entry['responseTime'])}ms` : '';
    return `${time} ${req.method} ${req.url ?? ''} ${res.statusCode} ${ms}`.trimEnd();
  }
  const level = LEVELS[entry['level'] as number] ?? 'INFO';
  const details = Object.entries(entry)
    .filter(([key]) => !BASE_FIELDS.has(key))
    .map(([key, value]) => {
      if (key === 'err' && value && typeof value === 'object' && 'message' in value) return `err="${String((value as { message: unknown }).message)}"`;
      return `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
    });
  return [time, level, String(entry['msg'] ?? ''), ...details].join(' ').trimEnd();
}

/** A pino destination that writes compact lines instead of JSON. */
export function compactDestination(out: { write(text: string): unknown } = process.stdout): DestinationStream {
  return {
    write(line: string) {
      try {
        out.write(`${compactLine(JSON.parse(line) as Record<string, unknown>)}\n`);
      } catch {
        out.write(line);
      }
    },
  };
}

/** Compact lines on a terminal, JSON lines when the output is not one or LOG_FORMAT=json. */
export function usesCompactLines(format: LogFormat, stream: { isTTY?: boolean } = process.stdout): boolean {
  return format === 'pretty' || (format === 'auto' && stream.isTTY === true);
}

export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream, output: { format?: LogFormat } = {}): Logger {
  const settings: LoggerOptions = {
    level: process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...options,
  };
  if (destination) return pino(settings, destination);
  if (output.format && usesCompactLines(output.format)) return pino(settings, compactDestination());
  return pino(settings);
}
