/**
 * The docker provisioner: one container per node on a network of the run's
 * own, on a local or remote engine (DOCKER_HOST). A container runs nothing
 * of the node's by itself (an init and `sleep infinity`): the node's
 * processes are started in it with `docker exec`, so that, as with the
 * local provisioner, they can be killed, paused (SIGSTOP) and restarted
 * while the container, its address and its iptables rules stay. Network
 * faults are the same NetFaults as local, run inside the containers
 * (NET_ADMIN, never --privileged); clock faults are the clock shim inside
 * the containers, never the host's clock.
 */
import type Docker from 'dockerode';
import { join, resolve } from 'node:path';
import { SetupError } from '../../errors.js';
import { acceptsConnections } from '../../tcp.js';
import type { NodeAddress, NodeLaunch, ProcessLaunch } from '../../target.js';
import { clockFaultSpec, clockShimEnv, REAL_TIME, timestampSpec, untilShimsReread } from '../clock-shim.js';
import { NetFaults, type NodeShell } from '../net-faults.js';
import { Shaper } from '../shaper.js';
import { MAX_NODES, type Subnet } from '../subnet.js';
import type { ClockFault, ClusterSpec, Grudge, PacketFault, PacketFaultKind, Provisioner } from '../types.js';
import { containerOptions, CLOCK_FILE, CLOCK_SHIM, writeFileScript } from './container.js';
import { connectEngine, type Engine } from './engine.js';
import { execIn, signalIn, spawnIn, type ContainerProcess } from './exec.js';
import { ensureImage, IMAGE_ROOT } from './image.js';
import { dockerNames, runLabels, thisOwner, type DockerNames } from './labels.js';
import { copyNodeDir, NODE_DIR } from './logs.js';
import { createNetwork } from './network.js';
import { removeRun } from './remove.js';

const STOP_GRACE_MS = 5_000;
const EXIT_WAIT_MS = 5_000;
/** A port nothing of a target uses, for the check that the controller reaches the nodes. */
const REACH_PORT = 7999;

interface NodeProcess {
  proc: ContainerProcess;
  exited: boolean;
}

interface DockerNode {
  name: string;
  ip: string;
  container: string;
  clock: ClockFault;
  procs: Map<string, NodeProcess>;
  startedAtMs?: number;
}

const isAlive = (p: NodeProcess | undefined): boolean => p !== undefined && !p.exited;

export class DockerProvisioner implements Provisioner {
  readonly kind = 'docker' as const;
  private spec: ClusterSpec | undefined;
  private engine: Engine | undefined;
  private names: DockerNames | undefined;
  private subnet: Subnet | undefined;
  private faults: NetFaults | undefined;
  private nodes = new Map<string, DockerNode>();

  /** `engine`: an engine already connected (tests); else the one DOCKER_HOST or the local socket names. */
  constructor(private readonly connectTo: () => Promise<Engine> = () => connectEngine()) {}

  /**
   * Find the engine (a SetupError saying how to get one when none answers).
   * The nodes' programs are the image's: the build installs them and checks
   * they are there, so this machine needs none of them.
   */
  async preflight(): Promise<void> {
    this.engine ??= await this.connectTo();
  }

