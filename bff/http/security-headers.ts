import helmet from 'helmet';
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config.ts';

/**
 * The Content-Security-Policy of every page the BFF serves (the example host page, and the
 * widget wherever the BFF serves it): scripts from our own origin only (no inline script,
 * no eval), styles from our own origin (Lit's constructable stylesheets need nothing more),
 * pictures from anywhere on https (profile pictures live on the platforms' CDNs), API calls
 * to ourselves and to the host origins, and never inside a frame.
 */
export function contentSecurityPolicy(config: Config): Record<string, string[]> {
  const https = new URL(config.publicUrl).protocol === 'https:';
  // A sandbox running as its own process serves the sandbox accounts' pictures from its origin.
  const sandboxOrigin = config.sandboxUrl ? [new URL(config.sandboxUrl).origin] : [];
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'https:', ...sandboxOrigin],
    'connect-src': ["'self'", ...config.allowedOrigins],
    'font-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/**
 * helmet's security headers, tuned to what the widget and the OAuth popup need. They are the
 * same for every request (no directive depends on the request), so helmet runs once, here,
 * and each request gets the headers it set: its chain of a dozen middlewares per request
 * showed in the cost of small API answers (npm run bench -- agencies).
 */
export function securityHeaders(config: Config): RequestHandler {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => void set.push([name, String(value)]),
    removeHeader: (name: string) => void removed.push(name),
  };
  let finished = false;
  helmetMiddleware(config)({ headers: {} } as Request, recorder as unknown as Response, (err?: unknown) => {
    if (err) throw err;
    finished = true;
  });
  if (!finished || set.length === 0) throw new Error('helmet did not set its headers synchronously');
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}

function helmetMiddleware(config: Config): RequestHandler {
  const https = new URL(config.publicUrl).protocol === 'https:';
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(config) },
    // The OAuth popup must keep its opener (the host page, another origin) to post the result.
    crossOriginOpenerPolicy: false,
    // Host pages on other origins load the widget's pictures and bundle from us.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    // HSTS only means something over https; on a loopback http BFF it would only confuse.
    strictTransportSecurity: https ? { maxAge: 180 * 86_400, includeSubDomains: false } : false,
    xFrameOptions: { action: 'deny' },
    // Nothing of our URLs goes to other sites, but a form posted from our own pages (the example
    // page's start form) keeps its Origin: under no-referrer browsers send `Origin: null`, which
    // the start refuses.
    referrerPolicy: { policy: 'same-origin' },
  }) as RequestHandler;
}
