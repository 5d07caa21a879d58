/**
 * The clock shim on real programs: built here from its source, preloaded
 * into a small C program (every entry point it fakes), a Node.js process,
 * a Node.js process on jemalloc (as redis-server is; libfaketime hangs
 * there) and redis-server itself, each where the machine has it. Each sees
 * a bump at once, a rate skew at the rate with no leap when the rate
 * changes, and real time again on reset, through the lines the
 * provisioners write (timestampSpec). A few seconds in all.
 */
import { execa, type ResultPromise } from 'execa';
import { Redis } from 'ioredis';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandExists } from '../programs.js';
import { PROJECT_ROOT } from '../project.js';
import { clockShimEnv, REAL_TIME, timestampSpec, untilShimsReread, writeTimestampFile } from './clock-shim.js';
import type { ClockFault } from './types.js';

const SOURCE = join(PROJECT_ROOT, 'harness/provision/clock-shim/clock-shim.c');
const JEMALLOC = ['/usr/lib/x86_64-linux-gnu/libjemalloc.so.2', '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2'].find((p) => existsSync(p));
const haveCc = commandExists('cc');

/** Prints, for each line it reads: clock_gettime REALTIME, REALTIME_COARSE, gettimeofday, time (ms) and MONOTONIC (ns). */
const READER = `
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
static long long ns(clockid_t c) { struct timespec t; clock_gettime(c, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
int main(void) {
  char line[64];
  setvbuf(stdout, NULL, _IOLBF, 0);
  while (fgets(line, sizeof line, stdin)) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("%lld %lld %lld %lld %lld\\n", ns(CLOCK_REALTIME) / 1000000, ns(CLOCK_COARSE) / 1000000,
           tv.tv_sec * 1000LL + tv.tv_usec / 1000, (long long)time(NULL) * 1000, ns(CLOCK_MONOTONIC));
  }
}
`.replace('CLOCK_COARSE', 'CLOCK_REALTIME_COARSE');

let dir = '';
let shim = '';
let reader = '';

