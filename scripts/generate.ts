/**
 * `npm run generate`: writes the files generated from the contract, which tests hold to it:
 * - docs/openapi.json (the package export "./openapi.json"), from contract/api.ts;
 * - docs/errors.md, the connection error reference, from contract/errors.ts;
 * - docs/http-api.md, the HTTP APIs in prose, from the same OpenAPI document;
 * - docs/widget-reference.md, the elements' attributes, properties, events, parts and tokens, from
 *   the custom-elements manifest of widget/.
 */
import { writeFile } from 'node:fs/promises';
import { createOpenApiDocument } from '../contract/openapi.ts';
import { PACKAGE_VERSION } from '../bff/package-root.ts';
import { renderErrorReference } from './docs/errors.ts';
import { renderHttpApi } from './docs/http-api.ts';
import { analyzeWidget, renderWidgetReference } from './docs/widget-reference.ts';

const root = new URL('../', import.meta.url);
const outputs: [string, string][] = [
  ['docs/openapi.json', `${JSON.stringify(createOpenApiDocument({ version: PACKAGE_VERSION }), null, 2)}\n`],
  ['docs/errors.md', renderErrorReference()],
  ['docs/http-api.md', renderHttpApi(PACKAGE_VERSION)],
  ['docs/widget-reference.md', renderWidgetReference(await analyzeWidget())],
];
for (const [file, text] of outputs) {
  await writeFile(new URL(file, root), text);
  console.log(`wrote ${file}`);
}