  async setup(spec: ClusterSpec): Promise<NodeAddress[]> {
    if (this.spec) throw new Error(`this provisioner already set up run ${spec.runId}; use one DockerProvisioner per run`);
    if (spec.nodes.length === 0 || spec.nodes.length > MAX_NODES) throw new RangeError(`the docker provisioner runs 1..${MAX_NODES} nodes, got ${spec.nodes.length}`);
    if (new Set(spec.nodes).size !== spec.nodes.length) throw new Error(`duplicate node names in ${spec.nodes.join(', ')}`);
    const log = spec.log ?? (() => undefined);
    await this.preflight();
    const engine = this.engine!;
    const image = await ensureImage(engine, log);
    const started = Date.now();
    this.spec = { ...spec, runDir: resolve(spec.runDir) };
    const names = (this.names = dockerNames(spec.runId));
    const owner = thisOwner();
    try {
      const subnet = (this.subnet = await createNetwork(engine, names, runLabels(spec.runId, this.spec.runDir, owner)));
      spec.nodes.forEach((name, index) =>
        this.nodes.set(name, { name, ip: subnet.host(index), container: names.container(name), clock: { offsetMs: 0, rate: 1 }, procs: new Map() }),
      );
      this.faults = new NetFaults(this.shell(), [...this.nodes.values()], subnet.gateway, names.comment, names.tag);
      await Promise.all(
        [...this.nodes.values()].map(async (n) => {
          const c = await engine.docker.createContainer(
            containerOptions({ names, node: n.name, ip: n.ip, image, labels: runLabels(spec.runId, this.spec!.runDir, owner, n.name) }),
          );
          await c.start();
          await this.execIn(n, ['mkdir', '-p', `${NODE_DIR}/data`]);
          if (spec.fakeTime) await this.writeClock(n, '+0 x1\n');
          await this.faults!.prepare(n.name);
        }),
      );
      await this.checkReachable([...this.nodes.values()][0]!);
    } catch (e) {
      await this.teardown().catch(() => undefined);
      throw e;
    }
    log(`docker: ${spec.nodes.length} containers up on ${this.subnet.cidr} (network ${names.network}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return [...this.nodes.values()].map((n) => ({ name: n.name, host: n.ip }));
  }

  private ready(): { spec: ClusterSpec; engine: Engine; names: DockerNames; faults: NetFaults } {
    if (!this.spec || !this.engine || !this.names || !this.faults) throw new Error('the docker provisioner is not set up (call setup() first)');
    return { spec: this.spec, engine: this.engine, names: this.names, faults: this.faults };
  }

  private node(name: string): DockerNode {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`unknown node ${JSON.stringify(name)}; nodes are ${[...this.nodes.keys()].join(', ') || '(none)'}`);
    return n;
  }

  private get docker(): Docker {
    return this.ready().engine.docker;
  }

  private execIn(n: DockerNode, argv: readonly string[], opts: { input?: string; allowFailure?: boolean; timeoutMs?: number } = {}) {
    return execIn(this.docker, n.container, argv, opts);
  }

  /** Commands and the shaper inside a node's container, for the network faults. */
  private shell(): NodeShell {
    return {
      run: (node, argv, opts) => this.execIn(this.node(node), argv, opts),
      startShaper: async (node, args) => {
        const n = this.node(node);
        const proc = await spawnIn(this.docker, n.container, ['nfq-shaper', ...args]);
        return Shaper.start(
          { stdout: proc.stdout, stderr: proc.stderr, exited: proc.exited, signal: async (s) => void (await signalIn(this.docker, n.container, [proc.pid], s)) },
          n.container,
        );
      },
    };
  }

  /**
   * The controller must reach the nodes' addresses (its clients and probes
   * connect to them): a listener in the first node, and a connection to it.
   */
  private async checkReachable(n: DockerNode): Promise<void> {
    const js = `require('net').createServer((s) => s.end()).listen(${REACH_PORT}, ${JSON.stringify(n.ip)}, () => console.log('up'))`;
    const proc = await spawnIn(this.docker, n.container, ['node', '-e', js]);
    try {
      const up = await new Promise<boolean>((res) => {
        proc.stdout.on('data', (b: Buffer) => b.toString().includes('up') && res(true));
        void proc.exited.then(() => res(false));
        setTimeout(() => res(false), 5000).unref();
      });
      if (!up) throw new Error(`node could not listen on ${n.ip}:${REACH_PORT} in ${n.container}`);
      if (!(await acceptsConnections(n.ip, REACH_PORT, 3000))) {
        const { engine } = this.ready();
        throw new SetupError(
          `docker: this machine cannot reach the nodes' addresses (${n.ip} on ${this.subnet!.cidr}, engine ${engine.where}); ` +
            (engine.remote
              ? 'with a remote engine, route that subnet through the Docker host (see README: "What runs where"), or run harness on the Docker host'
              : 'check that the host firewall lets traffic to the docker network through'),
        );
      }
    } finally {
      await signalIn(this.docker, n.container, [proc.pid], 'SIGKILL').catch(() => undefined);
    }
  }

  private async writeClock(n: DockerNode, spec: string): Promise<void> {
    await this.execIn(n, ['sh', '-c', writeFileScript(true), 'sh', CLOCK_FILE], { input: spec });
  }

  async start(node: string, launch: NodeLaunch): Promise<void> {
    const { spec } = this.ready();
    const n = this.node(node);
    if (launch.processes.length === 0) throw new Error(`node ${node} has no process to start`);
    const toStart = launch.processes.filter((p) => !isAlive(n.procs.get(p.name)));
    if (toStart.length === 0) throw new Error(`node ${node} is already running (pids ${[...n.procs.values()].map((p) => p.proc.pid).join(', ')})`);
    for (const [path, text] of Object.entries(launch.files ?? {})) {
      // Written at the first start only: a restarted node finds its files as its processes left them.
      await this.execIn(n, ['sh', '-c', writeFileScript(false), 'sh', join(this.dataDir(node), path)], { input: text });
    }
    const startedAtMs = Date.now();
    let clockEnv: Record<string, string> = {};
    if (spec.fakeTime) {
      await this.writeClock(n, timestampSpec(n.clock, startedAtMs, startedAtMs));
      clockEnv = clockShimEnv(CLOCK_SHIM, CLOCK_FILE, spec.fakeMonotonic ?? false);
    }
    n.startedAtMs = startedAtMs;
    const started = await Promise.all(toStart.map(async (p) => ({ launch: p, proc: await this.spawn(n, p, { ...(p.env ?? {}), ...clockEnv }) })));
    // In launch order (not the order the execs came back), so the node's logs are listed as the target names its processes.
    for (const s of started) n.procs.set(s.launch.name, s.proc);
    // A program that cannot even be executed fails within milliseconds; say so now, with its log.
    await Promise.race([Promise.all(started.map((s) => s.proc.proc.exited)), new Promise((r) => setTimeout(r, 150))]);
    for (const { launch: p, proc } of started) {
      if (proc.exited) {
        const code = await proc.proc.exited;
        if (code === 0) continue;
        const tail = (await this.execIn(n, ['tail', '-n', '10', this.logFileIn(p.name)], { allowFailure: true })).stdout;
        throw new Error(`node ${node}: ${p.name} exited at once with status ${code}: ${p.argv.join(' ')}\n${tail}`);
      }
    }
  }

  /** Start one process of a node in its container, in the project's folder, logging to `<node dir>/<name>.log`. */
  private async spawn(n: DockerNode, p: ProcessLaunch, env: Record<string, string>): Promise<NodeProcess> {
    if (p.argv.length === 0) throw new Error(`empty argv for ${p.name} of node ${n.name}`);
    const proc = await spawnIn(this.docker, n.container, p.argv, { env, workdir: IMAGE_ROOT, logFile: this.logFileIn(p.name) });
    const np: NodeProcess = { proc, exited: false };
    void proc.exited.then(() => (np.exited = true));
    return np;
  }

  private logFileIn(process: string): string {
    return `${NODE_DIR}/${process}.log`;
  }

  /** Send a signal to every live process of the node (and its group); whether any got it. */
  private async signal(n: DockerNode, signal: NodeJS.Signals): Promise<boolean> {
    const pids = [...n.procs.values()].filter(isAlive).map((p) => p.proc.pid);
    return (await signalIn(this.docker, n.container, pids, signal)).length > 0;
  }

  /** Whether every process of the node exited within `ms`. */
  private async waitExit(n: DockerNode, ms: number): Promise<boolean> {
    const live = [...n.procs.values()].filter(isAlive);
    if (live.length === 0) return true;
    await Promise.race([Promise.all(live.map((p) => p.proc.exited)), new Promise((r) => setTimeout(r, ms))]);
    return live.every((p) => p.exited);
  }

  async stop(node: string): Promise<void> {
    const n = this.node(node);
    if (![...n.procs.values()].some(isAlive)) return;
    await this.signal(n, 'SIGTERM');
    await this.signal(n, 'SIGCONT'); // a paused process cannot act on SIGTERM
    if (!(await this.waitExit(n, STOP_GRACE_MS))) await this.kill(node, 'SIGKILL');
  }

  async kill(node: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const n = this.node(node);
    if (!(await this.signal(n, signal))) return;
    if (signal === 'SIGKILL' && !(await this.waitExit(n, EXIT_WAIT_MS))) throw new Error(`node ${node} survived SIGKILL for ${EXIT_WAIT_MS} ms`);
  }

  async pause(node: string): Promise<void> {
    await this.signal(this.node(node), 'SIGSTOP');
  }

  async resume(node: string): Promise<void> {
    await this.signal(this.node(node), 'SIGCONT');
  }

  /** Every process of the node is running (a node half down counts as down: start() brings up the rest). */
  isRunning(node: string): boolean {
    const procs = [...this.node(node).procs.values()];
    return procs.length > 0 && procs.every(isAlive);
  }

  partition(grudge: Grudge): Promise<void> {
    return this.ready().faults.partition(grudge);
  }

  heal(): Promise<void> {
    return this.ready().faults.heal();
  }

  async clock(node: string, fault: ClockFault): Promise<void> {
    const n = this.node(node);
    await this.writeClock(n, clockFaultSpec(this.ready().spec, fault, n.startedAtMs));
    n.clock = { ...fault };
    await untilShimsReread();
  }

  async resetClocks(): Promise<void> {
    if (this.ready().spec.fakeTime) await Promise.all([...this.nodes.keys()].map((n) => this.clock(n, REAL_TIME)));
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
    return this.execIn(this.node(node), argv, { allowFailure: true, timeoutMs: 60_000 });
  }

  /** Where the node's logs are on the controller: copied out of the container at teardown. */
  logPaths(node: string): string[] {
    const { spec } = this.ready();
    return [...this.node(node).procs.keys()].map((p) => join(spec.runDir, 'nodes', node, `${p}.log`));
  }

  dataDir(node: string): string {
    this.node(node);
    return `${NODE_DIR}/data`;
  }

  /**
   * Copy each node's logs and data into the run's folder, then remove the
   * containers and the network. Idempotent; every step runs even if one
   * fails, and the failures are reported together at the end.
   */
  async teardown(): Promise<void> {
    if (!this.names || !this.engine || !this.spec) return;
    const { docker } = this.engine;
    const errors: string[] = [];
    await Promise.all(
      [...this.nodes.values()].map((n) =>
        copyNodeDir(docker, n.container, join(this.spec!.runDir, 'nodes', n.name)).catch((e: Error) => {
          if (!/no such container|404/i.test(e.message)) errors.push(`copy the logs of ${n.name}: ${e.message}`);
        }),
      ),
    );
    this.faults?.forgetShapers(); // they go with their containers
    errors.push(...(await removeRun(docker, this.spec.runId)).errors);
    for (const n of this.nodes.values()) for (const p of n.procs.values()) p.exited = true;
    if (errors.length) throw new Error(`teardown of run ${this.spec.runId} left some things behind (run \`harness clean\`):\n  ${errors.join('\n  ')}`);
  }
}
