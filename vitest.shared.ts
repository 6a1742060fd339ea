import { basename, resolve } from 'node:path';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace libraries export their TypeScript sources under the "@ttt/source" condition, so
// tests run against the code as written rather than a stale build.
const conditions = ['@ttt/source', ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Per-project results that `npm test` adds up into one closing line.
    reporters: ['default', 'json'],
    outputFile: { json: resolve(import.meta.dirname, '.test-results', `${basename(process.cwd())}.json`) },
  },
});
