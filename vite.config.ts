import { defineConfig } from 'vite';

/**
 * Two builds of the widget (`npm run build` runs both):
 * - the default: one self-contained ES module for <script type="module">, Lit bundled,
 *   minified: dist/connections-panel.js;
 * - `--mode npm`: the npm entry, dist/npm/index.js, with Lit and @lit/* left as imports so
 *   an app that uses Lit itself loads it once. Its types come from tsc (tsconfig.types.json).
 */
export default defineConfig(({ mode }) =>
  mode === 'npm'
    ? {
        build: {
          target: 'es2022',
          outDir: 'dist/npm',
          emptyOutDir: true,
          lib: { entry: 'widget/index.ts', formats: ['es'], fileName: () => 'index.js' },
          rolldownOptions: { external: [/^lit($|\/)/, /^@lit\//] },
        },
      }
    : {
        build: {
          target: 'es2022',
          outDir: 'dist',
          emptyOutDir: false,
          lib: { entry: 'widget/index.ts', formats: ['es'], fileName: () => 'connections-panel.js' },
          rolldownOptions: { output: { minify: true } },
        },
      },
);
