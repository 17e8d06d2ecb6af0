/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * src/main.tsx posts the simulation's runs first and only then imports the page's React chunk
 * (src/page.tsx); this link has the browser fetch and parse that chunk alongside the entry, so
 * the import does not wait for a round trip.
 */
function preloadPageChunk(): Plugin {
  let base = '/';
  return {
    name: 'slotscope:preload-page-chunk',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const page = Object.values(context.bundle ?? {}).find(
          (output) => output.type === 'chunk' && output.facadeModuleId?.endsWith('/src/page.tsx'),
        );
        if (!page) return [];
        return [
          {
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${page.fileName}` },
            injectTo: 'head',
          },
        ];
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), preloadPageChunk()],
  worker: { format: 'es' },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    env: { TZ: 'UTC' },
  },
});
