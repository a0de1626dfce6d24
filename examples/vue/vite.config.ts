import { defineConfig } from 'vite';

/**
 * The Vue example: `vite build examples/vue` writes examples/vue/dist, which the host backend
 * serves at / (`--page`). Render functions in plain TypeScript, so Vue's runtime build and no
 * plugin. `connections-panel` is this package's npm entry (dist/npm/index.js, from
 * `vite build --mode npm`), found through its exports map.
 */
export default defineConfig({
  root: import.meta.dirname,
  define: {
    // Vue's compile-time flags for its esm-bundler build (set, so it does not warn).
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The host backend already serves the widget bundle at /assets/.
    assetsDir: 'app',
    target: 'es2022',
  },
  logLevel: 'warn',
});
