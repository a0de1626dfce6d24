import { defineConfig } from 'vite';

// One self-contained ES module for <script type="module">: nothing external, minified.
export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    lib: {
      entry: 'widget/index.ts',
      formats: ['es'],
      fileName: () => 'connections-panel.js',
    },
    rolldownOptions: {
      output: { minify: true },
    },
  },
});
