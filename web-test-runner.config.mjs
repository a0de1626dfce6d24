import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { tsImport } from 'tsx/esm/api';

// The real BFF for the widget's end-to-end tests (TypeScript, loaded through tsx).
const { realBffPlugin } = await tsImport('./test/widget/support/real-bff.plugin.ts', import.meta.url);

/** A free port for the test pages, so the BFF can allow exactly their origin. */
const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

// Debian's Chromium (CHROME_PATH overrides), headless, no background traffic.
export default {
  files: ['test/widget/**/*.test.ts', '!test/widget/**/*.node.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  port,
  hostname: '127.0.0.1',
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
    realBffPlugin({ testPageOrigin: () => `http://127.0.0.1:${port}` }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      },
    }),
  ],
  testFramework: { config: { timeout: 20000 } },
};
