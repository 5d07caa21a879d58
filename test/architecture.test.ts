/**
 * The import rules of ARCHITECTURE.md, checked on every source file (tests
 * apart): checkers import only the history model; targets and nemeses import
 * the harness' vocabulary, never the runner, the CLI or a provisioner; the
 * vocabulary imports no other top-level folder (the generic workloads may
 * use checkers); reports read results and histories.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The harness' vocabulary: what every other folder may import from harness/. */
const VOCABULARY = [
  'harness/target.ts',
  'harness/project.ts',
  'harness/errors.ts',
  'harness/fault-kinds.ts',
  'harness/run-record.ts',
  'harness/history/',
  'harness/workloads/',
  'harness/provision/types.ts',
];

/** For the files under each path, the module paths they may import (node built-ins and packages aside). */
const RULES: { folder: string; may: string[] }[] = [
  { folder: 'checkers/', may: ['checkers/', 'harness/history/'] },
  { folder: 'targets/', may: ['targets/', 'checkers/', ...VOCABULARY] },
  { folder: 'nemeses/', may: ['nemeses/', ...VOCABULARY] },
  { folder: 'reports/', may: ['reports/', 'checkers/', 'harness/history/', 'harness/run-record.ts'] },
  // The vocabulary itself: nothing outside it but checkers (the generic workloads check their histories).
  ...VOCABULARY.map((v) => ({ folder: v, may: ['checkers/', ...VOCABULARY] })),
];

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Repo-relative .ts paths of a file's relative imports (static and dynamic). */
function imports(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.[^']+)'/g)].map((m) => m[1]!);
  return specs.map((s) => normalize(join(dirname(file), s)).replace(/\.js$/, '.ts'));
}

describe('the import rules of ARCHITECTURE.md', () => {
  const files = ['checkers', 'targets', 'nemeses', 'reports', 'harness'].flatMap(sources);

  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  for (const rule of RULES) {
    it(`${rule.folder} imports only ${rule.may.join(', ')}`, () => {
      const bad: string[] = [];
      for (const file of files.filter((f) => f.startsWith(rule.folder))) {
        for (const target of imports(file)) if (!rule.may.some((m) => target.startsWith(m))) bad.push(`${file} imports ${target}`);
      }
      expect(bad).toEqual([]);
    });
  }
});
