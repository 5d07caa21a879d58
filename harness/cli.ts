#!/usr/bin/env node
/**
 * The `harness` command line. Errors a user can act on print one line and
 * exit 2; so does a bug of the harness, whose stack goes to a log file.
 */
import { Command, CommanderError, Option } from 'commander';
import { describeError } from './exit.js';
import { checkFile, describeReport, EXIT, exitStatus, type FileReport } from './commands/check.js';
import { ELLE_CHECKERS, elleCheckCommand, isElleChecker } from './commands/check-elle.js';
import { isReplicatedChecker, REPLICATED_CHECKERS, replicatedCheckCommand } from './commands/check-replicated.js';
import { MODEL_NAMES, SEMANTICS } from '../checkers/linearizable/models/index.js';
import { nemesisHelp } from '../nemeses/index.js';
import { TARGETS, targetByName } from './targets.js';
import { TEST_DEFAULTS } from './commands/test-defaults.js';

function program(): Command {
  const p = new Command('harness')
    .description('A Jepsen-style consistency testing harness')
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });

  p.command('check')
    .description('check recorded histories for linearizability or, with --checker, transactional anomalies (elle-*) or what leaderless stores promise (quorum, session, convergence); exit 0 valid, 1 invalid, 2 input error, 3 unknown')
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
    .option('--max-memory <MiB>', 'give up (verdict unknown) before the resident memory of the process would pass this', '4096')
    .addOption(
      new Option('--checker <checker>', 'linearizable; Elle-like transactional: elle-list-append, elle-rw-register; leaderless stores: quorum (stale reads), session (session guarantees), convergence')
        .choices(['linearizable', ...ELLE_CHECKERS, ...REPLICATED_CHECKERS])
        .default('linearizable'),
    )
    .option('--consistency-models <models>', 'elle checkers: models to check, comma-separated (default strict-serializable)')
    .option('--linearizable-keys', 'elle-rw-register: order each key\'s versions by real time')
    .option('--sequential-keys', 'elle-rw-register: order each key\'s versions by process order')
    .option('--siblings', 'quorum, session, convergence: the store keeps concurrent writes as siblings (vector clocks), so a write is only replaced by one whose session had seen it (default: a write may lose to a concurrent one)')
    .action((files: string[], opts) => {
      const io = { stdout: (s: string) => process.stdout.write(s), stderr: (s: string) => process.stderr.write(s) };
      if (isElleChecker(opts.checker)) {
        process.exitCode = elleCheckCommand(files, opts, io);
        return;
      }
      if (isReplicatedChecker(opts.checker)) {
        process.exitCode = replicatedCheckCommand(files, opts, io);
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
    .option('--nemesis-interval <seconds>', 'seconds between fault operations', TEST_DEFAULTS.nemesisInterval)
    .option('--nodes <n>', 'cluster size (default: the target\'s)')
    .option('--concurrency <n>', 'client workers, bound to nodes round-robin', TEST_DEFAULTS.concurrency)
    .option('--rate <ops/s>', 'target rate over all workers', TEST_DEFAULTS.rate)
    .option('--time-limit <seconds>', 'seconds of client load before the final phase', TEST_DEFAULTS.timeLimit)
    .option('--recovery-timeout <seconds>', 'seconds the cluster has to serve again after the final heal (else the run fails on liveness)', TEST_DEFAULTS.recoveryTimeout)
    .option('--seed <n>', 'seed for the generator and the nemesis schedule (default: random, recorded in test.json)')
    .option('--provisioner <kind>', 'local (network namespaces, the default) | docker', TEST_DEFAULTS.provisioner)
    .option('--bug <name>', 'switch on a planted bug of the target (repeatable)', collect, [])
    .option('--store <dir>', 'where runs are written', TEST_DEFAULTS.store);
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

  p.command('suite')
    .description('run a matrix of tests (targets x workloads x nemeses x options) from a YAML/JSON file or flags; a console table, JUnit XML and an index page (exit 0 all as expected, 1 an unexpected anomaly or a planted bug missed, 2 a run could not be made, 3 a run did not look)')
    .option('--file <file>', 'the matrix: YAML or JSON with `runs` (a list of matrices) and optional `defaults` and `name`; see README')
    .option('--target <name>', 'a target (repeatable: one value per occurrence)', collect, [])
    .option('--workload <name>', 'a workload (repeatable)', collect, [])
    .option('--nemesis <names>', 'a nemesis, or several joined by commas for one run (repeatable: one value per occurrence)', collect, [])
    .option('--option <name=values>', 'a target option and its values, e.g. read-mode=log,lease (repeatable)', collect, [])
    .option('--bug <name>', 'switch on a planted bug in every run (repeatable)', collect, [])
    .option('--expect <verdict>', 'valid (default) | invalid (a planted-bug matrix)')
    .option('--provisioner <kind>', 'local | docker, for every run (default: the row\'s, else local)')
    .option('--time-limit <seconds>', 'for every run')
    .option('--nodes <n>', 'for every run')
    .option('--concurrency <n>', 'for every run')
    .option('--rate <ops/s>', 'for every run')
    .option('--nemesis-interval <seconds>', 'for every run')
    .option('--recovery-timeout <seconds>', 'for every run')
    .option('--seed <n>', 'for every run')
    .option('--name <name>', 'the suite\'s name (JUnit testsuite, folder name)')
    .option('--junit <file>', 'also write the JUnit XML here')
    .option('--store <dir>', 'where runs are written', TEST_DEFAULTS.store)
    .action(async (opts) => {
      const { suiteCommand } = await import('./commands/suite.js');
      process.exitCode = await suiteCommand(opts);
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
        bugs: t.bugs.map((b) => ({ name: b.name, options: b.options, finds: b.finds, description: b.description })),
      }));
      if (opts.json) {
        process.stdout.write(JSON.stringify(opts.target ? described[0] : described, null, 2) + '\n');
        return;
      }
      for (const t of described) {
        process.stdout.write(`${t.name}: ${t.description}\n  workloads: ${t.workloads.join(', ')}\n`);
        for (const o of t.options) process.stdout.write(`  --${o.name} ${o.choices ? o.choices.join('|') : 'N'} (default ${o.default}): ${o.description}\n`);
        for (const b of t.bugs) {
          process.stdout.write(`  --bug ${b.name}: ${b.description}\n    caught by: harness test --target ${t.name} --bug ${b.name} ${b.options.join(' ')}\n`);
          process.stdout.write(`    which finds: ${b.finds.checker} (${b.finds.anomaly})\n`);
        }
      }
    });

  p.command('image')
    .description("build the docker provisioner's node image on the engine (DOCKER_HOST, or the local socket) unless it is up to date; prints its tag")
    .option('--rebuild', 'build even when an image of this code exists')
    .action(async (opts: { rebuild?: boolean }) => {
      const { connectEngine } = await import('./provision/docker/engine.js');
      const { ensureImage } = await import('./provision/docker/image.js');
      const tag = await ensureImage(await connectEngine(), (l) => process.stderr.write(`${l}\n`), { rebuild: opts.rebuild === true });
      process.stdout.write(`${tag}\n`);
    });

  p.command('clean')
    .description('remove what runs whose controller died left behind: namespaces, links, iptables rules and node processes (local); containers, networks and image build leftovers (docker)')
    .option('--all', 'also runs whose controller is still alive (or, on a shared Docker engine, runs on another machine)')
    .action(async (opts: { all?: boolean }) => {
      const { cleanCommand } = await import('./commands/clean.js');
      process.exitCode = await cleanCommand({ includeLive: opts.all === true });
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
    const { line, status } = describeError(e);
    process.stderr.write(`${line}\n`);
    process.exitCode = status;
  }
}

await main(process.argv);
