#!/usr/bin/env node
// The whole test suite: unit and integration tests (in parallel), then the
// end-to-end runs (one at a time). Ends with the line CI reads:
// "N passed, N failed". Extra arguments go to both vitest runs (a filter).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

function vitest(config, results) {
  rmSync(results, { force: true });
  const run = spawnSync(
    'npx',
    ['vitest', 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, '--passWithNoTests', ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  let passed = 0;
  let failed = 0;
  if (existsSync(results)) {
    const r = JSON.parse(readFileSync(results, 'utf8'));
    passed = r.numPassedTests ?? 0;
    failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0);
    // A file that failed to load counts as a failure even though no test in it ran.
    for (const file of r.testResults ?? []) if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) failed++;
    rmSync(results, { force: true });
  }
  if (run.status !== 0 && failed === 0) failed = 1; // vitest failed without saying which test
  return { passed, failed };
}

const unit = vitest('vitest.config.ts', '.vitest-unit.json');
const e2e = vitest('vitest.e2e.config.ts', '.vitest-e2e.json');
const passed = unit.passed + e2e.passed;
const failed = unit.failed + e2e.failed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
