#!/usr/bin/env -S node --max-semi-space-size=8
// The standalone BFF: reads the environment, migrates, listens, stops on SIGTERM.
// `connections-panel-bff doctor` checks the platform setup instead (docs/going-live.md).
// It runs the compiled BFF (dist/bff, `npm run build:bff`, about 45 MB lighter) when it is
// there, and otherwise the TypeScript source through tsx (a dependency).
import { existsSync } from 'node:fs';

const command = process.argv[2] === 'doctor' ? 'commands/doctor-main' : 'main';
const compiled = new URL(`../dist/bff/${command}.js`, import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(`../bff/${command}.ts`);
}
