import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root folder (where its package.json is), found from this file: the same from
 * the TypeScript source (bff/) and from the compiled BFF (dist/bff/, all an installed package has).
 */
export const PACKAGE_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The package's version, from its package.json. */
export const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && (existsSync(path.join(dir, 'bff')) || existsSync(path.join(dir, 'dist', 'bff')))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package root above ${from}`);
  }
}
