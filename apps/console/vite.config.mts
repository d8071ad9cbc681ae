/**
 * The admin console's build: a single-page app served by the gateway at /console (its base path),
 * written to dist/console beside the compiled services. `npm run build:console` runs it;
 * `npm run console:dev` serves it with the /v1 calls proxied to a running gateway.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/console/',
  // JSX compiles to the automatic runtime (react/jsx-runtime); no Babel pass is needed.
  oxc: { jsx: { runtime: 'automatic' } },
  // The API's types come from the contract (docs/openapi.json → libs/contracts/src/api); imports of
  // it are type-only, so nothing of the contract lands in the bundle.
  resolve: { alias: { '@lifecycle/contracts/api': fileURLToPath(new URL('../../libs/contracts/src/api', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // Every script is a file of its own: the gateway's Content-Security-Policy allows no inline script.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // Mantine marks its modules "use client" (a server-components hint): meaningless in a browser bundle.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  server: {
    proxy: { '/v1': process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000' },
  },
});
