import express, { Router } from 'express';

/** The chunks carry their content hash in their name (chunks/<name>-<hash>.js): the same URL never changes. */
const HASHED = /[\\/]chunks[\\/][^\\/]+-[A-Za-z0-9_-]{8}\.js$/;

/**
 * The built widget at /dist, for host pages on any origin: a module script is fetched with
 * CORS, so without `Access-Control-Allow-Origin` a page on another origin cannot load it. The
 * bundle is public code (no secret, no cookie), so any origin may read it, never with
 * credentials. Caching: the hashed chunks for a year (immutable), the entry file and the rest
 * briefly and revalidated by ETag, so a new release reaches pages within minutes.
 */
export function widgetBundle(dir: string): Router {
  const router = Router();
  router.use((req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD');
      res.setHeader('Access-Control-Max-Age', '86400');
      res.status(204).end();
      return;
    }
    next();
  });
  router.use(
    express.static(dir, {
      index: false,
      redirect: false,
      fallthrough: true,
      setHeaders: (res, file) => {
        res.setHeader('Cache-Control', HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'public, max-age=300, must-revalidate');
      },
    }),
  );
  return router;
}
