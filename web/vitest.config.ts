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
      // Above Testing Library's 10 s wait (src/test/setup.ts): under CI's load a test must be
      // able to wait that long for a render and still finish, not be cut at vitest's default 5 s.
      testTimeout: 30_000,
      include: ['src/**/*.test.{ts,tsx}'],
      setupFiles: ['src/test/setup.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: resolve(import.meta.dirname, '..', '.test-results', `${basename(import.meta.dirname)}.json`) },
    },
  }),
);
