import { defineConfig } from 'vite';

/**
 * The React example: `vite build examples/react` writes examples/react/dist, which the host
 * backend serves at / (`--page`). TSX goes through Vite's own transform (Oxc), React's
 * automatic JSX runtime; no plugin. `connections-panel` is this package's npm entry
 * (dist/npm/index.js, from `vite build --mode npm`), found through its exports map.
 */
export default defineConfig({
  root: import.meta.dirname,
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The host backend already serves the widget bundle at /assets/.
    assetsDir: 'app',
    target: 'es2022',
  },
  logLevel: 'warn',
});
