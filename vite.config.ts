import { rmSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';

/**
 * Two builds of the widget (`npm run build` runs both):
 * - the default: the script-tag bundle, one ES module with Lit bundled, minified:
 *   dist/connections-panel.js, and beside it dist/chunks/ with what loads on demand (the
 *   languages other than English, the dialogs only a click opens), which the bundle imports
 *   relative to its own URL: serve the two together;
 * - `--mode npm`: the npm entry, dist/npm/index.js, with Lit and @lit/* left as imports so
 *   an app that uses Lit itself loads it once. Its types come from tsc (tsconfig.types.json).
 * In both, everything else stays in the entry (the group below), and the on-demand modules
 * import Lit and the shared code from it.
 */

/** What loads on demand: the languages and the dialogs only a click opens (widget/lazy.ts). */
const ON_DEMAND = /@lit\/context\/lib\/(decorators\/consume|controllers\/context-consumer)|\/widget\/(account-card\/card-menu|i18n\/locales\/|i18n\/catalog|account-detail\/|choice-dialog\/|confirm-dialog\/|reconnect-all\/|styles\/dialog\.styles|controllers\/sheet-drag|styles\/platform-marks|connections-summary\/summary-view|connections-panel\/filters|controllers\/pull-to-refresh)|@lit\/localize\/internal\/(id-generation|fnv1a64)/;

/** The widget's css`` literals without comments and spare whitespace (minifiers leave template text alone). */
function minifyCssLiterals(): Plugin {
  return {
    name: 'minify-css-literals',
    transform(code, id) {
      if (!/\/widget\/.*\.ts$/.test(id) || !code.includes('css`')) return null;
      return code.replace(/css`([^`]*)`/g, (_, body: string) =>
        `css\`${body
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{};,>])\s*/g, '$1')
          .replace(/:\s+/g, ':')
          .replace(/;}/g, '}')
          .trim()}\``,
      );
    },
  };
}

/**
 * The indentation left inside template literals (html`` and css``: the minifier keeps template
 * text as it is) goes; a whitespace-only text node stays one, so nothing renders differently.
 */
function trimTemplateIndentation(): Plugin {
  return { name: 'trim-template-indentation', renderChunk: (code) => ({ code: code.replace(/\n[ \t]+/g, '\n'), map: null }) };
}

/** Stale on-demand chunks of an earlier build go first (their names carry a hash). */
function cleanChunks(dir: string): Plugin {
  return { name: 'clean-chunks', buildStart: () => rmSync(dir, { recursive: true, force: true }) };
}

export default defineConfig(({ mode }) =>
  mode === 'npm'
    ? {
        plugins: [minifyCssLiterals()],
        build: {
          target: 'es2022',
          outDir: 'dist/npm',
          emptyOutDir: true,
          lib: { entry: 'widget/index.ts', formats: ['es'], fileName: () => 'index.js' },
          rolldownOptions: {
            external: [/^lit($|\/)/, /^@lit\//],
            preserveEntrySignatures: 'allow-extension',
            output: { chunkFileNames: 'chunks/[name]-[hash].js', codeSplitting: { groups: [{ name: 'index', test: (id) => !ON_DEMAND.test(id) }] } },
          },
        },
      }
    : {
        plugins: [minifyCssLiterals(), trimTemplateIndentation(), cleanChunks('dist/chunks')],
        build: {
          target: 'es2022',
          outDir: 'dist',
          emptyOutDir: false,
          lib: { entry: 'widget/index.ts', formats: ['es'], fileName: () => 'connections-panel.js' },
          rolldownOptions: {
            preserveEntrySignatures: 'allow-extension',
            output: { minify: true, chunkFileNames: 'chunks/[name]-[hash].js', codeSplitting: { groups: [{ name: 'connections-panel', test: (id) => !ON_DEMAND.test(id) }] } },
          },
        },
      },
);
