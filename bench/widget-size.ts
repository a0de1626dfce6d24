import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { atMost, reference, type Figure } from './report.ts';

export const BUNDLE = new URL('../dist/connections-panel.js', import.meta.url);
const ROOT = new URL('..', import.meta.url).pathname;

/** Builds the script-tag bundle as `npm run build` does, with the project's vite.config.ts. */
export async function buildBundle(): Promise<void> {
  await build({ root: ROOT, configFile: `${ROOT}vite.config.ts`, logLevel: 'warn' });
}

/** 1. The script-tag bundle's size: gzip bytes (default level, as a server would send it). */
export async function widgetSize(): Promise<Figure[]> {
  await buildBundle();
  const bytes = await readFile(BUNDLE);
  const gzip = gzipSync(bytes).length;
  return [atMost('widget bundle, gzip', gzip / 1000, 'kB', 25), reference('widget bundle, minified', bytes.length / 1000, 'kB')];
}
