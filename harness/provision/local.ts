/**
 * The local provisioner: each node is an OS process in its own network
 * namespace, joined by a veth pair to a bridge the harness creates. The
 * controller (root namespace) holds the bridge's `.1` and reaches every node;
 * partitions are iptables rules inside the namespaces; clock faults are
 * the clock shim; packet faults are netem, or where netem is missing iptables
 * (loss, duplication) and the userspace shaper (delay, reordering, corruption).
 */
import { execa, type ResultPromise } from 'execa';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { requirePrograms } from '../programs.js';
import { hostCommand } from '../project.js';
import type { NodeAddress, NodeLaunch, ProcessLaunch } from '../target.js';
import { requireRoot } from './clean.js';
import { run, runIn } from './cmd.js';
import { clockFaultSpec, clockShimEnv, findClockShim, REAL_TIME, timestampSpec, untilShimsReread, writeTimestampFile } from './clock-shim.js';
import { NODE_IFACE, runNames, type RunNames } from './naming.js';
import { NetFaults, type NodeShell } from './net-faults.js';
import { ownerOfThisProcess, removeOwner, writeOwner } from './owner.js';
import { rootAcceptRules } from './rules.js';
import { MAX_NODES, chooseSubnet, takenPrefixes, type Subnet } from './subnet.js';
import { sweep, type SweepSummary } from './sweep.js';
import { findShaper, Shaper, spawnInNetns } from './shaper.js';
import type { ClockFault, ClusterSpec, Grudge, NodePrograms, PacketFault, PacketFaultKind, Provisioner } from './types.js';

const STOP_GRACE_MS = 5_000;
const EXIT_WAIT_MS = 5_000;

interface NodeProcess {
  child: ResultPromise;
  pid: number;
  startedAtMs: number;
  exited: boolean;
  exitCode: number | undefined;
  done: Promise<void>;
}

const isAlive = (p: NodeProcess | undefined): boolean => p !== undefined && !p.exited;

interface NodeHost {
  name: string;
  index: number;
  ns: string;
  ip: string;
  dir: string;
  clockFile: string;
  clock: ClockFault;
  /** The node's processes by name, as last started. */
  procs: Map<string, NodeProcess>;
  /** When the node's processes were last started (the clock shim counts a rate from there). */
  startedAtMs?: number;
  paused: boolean;
}

/** The node's network as the runner may want to report it. */
export interface LocalNetwork {
  bridge: string;
  /** The controller's address on the bridge. */
  gateway: string;
  cidr: string;
}

export class LocalProvisioner implements Provisioner {
  readonly kind = 'local' as const;
  private spec: ClusterSpec | undefined;
  private names: RunNames | undefined;
  private subnet: Subnet | undefined;
  private hosts = new Map<string, NodeHost>();
  private faults: NetFaults | undefined;
  private clockShim: string | undefined;

  /** The nodes run here, as this machine's processes: their programs must be on its PATH. */
  async preflight(nodes?: NodePrograms): Promise<void> {
    if (nodes) requirePrograms(nodes.what, nodes.programs);
  }

  async setup(spec: ClusterSpec): Promise<NodeAddress[]> {
    if (this.spec) throw new Error(`this provisioner already set up run ${this.spec.runId}; use one LocalProvisioner per run`);
    requireRoot();
    if (spec.nodes.length === 0 || spec.nodes.length > MAX_NODES) {
      throw new RangeError(`the local provisioner runs 1..${MAX_NODES} nodes, got ${spec.nodes.length}`);
    }
    if (new Set(spec.nodes).size !== spec.nodes.length) throw new Error(`duplicate node names in ${spec.nodes.join(', ')}`);
    if (spec.fakeTime) this.clockShim = findClockShim();
    this.spec = { ...spec, runDir: resolve(spec.runDir) };
    const names = (this.names = runNames(spec.runId));
    // The owner record goes first, so a controller dying during setup still leaves a findable run.
    await writeOwner(ownerOfThisProcess(spec.runId, names.tag, this.spec.runDir));
    try {
      this.subnet = chooseSubnet(await takenPrefixes(), parseInt(names.tag, 16));
      const subnet = this.subnet;
      const nodes = spec.nodes.map((name, index) => ({ name, ip: subnet.host(index) }));
      this.faults = new NetFaults(this.shell(), nodes, subnet.gateway, names.comment, names.tag);
      await this.createBridge();
      await Promise.all(spec.nodes.map((name, index) => this.createHost(name, index)));
    } catch (e) {
      await this.teardown().catch(() => undefined);
      throw e;
    }
    return spec.nodes.map((name) => ({ name, host: this.host(name).ip }));
  }

