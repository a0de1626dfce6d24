#!/usr/bin/env node
// The standalone BFF (bff/main.ts): reads the environment, migrates, listens, stops on SIGTERM.
// The package ships TypeScript source; tsx (a dependency) compiles it as it loads.
import { register } from 'tsx/esm/api';

register();
await import('../bff/main.ts');
