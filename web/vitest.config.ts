import { basename, resolve } from 'node:path';
import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.js';

// Not ../vitest.shared.ts: that one resolves for Node (server conditions, node environment),
// and the app must resolve for the browser. Results go where `npm test` adds them up.
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'jsdom',
      include: ['src/**/*.test.{ts,tsx}'],
      setupFiles: ['src/test/setup.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: resolve(import.meta.dirname, '..', '.test-results', `${basename(import.meta.dirname)}.json`) },
    },
  }),
);