  network(): LocalNetwork {
    const { names, subnet } = this.ready();
    return { bridge: names.bridge, gateway: subnet.gateway, cidr: subnet.cidr };
  }

  /** Name of the node's network namespace (for `ip netns exec`). */
  netnsOf(node: string): string {
    return this.host(node).ns;
  }

  private ready(): { spec: ClusterSpec; names: RunNames; subnet: Subnet; faults: NetFaults } {
    if (!this.spec || !this.names || !this.subnet || !this.faults) throw new Error('the local provisioner is not set up (call setup() first)');
    return { spec: this.spec, names: this.names, subnet: this.subnet, faults: this.faults };
  }

  /** Commands and the shaper inside a node's namespace, for the network faults. */
  private shell(): NodeShell {
    const binary = findShaper();
    return {
      run: (node, argv, opts) => runIn(this.host(node).ns, argv, opts),
      ...(binary
        ? { startShaper: (node: string, args: readonly string[]) => Shaper.start(spawnInNetns(binary, this.host(node).ns, args), this.host(node).ns) }
        : {}),
    };
  }

  private host(node: string): NodeHost {
    const h = this.hosts.get(node);
    if (!h) throw new Error(`unknown node ${JSON.stringify(node)}; nodes are ${[...this.hosts.keys()].join(', ') || '(none)'}`);
    return h;
  }

  private async createBridge(): Promise<void> {
    const { names, subnet } = this.ready();
    await run('ip', ['link', 'add', names.bridge, 'type', 'bridge']);
    await run('ip', ['addr', 'add', `${subnet.gateway}/24`, 'dev', names.bridge]);
    await run('ip', ['link', 'set', names.bridge, 'up']);
    for (const [chain, ...rest] of rootAcceptRules(names.bridge, names.comment)) {
      await run('iptables', ['-w', '-I', chain!, '1', ...rest]);
    }
  }

