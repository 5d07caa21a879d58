/**
 * What a target (a system under test) tells the harness. One folder per
 * target under targets/, each exporting a `TargetDefinition`: how to start a
 * node (one or more processes), how a client talks to it, how to tell that
 * the cluster serves, who its primaries are, and the workloads it supports.
 * Adding a target touches no file of the runner: only `harness/targets.ts`,
 * the list of targets, names it.
 */
import type { ClockFaultName } from './fault-kinds.js';
import type { WorkloadFactory } from './workloads/types.js';

/** A node as the provisioner made it: a name and an address clients and peers reach. */
export interface NodeAddress {
  /** 'n1', 'n2', ... */
  name: string;
  /** IPv4 address of the node (a namespace's veth, a container, or 127.0.0.1). */
  host: string;
}

export interface ClusterLayout {
  nodes: readonly NodeAddress[];
}

/** Options chosen for one run, as the target declared them. */
export interface TargetRunOptions {
  /** Planted bugs switched on by name (`--bug NAME`, repeatable). */
  bugs: readonly string[];
  /** Values of the options the target declared, e.g. { 'read-mode': 'lease' }. */
  options: Readonly<Record<string, string>>;
}

/**
 * argv[0] of a process run by Node.js: the provisioner puts its own Node.js
 * there (the controller's locally, the image's in a container).
 */
export const NODE = 'node';

/**
 * One process of a node: a name for its log (`nodes/<node>/<name>.log`), its
 * argv and environment. Every provisioner runs it with the project root as
 * its working directory (this checkout locally, /opt/harness in the docker
 * image), so the project's own code is named by a relative path:
 * `[NODE, 'dist/targets/raft-kv/node.js', ...]`. Other programs are named
 * as on the node's PATH (`redis-server`).
 */
export interface ProcessLaunch {
  name: string;
  argv: readonly string[];
  env?: Readonly<Record<string, string>>;
}


/**
 * How to start one node: the processes the provisioner runs inside the
 * node's host (a Redis node runs redis-server and redis-sentinel). They are
 * started, killed, paused, resumed and logged together, as one node.
 */
export interface NodeLaunch {
  processes: readonly ProcessLaunch[];
  /**
   * Files to write into the node's data directory before its processes
   * first start (configuration), by path relative to it. A node restarted
   * after a kill finds them as its processes left them, as a real node's
   * disk would keep them (Sentinel and Redis rewrite their configuration).
   */
  files?: Readonly<Record<string, string>>;
}

/**
 * The truthful outcome of one client operation. `node`: the node that
 * served it, when the client knows and it is not the node the client is
 * bound to (a Sentinel client talks to whichever node is the master); the
 * history records it on the completion.
 */
export type Outcome =
  | { type: 'ok'; value: unknown; node?: string }
  /** Certainly not applied (e.g. a cas whose comparison failed, or a request refused before it was sent). */
  | { type: 'fail'; value?: unknown; error: string; node?: string }
  /** Unknown: it may or may not have been applied (timeout, connection lost mid-request). */
  | { type: 'info'; error: string; node?: string };

/**
 * A connection-level client of one node. It never throws for the network's
 * sake (refused, timed out, lost): those are outcomes. A throw is a bug of
 * the client or the workload, and the run counts it as a harness error.
 */
export interface TargetClient {
  /**
   * Perform one operation. `f` and `value` follow the history model:
   * read [k, null] -> ok [k, v]; write [k, v]; cas [k, [old, new]] (fail when
   * the comparison fails); txn [[ 'append', k, x ], [ 'r', k, null ]] -> ok with reads filled in.
   * Keys keep their JSON type: a number key stays a number.
   */
  invoke(f: string, value: unknown): Promise<Outcome>;
  close(): Promise<void>;
}

export interface BugSpec {
  name: string;
  description: string;
  /** The exact `harness test` options that expose this bug (besides `--target` and `--bug`). */
  options: readonly string[];
  /** What a run that catches it shows: the checker that finds it invalid, and words of that checker's summary (e.g. 'lost'). */
  finds: { checker: string; anomaly: string };
}

export interface TargetOptionSpec {
  name: string;
  description: string;
  /** The accepted values; undefined for a number option (`--min-replicas-to-write 1`). */
  choices?: readonly string[];
  /** For number options: the least accepted value. */
  min?: number;
  /** A yes/no option (choices false and true): `--name` alone means true. */
  flag?: boolean;
  default: string;
}

export interface ClientOptions {
  timeoutMs: number;
}

export interface TargetDefinition {
  name: string;
  description: string;
  defaultNodes: number;
  /** The workloads this target supports, by name: generic ones (harness/workloads) or its own. */
  workloads: Readonly<Record<string, WorkloadFactory>>;
  /** The workload `harness test` runs when none is named. */
  defaultWorkload: string;
  options: readonly TargetOptionSpec[];
  bugs: readonly BugSpec[];
  /**
   * Programs a node needs (e.g. redis-server): on the controller for the
   * local provisioner (a run on a machine without them stops at once with
   * `install`), in the image for docker (which installs `package`, the
   * Debian package that has the program).
   */
  requires?: readonly { program: string; install: string; package?: string }[];
  /** The port clients connect to (the nemeses probe it to see a node has started). */
  clientPort: number;
  /** `dataDir`: where the node keeps durable state, as the node sees it (the provisioner creates it). */
  launch(node: NodeAddress, cluster: ClusterLayout, run: TargetRunOptions, dataDir: string): NodeLaunch;
  /** A client of `node`; see TargetClient for what it may throw. */
  client(node: NodeAddress, cluster: ClusterLayout, run: TargetRunOptions, opts: ClientOptions): Promise<TargetClient>;
  /**
   * The readiness probe: whether the cluster serves clients now (for
   * raft-kv, a write commits). Polled after start-up and after the final
   * heal; never throws.
   */
  ready(cluster: ClusterLayout, run: TargetRunOptions, opts: ClientOptions): Promise<boolean>;
  /**
   * The nodes that currently act as primaries (a Raft leader, the Redis
   * master Sentinel names), best first, when the target can tell; the
   * `primaries` variants of the nemeses aim at them. Never throws.
   */
  primaries?(cluster: ClusterLayout, run: TargetRunOptions, opts: ClientOptions): Promise<string[]>;
  /**
   * The clock faults a plain `--nemesis clock` draws from in this run, when
   * the target's use of clocks makes only some of them meaningful (as a
   * Jepsen test aims its clock nemesis at the primaries of a database whose
   * leases trust the primary's clock). Undefined: every kind. Variants the
   * user names (`clock:bump`) always win.
   */
  clockFaults?(run: TargetRunOptions): readonly ClockFaultName[] | undefined;
}
