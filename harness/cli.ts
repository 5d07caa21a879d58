#!/usr/bin/env node
/**
 * The `harness` command line. Errors a user can act on print one line and
 * exit 2; anything else is a bug and keeps its stack trace.
 */
import { Command, CommanderError, Option } from 'commander';
import { isUserError } from './errors.js';
import { checkFile, describeReport, EXIT, exitStatus, type FileReport } from './commands/check.js';
import { MODEL_NAMES } from '../checkers/linearizable/models/index.js';

function program(): Command {
  const p = new Command('harness')
    .description('A Jepsen-style consistency testing harness')
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });

  p.command('check')
    .description('check recorded histories for linearizability (exit 0 valid, 1 invalid, 2 input error, 3 unknown)')
    .argument('<files...>', 'history files: history.jsonl, Jepsen/Knossos history.edn, Porcupine etcd/kv logs')
    .addOption(new Option('--model <model>', 'the object the history is about (default: from the format for Porcupine logs)').choices([...MODEL_NAMES]))
    .option('--format <format>', 'auto | jsonl | edn | porcupine-etcd | porcupine-kv', 'auto')
    .option('--init <json>', "initial state as JSON, e.g. 0 or '{\"x\":0,\"y\":0}' (EDN keywords are plain strings)")
    .addOption(
      new Option(
        '--semantics <semantics>',
        "knossos: failed ops did not happen and a read of nil tells nothing; etcd: a failed cas is a comparison that failed, a failed read is unknown, nil means absent (default for porcupine-etcd)",
      ).choices(['knossos', 'etcd']),
    )
    .option('--per-key', 'values are [key, value] (Jepsen independent keys): check each key on its own')
    .option('--json', 'one JSON object per file on stdout')
    .option('--timeout <seconds>', 'give up (verdict unknown) after this long per file', '60')
    .option('--max-memory <MiB>', 'give up (verdict unknown) past this much memory', '4096')
    .action((files: string[], opts) => {
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

  return p;
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
    throw e;
  }
}

await main(process.argv);