  private async createHost(name: string, index: number): Promise<void> {
    const { spec, names, subnet, faults } = this.ready();
    const dir = join(spec.runDir, 'nodes', name);
    const host: NodeHost = {
      name,
      index,
      ns: names.netns(name),
      ip: subnet.host(index),
      dir,
      clockFile: join(dir, 'clock.rc'),
      clock: { offsetMs: 0, rate: 1 },
      procs: new Map(),
      paused: false,
    };
    this.hosts.set(name, host);
    await mkdir(dir, { recursive: true });
    if (spec.fakeTime) await writeTimestampFile(host.clockFile, '+0 x1\n');
    const veth = names.vethHost(index);
    const peer = names.vethPeer(index);
    await run('ip', ['netns', 'add', host.ns]);
    await run('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', peer]);
    await run('ip', ['link', 'set', peer, 'netns', host.ns]);
    await run('ip', ['link', 'set', veth, 'master', names.bridge, 'up']);
    await run('ip', ['-n', host.ns, 'link', 'set', peer, 'name', NODE_IFACE]);
    await run('ip', ['-n', host.ns, 'addr', 'add', `${host.ip}/24`, 'dev', NODE_IFACE]);
    await run('ip', ['-n', host.ns, 'link', 'set', NODE_IFACE, 'up']);
    await run('ip', ['-n', host.ns, 'link', 'set', 'lo', 'up']);
    await faults.prepare(name);
  }

  async start(node: string, launch: NodeLaunch): Promise<void> {
    const { spec } = this.ready();
    const h = this.host(node);
    if (launch.processes.length === 0) throw new Error(`node ${node} has no process to start`);
    const toStart = launch.processes.filter((p) => !isAlive(h.procs.get(p.name)));
    if (toStart.length === 0) throw new Error(`node ${node} is already running (pids ${[...h.procs.values()].map((p) => p.pid).join(', ')})`);
    const dataDir = this.dataDir(node);
    await mkdir(dataDir, { recursive: true });
    for (const [path, text] of Object.entries(launch.files ?? {})) {
      await mkdir(dirname(join(dataDir, path)), { recursive: true });
      // Written at the first start only: a restarted node finds its files as its processes left them.
      await writeFile(join(dataDir, path), text, { flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
    }
    const startedAtMs = Date.now();
    let clockEnv: Record<string, string> = {};
    if (spec.fakeTime) {
      await writeTimestampFile(h.clockFile, timestampSpec(h.clock, startedAtMs, startedAtMs));
      clockEnv = clockShimEnv(this.clockShim!, h.clockFile, spec.fakeMonotonic ?? false);
    }
    h.startedAtMs = startedAtMs;
    h.paused = false;
    const started = toStart.map((p) => {
      const proc = this.spawn(h, p, { ...(p.env ?? {}), ...clockEnv }, startedAtMs);
      h.procs.set(p.name, proc);
      return { launch: p, proc };
    });
    // A program that cannot even be executed fails within milliseconds; say so now, with its log.
    await Promise.race([Promise.all(started.map((s) => s.proc.done)), new Promise((r) => setTimeout(r, 100))]);
    for (const { launch: p, proc } of started) {
      if (proc.exited && proc.exitCode !== 0) {
        const tail = (await readFile(this.logFile(h, p.name), 'utf8').catch(() => '')).split('\n').slice(-10).join('\n');
        throw new Error(`node ${node}: ${p.name} exited at once with status ${proc.exitCode}: ${p.argv.join(' ')}\n${tail}`);
      }
    }
  }

  /** Start one process of a node in its namespace, logging to `<node dir>/<name>.log`. */
  private spawn(h: NodeHost, p: ProcessLaunch, env: Record<string, string>, startedAtMs: number): NodeProcess {
    const { file, args, cwd } = hostCommand(p);
    const log = this.logFile(h, p.name);
    // `ip netns exec` execs the program in place: the pid is the process's, and
    // `detached` makes it a process-group leader, so signals reach its children too.
    const child = execa('ip', ['netns', 'exec', h.ns, file, ...args], {
      cwd,
      env,
      stdin: 'ignore',
      stdout: { file: log, append: true },
      stderr: { file: log, append: true },
      detached: true,
      reject: false,
      cleanup: false,
    });
    if (child.pid === undefined) throw new Error(`could not start ${p.name} of node ${h.name}: ${p.argv.join(' ')}`);
    const proc: NodeProcess = { child, pid: child.pid, startedAtMs, exited: false, exitCode: undefined, done: Promise.resolve() };
    proc.done = child.then((r) => {
      proc.exited = true;
      proc.exitCode = r.exitCode;
    });
    return proc;
  }

  private logFile(h: NodeHost, process: string): string {
    return join(h.dir, `${process}.log`);
  }

  /** Send a signal to every live process of the node (and their children); whether any got it. */
  private signal(h: NodeHost, signal: NodeJS.Signals): boolean {
    let any = false;
    for (const p of h.procs.values()) {
      if (p.exited) continue;
      try {
        process.kill(-p.pid, signal);
        any = true;
      } catch {
        try {
          process.kill(p.pid, signal);
          any = true;
        } catch {
          // gone already
        }
      }
    }
    return any;
  }

  /** Whether every process of the node exited within `ms`. */
  private async waitExit(h: NodeHost, ms: number): Promise<boolean> {
    const live = [...h.procs.values()].filter((p) => !p.exited);
    if (live.length === 0) return true;
    await Promise.race([Promise.all(live.map((p) => p.done)), new Promise((r) => setTimeout(r, ms))]);
    return live.every((p) => p.exited);
  }

  async stop(node: string): Promise<void> {
    const h = this.host(node);
    if (![...h.procs.values()].some(isAlive)) return;
    this.signal(h, 'SIGTERM');
    this.signal(h, 'SIGCONT'); // a paused process cannot act on SIGTERM
    h.paused = false;
    if (!(await this.waitExit(h, STOP_GRACE_MS))) await this.kill(node, 'SIGKILL');
  }

  async kill(node: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const h = this.host(node);
    if (!this.signal(h, signal)) return;
    if (signal === 'SIGKILL') {
      h.paused = false;
      if (!(await this.waitExit(h, EXIT_WAIT_MS))) throw new Error(`node ${node} survived SIGKILL for ${EXIT_WAIT_MS} ms`);
    }
  }

  async pause(node: string): Promise<void> {
    const h = this.host(node);
    if (this.signal(h, 'SIGSTOP')) h.paused = true;
  }

  async resume(node: string): Promise<void> {
    const h = this.host(node);
    this.signal(h, 'SIGCONT');
    h.paused = false;
  }

  /** Every process of the node is running (a node half down counts as down: start() brings up the rest). */
  isRunning(node: string): boolean {
    const procs = [...this.host(node).procs.values()];
    return procs.length > 0 && procs.every(isAlive);
  }

  /** True when the node was paused and not resumed since. */
  isPaused(node: string): boolean {
    return this.host(node).paused && this.isRunning(node);
  }

  partition(grudge: Grudge): Promise<void> {
    return this.ready().faults.partition(grudge);
  }

  heal(): Promise<void> {
    return this.ready().faults.heal();
  }

  async clock(node: string, fault: ClockFault): Promise<void> {
    const h = this.host(node);
    await writeTimestampFile(h.clockFile, clockFaultSpec(this.ready().spec, fault, h.startedAtMs));
    h.clock = { ...fault };
    await untilShimsReread();
  }

  async resetClocks(): Promise<void> {
    if (this.ready().spec.fakeTime) await Promise.all([...this.hosts.keys()].map((n) => this.clock(n, REAL_TIME)));
  }

  packetSupport(): Promise<ReadonlySet<PacketFaultKind>> {
    return this.ready().faults.packetSupport();
  }

  packet(nodes: readonly string[], fault: PacketFault): Promise<void> {
    return this.ready().faults.packet(nodes, fault);
  }

  clearPackets(): Promise<void> {
    return this.ready().faults.clearPackets();
  }

  async exec(node: string, argv: readonly string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
    if (argv.length === 0) throw new Error('exec needs a command');
    const { file, args } = hostCommand({ name: 'exec', argv });
    return runIn(this.host(node).ns, [file, ...args], { allowFailure: true, timeoutMs: 60_000 });
  }

  logPaths(node: string): string[] {
    const h = this.host(node);
    return [...h.procs.keys()].map((p) => this.logFile(h, p));
  }

  dataDir(node: string): string {
    return join(this.host(node).dir, 'data');
  }

  /**
   * Kill every node process, then remove the namespaces, links, bridge and
   * rules of this run. Idempotent; every step runs even if one fails, and the
   * failures are reported together at the end.
   */
  async teardown(): Promise<void> {
    await this.teardownWithSummary();
  }

  /** `teardown()`, returning what was removed. */
  async teardownWithSummary(): Promise<SweepSummary> {
    if (!this.names) return { processes: [], namespaces: [], links: [], rules: [], errors: [] };
    const tag = this.names.tag;
    for (const h of this.hosts.values()) this.signal(h, 'SIGKILL');
    await Promise.all([...this.hosts.values()].map((h) => this.waitExit(h, EXIT_WAIT_MS)));
    const summary = await sweep((t) => t === tag);
    for (const h of this.hosts.values()) h.paused = false;
    this.faults?.forgetShapers(); // killed with everything else in their namespaces
    if (summary.errors.length) {
      throw new Error(`teardown of run ${this.spec?.runId} left some things behind (run \`harness clean\`):\n  ${summary.errors.join('\n  ')}`);
    }
    await removeOwner(tag);
    return summary;
  }
}
