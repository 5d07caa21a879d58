/**
 * What a person watching the run sees: on a terminal, one status line
 * rewritten every second; otherwise a plain log line every ten seconds.
 */
import type { ActiveFaults } from './nemesis-worker.js';
import type { Recorder } from './recorder.js';

export function startProgress(recorder: Recorder, timeLimitS: number, faults: ActiveFaults, out: NodeJS.WriteStream = process.stderr): () => void {
  const tty = out.isTTY === true;
  const started = Date.now();
  let lastOps = 0;
  let lastAt = started;
  const line = () => {
    const now = Date.now();
    const done = recorder.counts.ok + recorder.counts.fail + recorder.counts.info;
    const rate = ((done - lastOps) * 1000) / Math.max(1, now - lastAt);
    lastOps = done;
    lastAt = now;
    const elapsed = (now - started) / 1000;
    const left = Math.max(0, timeLimitS - elapsed);
    const f = [...faults.active].join(',') || 'none';
    return `[${elapsed.toFixed(0)}s, ${left.toFixed(0)}s left] ${rate.toFixed(0)} ops/s  ok ${recorder.counts.ok}  fail ${recorder.counts.fail}  info ${recorder.counts.info}  faults: ${f}`;
  };
  const timer = setInterval(
    () => {
      if (tty) out.write(`\r\x1b[2K${line()}`);
      else out.write(`${line()}\n`);
    },
    tty ? 1000 : 10_000,
  );
  return () => {
    clearInterval(timer);
    if (tty) out.write('\r\x1b[2K');
  };
}
