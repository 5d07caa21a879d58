/**
 * `npm run bench`: checker time over the recorded corpora, to compare with
 * Porcupine side by side, plus generated register histories: crash-heavy
 * ones with 5 values, and ones with unique written values and 5% crashed
 * writes and cas at 5, 10, 20 and 50 processes (the shape real tests have;
 * `node dist/bench/write-histories.js DIR` writes them out for other
 * checkers); and the Elle-like list-append checker on 100,000 transactions
 * (bench/elle.ts). `BENCH_ONLY=elle` runs that last one alone.
 *
 * Parsing is excluded; each file is checked in a fresh order of the same
 * process. The first pass includes the JIT's warm-up (what a one-shot
 * `harness check` pays); "best of N" is the steady state. Every file's
 * times are printed (BENCH_FILES=0 for the summary only), so a regression
 * on one history shows.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readHistory } from '../harness/history/read.js';
import type { Op } from '../harness/history/op.js';
import { checkLinearizable, type LinearizabilityOptions } from '../checkers/linearizable/index.js';
import { injectStaleRead, linearizableRegisterHistory, uniqueValueClasses } from './register-histories.js';
import { benchListAppend } from './elle.js';

interface Case {
  corpus: string;
  name: string;
  ops: Op[];
  options: LinearizabilityOptions;
  expected: boolean;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = process.env['HARNESS_CORPUS'] ?? resolve(root, '../shared/corpus');
const passes = Number(process.env['BENCH_PASSES'] ?? 5);

function knossosCases(): Case[] {
  const out: Case[] = [];
  const base = join(corpus, 'knossos/data');
  for (const [model, init] of [['cas-register', 0], ['multi-register', { x: 0, y: 0 }], ['mutex', undefined]] as const) {
    for (const verdict of ['good', 'bad']) {
      const dir = join(base, model, verdict);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.edn')).sort()) {
        out.push({ corpus: 'knossos', name: `${model}/${verdict}/${f}`, ops: readHistory(join(dir, f)).ops, options: { model, init }, expected: verdict === 'good' });
      }
    }
  }
  return out;
}

function porcupineCases(): Case[] {
  const tsv = join(corpus, 'porcupine/EXPECTED.tsv');
  if (!existsSync(tsv)) return [];
  return readFileSync(tsv, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [file, verdict] = l.split('\t') as [string, string];
      const kv = file.startsWith('kv/');
      return {
        corpus: kv ? 'porcupine-kv' : 'porcupine-etcd',
        name: file,
        ops: readHistory(join(corpus, 'porcupine/test_data', file)).ops,
        options: kv ? { model: 'kv' } : { model: 'cas-register', semantics: 'etcd', init: null },
        expected: verdict === 'linearizable',
      } satisfies Case;
    });
}

function generatedCases(): Case[] {
  const out: Case[] = [];
  for (let seed = 1; seed <= 20; seed++) {
    const ops = linearizableRegisterHistory({ seed, processes: 20, ops: 1500, crashRate: 0.05, values: 5 });
    out.push({ corpus: 'generated-20p-1500-5%crash', name: `seed ${seed} valid`, ops, options: { model: 'cas-register', init: 0 }, expected: true });
    const stale = ops.map((o) => ({ ...o }));
    if (injectStaleRead(stale, seed) !== undefined) {
      out.push({ corpus: 'generated-20p-1500-5%crash', name: `seed ${seed} stale read`, ops: stale, options: { model: 'cas-register', init: 0 }, expected: false });
    }
  }
  for (const c of uniqueValueClasses()) {
    for (const h of c.histories) {
      out.push({ corpus: `generated-${c.name}`, name: h.name, ops: h.ops, options: { model: 'cas-register', init: 0 }, expected: h.expected });
    }
  }
  return out;
}

function time(c: Case): number {
  const deadline = performance.now() + 60_000;
  const t0 = performance.now();
  const r = checkLinearizable(c.ops, { ...c.options, limits: { shouldStop: () => (performance.now() > deadline ? 'time' : undefined) } });
  const ms = performance.now() - t0;
  if (r.valid !== c.expected) throw new Error(`${c.corpus} ${c.name}: expected ${c.expected}, got ${r.valid}`);
  return ms;
}

if (process.env['BENCH_ONLY'] === 'elle') {
  benchListAppend(passes);
  process.exit(0);
}

const cases = [...porcupineCases(), ...knossosCases(), ...generatedCases()];
if (cases.length === 0) throw new Error(`no corpus found at ${corpus} (set HARNESS_CORPUS)`);
const first = cases.map(time);
const best = [...first];
for (let p = 1; p < passes; p++) cases.forEach((c, i) => (best[i] = Math.min(best[i]!, time(c))));

const corpora = [...new Set(cases.map((c) => c.corpus))];
if (process.env['BENCH_FILES'] !== '0') {
  console.log(`${'file'.padEnd(60)}${'first pass'.padStart(12)}${`best of ${passes}`.padStart(12)}`);
  cases.forEach((c, i) => console.log(`${`${c.corpus} ${c.name}`.padEnd(60)}${`${first[i]!.toFixed(2)} ms`.padStart(12)}${`${best[i]!.toFixed(2)} ms`.padStart(12)}`));
  console.log('');
}
const pad = (s: string, n: number) => s.padEnd(n);
const fmt = (ms: number) => `${ms.toFixed(1)} ms`.padStart(10);
console.log(`${pad('corpus', 28)}${pad('files', 7)}${'first pass'.padStart(10)}${`best of ${passes}`.padStart(12)}${'slowest file (best)'.padStart(44)}`);
let totalFirst = 0;
let totalBest = 0;
for (const name of corpora) {
  const idx = cases.map((c, i) => (c.corpus === name ? i : -1)).filter((i) => i >= 0);
  const f = idx.reduce((a, i) => a + first[i]!, 0);
  const b = idx.reduce((a, i) => a + best[i]!, 0);
  const slow = idx.reduce((a, i) => (best[i]! > best[a]! ? i : a), idx[0]!);
  if (!name.startsWith('generated')) {
    totalFirst += f;
    totalBest += b;
  }
  console.log(`${pad(name, 28)}${pad(String(idx.length), 7)}${fmt(f)}${fmt(b).padStart(12)}${`${cases[slow]!.name} ${best[slow]!.toFixed(1)} ms`.padStart(44)}`);
}
console.log(`${pad('total (recorded corpora)', 35)}${fmt(totalFirst)}${fmt(totalBest).padStart(12)}`);
const gen = cases.map((c, i) => (c.corpus.startsWith('generated') ? first[i]! : 0));
console.log(`generated histories: slowest first-pass check ${Math.max(...gen).toFixed(1)} ms`);
benchListAppend(passes);
