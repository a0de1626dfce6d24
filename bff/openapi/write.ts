import { writeFile } from 'node:fs/promises';
import { createOpenApiDocument } from './document.ts';

/** `npm run openapi`: writes the packaged openapi.json (the package export "./openapi.json"). */
const file = new URL('./openapi.json', import.meta.url);
await writeFile(file, `${JSON.stringify(createOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
