/**
 * What a suite's run came to against its row's expectation, the suite's
 * exit status, and its reports (a console table, JUnit XML). Pure.
 */
import type { Verdict } from '../run-record.js';
import type { Expect } from './matrix.js';

/**
 * passed: as expected. failed: an anomaly the row did not expect, or no
 * anomaly where it expected one. error: the run could not be made (setup,
 * harness error). unknown: the run did not look. skipped: never started
 * (the suite was interrupted).
 */
export type RowStatus = 'passed' | 'failed' | 'error' | 'unknown' | 'skipped';

export interface RowOutcome {
  name: string;
  target: string;
  expect: Expect;
  status: RowStatus;
  verdict?: Verdict;
  /** Why it failed, erred or was unknown: the checker's summary, the error, the reason. */
  message?: string;
  seconds: number;
  /** The run's folder, relative to the store. */
  runPath?: string;
}

/** What a finished run showed: its verdict, and the checkers that found it invalid. */
export interface RunShowed {
  verdict: Verdict;
  invalidCheckers: readonly string[];
}

/**
 * A finished run against its expectation. A row that expects an anomaly
 * passes only on a checker's evidence: one of `wanted` (the checkers that
 * find its planted bugs), or any checker when it names none. An invalid
 * verdict from liveness alone, or from another checker, is not the anomaly
 * the row is about.
 */
export function judge(expect: Expect, run: RunShowed, why: string, wanted: readonly string[] = []): { status: RowStatus; message?: string } {
  const { verdict } = run;
  if (verdict === 'unknown') return { status: 'unknown', message: why };
  if (expect === 'valid') return verdict === true ? { status: 'passed' } : { status: 'failed', message: why };
  if (verdict === true) return { status: 'failed', message: 'expected an anomaly (a planted bug), but the run was valid' };
  const caught = wanted.length > 0 ? wanted.some((c) => run.invalidCheckers.includes(c)) : run.invalidCheckers.length > 0;
  if (caught) return { status: 'passed' };
  return { status: 'failed', message: `expected an anomaly found by ${wanted.length > 0 ? wanted.join(' or ') : 'a checker'}, but the run was invalid otherwise: ${why}` };
}

/**
 * 0 when every run came out as its row expected; 1 when any failed (an
 * unexpected anomaly, or a planted bug not caught); else 2 when any could
 * not be run, 3 when any did not look.
 */
export function suiteExitCode(outcomes: readonly RowOutcome[]): 0 | 1 | 2 | 3 {
  const has = (s: RowStatus) => outcomes.some((o) => o.status === s);
  if (has('failed')) return 1;
  if (has('error')) return 2;
  if (has('unknown') || has('skipped')) return 3;
  return 0;
}

function xml(s: string): string {
  // Characters XML 1.0 cannot hold at all are dropped; the rest escaped.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** JUnit XML: one testsuite, one testcase per run; a failure per unexpected outcome, an error per run that could not be made or did not look. */
export function junitXml(suiteName: string, outcomes: readonly RowOutcome[], timestamp: string): string {
  const count = (s: RowStatus) => outcomes.filter((o) => o.status === s).length;
  const time = outcomes.reduce((t, o) => t + o.seconds, 0);
  const cases = outcomes.map((o) => {
    const open = `    <testcase classname="${xml(`harness.${o.target}`)}" name="${xml(o.name)}" time="${o.seconds.toFixed(1)}">`;
    const out = o.runPath ? `\n      <system-out>${xml(`run: ${o.runPath}; verdict: ${String(o.verdict ?? 'none')}; expected: ${o.expect}`)}</system-out>` : '';
    const msg = xml(o.message ?? '');
    switch (o.status) {
      case 'passed':
        return `${open}${out}\n    </testcase>`;
      case 'failed':
        return `${open}\n      <failure message="${msg}" type="${o.verdict === false ? 'anomaly' : 'missed-anomaly'}">${msg}</failure>${out}\n    </testcase>`;
      case 'error':
      case 'unknown':
        return `${open}\n      <error message="${msg}" type="${o.status}">${msg}</error>${out}\n    </testcase>`;
      case 'skipped':
        return `${open}\n      <skipped message="the suite was interrupted"/>\n    </testcase>`;
    }
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(suiteName)}" tests="${outcomes.length}" failures="${count('failed')}" errors="${count('error') + count('unknown')}" skipped="${count('skipped')}" time="${time.toFixed(1)}">`,
    `  <testsuite name="${xml(suiteName)}" tests="${outcomes.length}" failures="${count('failed')}" errors="${count('error') + count('unknown')}" skipped="${count('skipped')}" time="${time.toFixed(1)}" timestamp="${xml(timestamp)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The console table: one line per run, then the tally. */
export function consoleTable(outcomes: readonly RowOutcome[]): string {
  const head = ['#', 'run', 'expect', 'verdict', 'result', 's'];
  const rows = outcomes.map((o, i) => [
    String(i + 1),
    o.name,
    o.expect,
    o.verdict === undefined ? '-' : o.verdict === true ? 'valid' : o.verdict === false ? 'INVALID' : 'unknown',
    o.status === 'passed' ? 'ok' : o.status.toUpperCase(),
    o.seconds.toFixed(0),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((x, c) => (c === 0 || c === 5 ? x.padStart(widths[c]!) : x.padEnd(widths[c]!))).join('  ').trimEnd();
  const tally = (['passed', 'failed', 'error', 'unknown', 'skipped'] as const).map((s) => `${outcomes.filter((o) => o.status === s).length} ${s}`).join(', ');
  const notes = outcomes.flatMap((o, i) => (o.status !== 'passed' && o.message ? [`  ${i + 1}: ${o.message}`] : []));
  return [line(head), ...rows.map(line), '', `${outcomes.length} runs: ${tally}`, ...notes, ''].join('\n');
}
