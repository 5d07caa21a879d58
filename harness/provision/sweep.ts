/**
 * Finding and removing what local-provisioner runs created, selected by run
 * tag: processes inside our namespaces, the namespaces, our links and
 * bridges, and our tagged iptables rules in the root namespace. Used by
 * `LocalProvisioner.teardown()` (one tag) and by `cleanAll()` (every tag
 * whose controller is gone). Every step runs even when an earlier one failed.
 */
import { run } from './cmd.js';
import { COMMENT_PREFIX, runTag, tagOfLink, tagOfNetns } from './naming.js';

export interface SweepSummary {
  /** Process ids killed inside our namespaces. */
  processes: number[];
  namespaces: string[];
  links: string[];
  /** Root-namespace iptables rules removed, as `table: rule`. */
  rules: string[];
  /** Steps that failed, with the reason; the rest still ran. */
  errors: string[];
}

export function emptySummary(): SweepSummary {
  return { processes: [], namespaces: [], links: [], rules: [], errors: [] };
}

/** Split a line of `iptables -S` into arguments, honouring double quotes. */
export function splitRule(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuote = false;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && inQuote && i + 1 < line.length) {
      cur += line[++i];
    } else if (c === '"') {
      inQuote = !inQuote;
      has = true;
    } else if (c === ' ' && !inQuote) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

/** The run id named in a rule's harness comment, if it has one. */
export function ruleRunId(args: readonly string[]): string | undefined {
  const i = args.indexOf('--comment');
  const c = i >= 0 ? args[i + 1] : undefined;
  return c?.startsWith(COMMENT_PREFIX) ? c.slice(COMMENT_PREFIX.length) : undefined;
}

export async function listNetns(): Promise<string[]> {
  const r = await run('ip', ['-j', 'netns', 'list'], { allowFailure: true });
  if (r.exitCode !== 0 || !r.stdout.trim()) return [];
  return (JSON.parse(r.stdout) as Array<{ name: string }>).map((n) => n.name);
}

export async function listLinks(): Promise<string[]> {
  const r = await run('ip', ['-j', 'link', 'show']);
  return (JSON.parse(r.stdout || '[]') as Array<{ ifname: string }>).map((l) => l.ifname);
}

const ROOT_TABLES = ['filter', 'mangle', 'nat', 'raw'] as const;

interface TaggedRule {
  table: string;
  args: string[];
  runId: string;
}

async function rootRules(): Promise<TaggedRule[]> {
  const out: TaggedRule[] = [];
  for (const table of ROOT_TABLES) {
    const r = await run('iptables', ['-w', '-t', table, '-S'], { allowFailure: true });
    if (r.exitCode !== 0) continue; // table not available on this kernel
    for (const line of r.stdout.split('\n')) {
      if (!line.startsWith('-A ')) continue;
      const args = splitRule(line);
      const runId = ruleRunId(args);
      if (runId !== undefined) out.push({ table, args, runId });
    }
  }
  return out;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pids: readonly number[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (pids.some(pidAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/** Kill -9 every process inside `ns`; returns their pids. */
export async function killNamespaceProcesses(ns: string): Promise<number[]> {
  const r = await run('ip', ['netns', 'pids', ns], { allowFailure: true });
  const pids = r.stdout
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((p) => Number.isInteger(p) && p > 1 && p !== process.pid);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await waitGone(pids, 3000);
  return pids;
}

/** Remove everything of the runs whose tag `select` accepts. Never throws; failures land in `errors`. */
export async function sweep(select: (tag: string) => boolean): Promise<SweepSummary> {
  const summary = emptySummary();
  const step = async (what: string, f: () => Promise<void>) => {
    try {
      await f();
    } catch (e) {
      summary.errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  let namespaces: string[] = [];
  await step('list namespaces', async () => {
    namespaces = (await listNetns()).filter((n) => {
      const tag = tagOfNetns(n);
      return tag !== undefined && select(tag);
    });
  });
  for (const ns of namespaces) {
    await step(`kill processes in ${ns}`, async () => {
      summary.processes.push(...(await killNamespaceProcesses(ns)));
    });
  }
  for (const ns of namespaces) {
    await step(`delete namespace ${ns}`, async () => {
      await run('ip', ['netns', 'delete', ns]);
      summary.namespaces.push(ns);
    });
  }
  // Deleting a namespace deletes its end of each veth pair and with it the host end; sweep what remains.
  await step('list links', async () => {
    const links = (await listLinks()).filter((l) => {
      const tag = tagOfLink(l);
      return tag !== undefined && select(tag);
    });
    // Veths before bridges, so a bridge is empty when it goes.
    links.sort((a, b) => (a.startsWith('hxb') ? 1 : 0) - (b.startsWith('hxb') ? 1 : 0));
    for (const link of links) {
      await step(`delete link ${link}`, async () => {
        const r = await run('ip', ['link', 'delete', link], { allowFailure: true });
        if (r.exitCode === 0) summary.links.push(link);
        else if (!/Cannot find device/.test(r.stderr)) throw new Error(r.stderr.trim());
      });
    }
  });
  await step('list iptables rules', async () => {
    for (const rule of await rootRules()) {
      if (!select(runTag(rule.runId))) continue;
      const del = ['-D', ...rule.args.slice(1)];
      await step(`delete rule ${rule.args.join(' ')}`, async () => {
        await run('iptables', ['-w', '-t', rule.table, ...del]);
        summary.rules.push(`${rule.table}: ${rule.args.join(' ')}`);
      });
    }
  });
  return summary;
}
