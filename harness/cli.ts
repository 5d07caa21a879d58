#!/usr/bin/env node
/**
 * The `harness` command line. Errors a user can act on print one line and
 * exit 2; so does a bug of the harness, whose stack goes to a log file.
 */
import { Command, CommanderError, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InternalError, isUserError } from './errors.js';
import { checkFile, describeReport, EXIT, exitStatus, type FileReport } from './commands/check.js';
import { isReplicatedChecker, REPLICATED_CHECKERS, replicatedCheckCommand } from './commands/check-replicated.js';
import { MODEL_NAMES, SEMANTICS } from '../checkers/linearizable/models/index.js';
import { nemesisHelp } from '../nemeses/index.js';
import { TARGETS, targetByName } from './targets.js';

function program(): Command {
  const p = new Command('harness')
    .description('A Jepsen-style consistency testing harness')
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });

  p.command('check')
    .description('check recorded histories for linearizability or, with --checker quorum|session|convergence, what leaderless stores promise (exit 0 valid, 1 invalid, 2 input error, 3 unknown)')
    .argument('<files...>', 'history files: history.jsonl, Jepsen/Knossos history.edn, Porcupine etcd/kv logs')
    .addOption(new Option('--model <model>', 'the object the history is about (default: from the format for Porcupine logs)').choices([...MODEL_NAMES]))
    .option('--format <format>', 'auto | jsonl | edn | porcupine-etcd | porcupine-kv', 'auto')
    .option('--init <json>', "initial state as JSON, e.g. 0 or '{\"x\":0,\"y\":0}' (EDN keywords are plain strings)")
    .addOption(
      new Option(
        '--semantics <semantics>',
        'knossos (default): failed ops did not happen and a read of nil tells nothing; strict: the same, but nil means nil; ' +
          'etcd: a failed cas is a comparison that failed, a failed read (timeout) is unknown, nil means absent (default for porcupine-etcd)',
      ).choices([...SEMANTICS]),
    )
    .option('--per-key', 'values are [key, value] (Jepsen independent keys): check each key on its own')
    .option('--json', 'one JSON object per file on stdout')
    .option('--timeout <seconds>', 'give up (verdict unknown) after this long per file', '60')
    .option('--max-memory <MiB>', 'give up (verdict unknown) past this much memory', '4096')
    .addOption(new Option('--checker <checker>', 'linearizable, or for leaderless stores: quorum (stale reads), session (session guarantees), convergence').choices(['linearizable', ...REPLICATED_CHECKERS]).default('linearizable'))
    .option('--siblings', 'quorum, session, convergence: the store keeps concurrent writes as siblings (vector clocks), so a write is only replaced by one whose session had seen it (default: a write may lose to a concurrent one)')
    .action((files: string[], opts) => {
      if (isReplicatedChecker(opts.checker)) {
        process.exitCode = replicatedCheckCommand(files, opts, { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) });
        return;
      }
      const reports: FileReport[] = [];
      for (const file of files) {
        const r = checkFile(file, opts);
        reports.push(r);
        if (opts.json) process.stdout.write(JSON.stringify(r) + '\n');
        else if (r.error !== undefined) process.stderr.write(describeReport(r) + '\n');
        else process.stdout.write(describeReport(r) + '\n');
        for (const w of r.warnings ?? []) process.stderr.write(`warning: ${w}\n`);
      }
      process.exitCode = exitStatus(reports);
    });

  const test = p
    .command('test')
    .description('provision a cluster, drive clients, inject faults, check the history and write a report under the store')
    .requiredOption('--target <name>', `system under test: ${Object.keys(TARGETS).join(', ')}`)
    .option('--workload <name>', `what the clients do (default: the target's; see harness list)`)
    .option('--nemesis <names>', `faults, comma-separated: ${nemesisHelp()}`, collect, [])
    .option('--nemesis-interval <seconds>', 'seconds between fault operations', '5')
    .option('--nodes <n>', 'cluster size (default: the target\'s)')
    .option('--concurrency <n>', 'client workers, bound to nodes round-robin', '10')
    .option('--rate <ops/s>', 'target rate over all workers', '200')
    .option('--time-limit <seconds>', 'seconds of client load before the final phase', '30')
    .option('--recovery-timeout <seconds>', 'seconds the cluster has to serve again after the final heal (else the run fails on liveness)', '30')
    .option('--seed <n>', 'seed for the generator and the nemesis schedule (default: random, recorded in test.json)')
    .option('--provisioner <kind>', 'local (network namespaces, the default) | docker', 'local')
    .option('--bug <name>', 'switch on a planted bug of the target (repeatable)', collect, [])
    .option('--store <dir>', 'where runs are written', 'store');
  const targetOptionNames = new Set<string>();
  for (const t of Object.values(TARGETS)) {
    for (const o of t.options) {
      if (targetOptionNames.has(o.name)) continue;
      targetOptionNames.add(o.name);
      test.option(o.flag ? `--${o.name} [value]` : `--${o.name} <value>`, `${t.name}: ${o.description} (${o.choices ? o.choices.join(' | ') : 'a number'}; default ${o.default})`);
    }
  }
  test.action(async (opts) => {
    const targetOptions: Record<string, string> = {};
    for (const name of targetOptionNames) {
      const v = opts[camel(name)];
      if (typeof v === 'string') targetOptions[name] = v;
      else if (v === true) targetOptions[name] = 'true'; // a flag given alone
    }
    // Loaded on demand: `harness check` needs none of the runner's modules.
    const { testCommand } = await import('./commands/test.js');
    process.exitCode = await testCommand({ ...opts, targetOptions });
  });

  p.command('list')
    .description('targets, their workloads, options and planted bugs (with the options that expose each)')
    .option('--target <name>', 'one target only')
    .option('--json', 'as JSON')
    .action((opts: { target?: string; json?: boolean }) => {
      const targets = opts.target ? [targetByName(opts.target)] : Object.values(TARGETS);
      const described = targets.map((t) => ({
        name: t.name,
        description: t.description,
        defaultNodes: t.defaultNodes,
        workloads: Object.keys(t.workloads),
        defaultWorkload: t.defaultWorkload,
        options: t.options,
        bugs: t.bugs.map((b) => ({ name: b.name, options: b.options, description: b.description })),
      }));
      if (opts.json) {
        process.stdout.write(JSON.stringify(opts.target ? described[0] : described, null, 2) + '\n');
        return;
      }
      for (const t of described) {
        process.stdout.write(`${t.name}: ${t.description}\n  workloads: ${t.workloads.join(', ')}\n`);
        for (const o of t.options) process.stdout.write(`  --${o.name} ${o.choices ? o.choices.join('|') : 'N'} (default ${o.default}): ${o.description}\n`);
        for (const b of t.bugs) process.stdout.write(`  --bug ${b.name}: ${b.description}\n    caught by: harness test --target ${t.name} --bug ${b.name} ${b.options.join(' ')}\n`);
      }
    });

  p.command('clean')
    .description('remove every namespace, link, iptables rule and node process left by runs whose controller died')
    .option('--all', 'also runs whose controller is still alive')
    .action(async (opts: { all?: boolean }) => {
      const { cleanAll } = await import('./provision/clean.js');
      const s = await cleanAll({ includeLive: opts.all === true });
      process.stdout.write(
        `cleaned ${s.runs.length} run(s): ${s.processes.length} processes, ${s.namespaces.length} namespaces, ${s.links.length} links, ${s.rules.length} iptables rules\n`,
      );
      for (const r of s.skippedLive) process.stdout.write(`  left alone (controller still running): ${r}\n`);
      for (const e of s.errors) process.stderr.write(`  error: ${e}\n`);
      process.exitCode = s.errors.length ? EXIT.error : 0;
    });

  return p;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      process.exitCode = e.exitCode === 0 ? 0 : EXIT.error;
      return;
    }
    if (isUserError(e)) {
      process.stderr.write(`harness: ${e.message}\n`);
      process.exitCode = EXIT.error;
      return;
    }
    // A bug of the harness: one line, exit 2 (never 1, which means an anomaly), the stack kept in a log.
    const log = e instanceof InternalError && e.logPath ? e.logPath : writeCrashLog(e);
    process.stderr.write(`harness: internal error: ${e instanceof Error ? e.message : String(e)} (stack in ${log})\n`);
    process.exitCode = EXIT.error;
  }
}

/** Keep the stack of an error that happened outside any run, in a file under the temporary folder. */
function writeCrashLog(e: unknown): string {
  const path = join(tmpdir(), `harness-crash-${process.pid}.log`);
  try {
    writeFileSync(path, `${new Date().toISOString()} ${process.argv.join(' ')}\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  } catch {
    return 'nowhere: the temporary folder is not writable';
  }
  return path;
}

await main(process.argv);
