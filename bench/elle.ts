/**
 * The Elle-like list-append checker on 100,000 transactions from 20
 * processes (generated, seeded, strictly serializable by construction):
 * checker time (parsing and generation excluded) and memory.
 */
import { checkListAppend } from '../checkers/elle/list-append.js';
import { serialAppendHistory } from './txn-histories.js';

export function benchListAppend(passes: number): void {
  const txns = Number(process.env['BENCH_ELLE_TXNS'] ?? 100_000);
  const ops = serialAppendHistory({ seed: 1, processes: 20, txns, crashRate: 0.01, failRate: 0.01 });
  const times: number[] = [];
  let rssPeak = 0;
  for (let p = 0; p < passes; p++) {
    const t0 = performance.now();
    const r = checkListAppend(ops);
    times.push(performance.now() - t0);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    if (r.valid !== true) throw new Error(`elle list-append bench: expected valid, got ${r.valid}: ${r.summary}`);
    if (p === 0) console.log(`elle list-append: ${r.summary}; edges ${JSON.stringify(r.edges)}`);
  }
  const mib = (b: number) => `${Math.round(b / 1048576)} MiB`;
  console.log(
    `elle list-append, ${txns.toLocaleString('en-US')} txns / 20 processes: first pass ${times[0]!.toFixed(0)} ms, best of ${passes} ${Math.min(...times).toFixed(0)} ms ` +
      `(limit 1000 ms); peak RSS ${mib(Math.max(rssPeak, process.resourceUsage().maxRSS * 1024))} (limit 1 GiB)`,
  );
}
