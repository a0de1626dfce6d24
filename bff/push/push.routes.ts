import express, { Router, type Request } from 'express';
import * as api from '../../contract/api.ts';
import { renderPage, sendPage } from '../http/page.ts';
import { routes } from '../http/route.ts';
import type { PushService } from './push.service.ts';

const BODY_LIMIT = '64kb';

/** Meta's callbacks, under /oauth (form bodies with `signed_request`). */
export function metaPushRoutes(push: PushService, router: Router): void {
  const into = routes('/oauth', router);
  const form = express.urlencoded({ extended: false, limit: BODY_LIMIT });
  into.add(api.metaDeauthorize, async ({ params, body }) => {
    await push.metaDeauthorize(params.platform, body.signed_request);
    return { status: 200, body: { ok: true as const } };
  }, form);
  into.add(api.metaDataDeletion, async ({ params, body }) => ({ status: 200, body: await push.metaDataDeletion(params.platform, body.signed_request) }), form);
  into.add(api.dataDeletionStatus, async ({ params, res }) => {
    sendPage(res, 200, renderPage({ title: 'Data deleted', body: `<h1>Data deleted</h1><p>The stored access tokens of this person were deleted. Confirmation code: <code>${params.code}</code>.</p>` }));
  });
}

/** TikTok's webhook, under /webhooks: the signature is over the raw body, kept while parsing. */
export function webhookRoutes(push: PushService): Router {
  const router = Router();
  router.use(
    express.json({
      limit: BODY_LIMIT,
      verify: (req, _res, buf) => {
        (req as Request & { rawBody?: Buffer }).rawBody = Buffer.from(buf);
      },
    }),
  );
  routes('/webhooks', router).add(api.tiktokWebhook, async ({ req, body }) => {
    const raw = (req as Request & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
    await push.tiktokWebhook(raw, req.get('TikTok-Signature'), body);
    return { status: 200, body: { ok: true as const } };
  });
  return router;
}