beforeAll(async () => {
  if (!haveCc) return;
  dir = await mkdtemp(join(tmpdir(), 'clock-shim-'));
  shim = join(dir, 'clock-shim.so');
  reader = join(dir, 'reader');
  await writeFile(`${reader}.c`, READER);
  await execa('cc', ['-O2', '-Wall', '-Werror', '-shared', '-fPIC', '-o', shim, SOURCE]);
  await execa('cc', ['-O2', '-o', reader, `${reader}.c`]);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A process under the shim that tells its wall clock (ms) when asked. */
interface Subject {
  now(): Promise<number>;
  stop(): Promise<void>;
}

/** A process answering each line on its stdin with one line of numbers. */
function lineProcess(child: ResultPromise): { ask(): Promise<number[]>; stop(): Promise<void> } {
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    async ask() {
      child.stdin!.write('?\n');
      const next = await lines.next();
      if (next.done) throw new Error(`the process ended: ${(await child).stderr}`);
      return next.value.trim().split(' ').map(Number);
    },
    async stop() {
      child.kill('SIGKILL');
      await child;
    },
  };
}

function nodeSubject(env: Record<string, string>): Subject {
  const js = `require('readline').createInterface({ input: process.stdin }).on('line', () => console.log(Date.now()))`;
  const p = lineProcess(execa(process.execPath, ['-e', js], { env, reject: false }));
  return { now: async () => (await p.ask())[0]!, stop: p.stop };
}

async function redisSubject(env: Record<string, string>): Promise<Subject> {
  const socket = join(dir, `redis-${process.pid}.sock`);
  const server = execa('redis-server', ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no', '--dir', dir], { env, reject: false });
  const client = new Redis({ path: socket, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: (n) => (n < 50 ? 50 : null) });
  for (let i = 0; !existsSync(socket); i++) {
    if (i > 100 || server.exitCode !== null) throw new Error(`redis-server did not start: ${(await server).stdout}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await client.connect();
  return {
    now: async () => {
      const [s, us] = await client.time();
      return Number(s) * 1000 + Number(us) / 1000;
    },
    stop: async () => {
      client.disconnect();
      server.kill('SIGKILL');
      await server;
    },
  };
}

const subjects: { name: string; skip: boolean; start(env: Record<string, string>): Subject | Promise<Subject> }[] = [
  { name: 'a Node.js process', skip: false, start: (env) => nodeSubject(env) },
  { name: 'a Node.js process on jemalloc', skip: !JEMALLOC, start: (env) => nodeSubject({ ...env, LD_PRELOAD: `${JEMALLOC} ${env.LD_PRELOAD}` }) },
  { name: 'redis-server (jemalloc)', skip: !commandExists('redis-server'), start: (env) => redisSubject(env) },
];

/** A node's clock file, written as a provisioner writes it. */
async function clockFile(name: string, fault: ClockFault, startedAtMs: number): Promise<string> {
  const file = join(dir, `${name.replace(/\W+/g, '-')}.rc`);
  await writeTimestampFile(file, timestampSpec(fault, startedAtMs, startedAtMs));
  return file;
}

async function setClock(file: string, fault: ClockFault, startedAtMs: number): Promise<void> {
  await writeTimestampFile(file, timestampSpec(fault, startedAtMs, Date.now()));
  await untilShimsReread();
}

describe.skipIf(!haveCc)('the clock shim (built from its source here; skipped without cc)', () => {
  for (const s of subjects) {
    it.skipIf(s.skip)(`moves the wall clock of ${s.name}: a bump at once, a rate with no leap, reset`, async () => {
      const startedAt = Date.now();
      const file = await clockFile(s.name, REAL_TIME, startedAt);
      const subject = await s.start({ ...(process.env as Record<string, string>), ...clockShimEnv(shim, file, false) });
      try {
        expect(Math.abs((await subject.now()) - Date.now())).toBeLessThan(50);

        await setClock(file, { offsetMs: 60_000, rate: 1 }, startedAt);
        expect((await subject.now()) - Date.now()).toBeGreaterThan(59_950);
        expect((await subject.now()) - Date.now()).toBeLessThan(60_050);

        await setClock(file, { offsetMs: 0, rate: 3 }, startedAt);
        const a = await subject.now();
        const realA = Date.now();
        expect(Math.abs(a - realA)).toBeLessThan(100); // no leap when the rate changes
        await new Promise((r) => setTimeout(r, 300));
        const b = await subject.now();
        expect((b - a) / (Date.now() - realA)).toBeGreaterThan(2.6);
        expect((b - a) / (Date.now() - realA)).toBeLessThan(3.4);

        await setClock(file, REAL_TIME, startedAt);
        expect(Math.abs((await subject.now()) - Date.now())).toBeLessThan(50);
      } finally {
        await subject.stop();
      }
    });
  }

  it('moves every wall-clock entry point (clock_gettime, its coarse clock, gettimeofday, time), the monotonic clock only when asked, and keeps the last line it understood', async () => {
    const monotonicMs = () => Number(process.hrtime.bigint() / 1_000_000n);
    for (const fakeMonotonic of [false, true]) {
      const startedAt = Date.now();
      const file = await clockFile(`reader-${fakeMonotonic}`, REAL_TIME, startedAt);
      const p = lineProcess(execa(reader, [], { env: { ...clockShimEnv(shim, file, fakeMonotonic) }, reject: false }));
      try {
        await setClock(file, { offsetMs: -30_000, rate: 1 }, startedAt);
        const [real, coarse, tod, time, mono] = await p.ask();
        const now = Date.now();
        for (const wall of [real!, coarse!, tod!]) expect(Math.abs(wall - (now - 30_000))).toBeLessThan(50);
        expect(Math.abs(time! - (now - 30_000))).toBeLessThan(1100);
        expect(Math.abs(mono! / 1e6 - (monotonicMs() - (fakeMonotonic ? 30_000 : 0)))).toBeLessThan(50);

        // Lines beyond the subset it reads change nothing; a line without a rate runs at real speed.
        for (const line of ['@2020-01-01 00:00:00\n', 'garbage\n', '+5m\n', '']) {
          await writeTimestampFile(file, line);
          await untilShimsReread();
          expect(Math.abs((await p.ask())[0]! - (Date.now() - 30_000))).toBeLessThan(50);
        }
        await writeTimestampFile(file, '+2.5\n');
        await untilShimsReread();
        expect(Math.abs((await p.ask())[0]! - (Date.now() + 2_500))).toBeLessThan(50);
      } finally {
        await p.stop();
      }
    }
  });
});
