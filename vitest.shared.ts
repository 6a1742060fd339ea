import { basename, resolve } from 'node:path';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace libraries export their TypeScript sources under the "@ttt/source" condition, so
// tests run against the code as written rather than a stale build. "module" is left out: some
// packages (the AWS SDK) list under it an ESM build for bundlers, with extensionless imports,
// that Node cannot load; without it Node gets the same build it gets outside tests.
const conditions = ['@ttt/source', ...defaultServerConditions.filter((c) => c !== 'module')];

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
