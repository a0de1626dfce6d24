import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { renderErrorReference } from '../../scripts/docs/errors.ts';
import { renderHttpApi } from '../../scripts/docs/http-api.ts';
import { analyzeWidget, renderWidgetReference } from '../../scripts/docs/widget-reference.ts';
import { PACKAGE_VERSION } from '../../bff/package-root.ts';
import { ERRORS, ERROR_CODES, errorAnchor } from '../../contract/errors.ts';

describe('files generated from the contract', () => {
  it('docs/errors.md is the catalog as it is now (npm run generate rewrites it)', async () => {
    const committed = await readFile(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    assert.equal(committed, renderErrorReference(), 'docs/errors.md is stale: run npm run generate');
  });

  it('docs/http-api.md is the OpenAPI document as it is now', async () => {
    const committed = await readFile(new URL('../../docs/http-api.md', import.meta.url), 'utf8');
    assert.equal(committed, renderHttpApi(PACKAGE_VERSION), 'docs/http-api.md is stale: run npm run generate');
  });

  it('docs/widget-reference.md is the custom-elements manifest of widget/ as it is now', async () => {
    const committed = await readFile(new URL('../../docs/widget-reference.md', import.meta.url), 'utf8');
    const rendered = renderWidgetReference(await analyzeWidget());
    assert.match(rendered, /`bff-url`/, 'the panel\'s attributes are listed');
    assert.match(rendered, /`cp-create-post`/, 'its events are listed');
    assert.equal(committed, rendered, 'docs/widget-reference.md is stale: run npm run generate');
  });

  it('gives every code a status, a message and what to do, and a heading of its own in docs/errors.md', () => {
    const reference = renderErrorReference();
    for (const code of ERROR_CODES) {
      const entry = ERRORS[code];
      assert.ok(entry.status >= 200 && entry.status < 600, code);
      assert.ok(entry.message.length > 10 && entry.action.length > 5, code);
      assert.match(reference, new RegExp(`^### ${errorAnchor(code)}$`, 'm'), code);
    }
  });
});
