// `npm test`: every project's tests through Nx (each builds first), then one closing line
// with the totals across projects.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const results = '.test-results';
rmSync(results, { recursive: true, force: true });
const nx = spawnSync('npx', ['nx', 'run-many', '-t', 'test', '--parallel=2', '--outputStyle=stream', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { NX_DAEMON: 'false', ...process.env },
});

let passed = 0;
let failed = 0;
let skipped = 0;
const files = existsSync(results) ? readdirSync(results).filter((f) => f.endsWith('.json')) : [];
for (const file of files) {
  const r = JSON.parse(readFileSync(join(results, file), 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  // A file that fails to load has no tests to fail; it is a failure all the same.
  failed += r.testResults.filter((t) => t.status === 'failed' && t.assertionResults.length === 0).length;
}
// A project that crashed before writing results still failed.
if (nx.status !== 0 && failed === 0) failed = 1;
console.log(`\n${files.length} projects tested`);
console.log(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(nx.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
