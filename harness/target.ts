/**
 * What a target (a system under test) tells the harness. One folder per
 * target under targets/, each exporting a `TargetDefinition`.
 */
import type { ClockFaultName } from '../nemeses/clock.js';

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

/** How to start one node: a process the provisioner runs inside the node's host. */
export interface NodeLaunch {
  argv: readonly string[];
  env?: Readonly<Record<string, string>>;
  /** Where the node keeps durable state; the provisioner creates it. */
  dataDir: string;
}

/** The truthful outcome of one client operation. */
export type Outcome =
  | { type: 'ok'; value: unknown }
  /** Certainly not applied (e.g. a cas whose comparison failed, or a request refused before it was sent). */
  | { type: 'fail'; value?: unknown; error: string }
  /** Unknown: it may or may not have been applied (timeout, connection lost mid-request). */
  | { type: 'info'; error: string };

export interface TargetClient {
  /**
   * Perform one operation. `f` and `value` follow the history model:
   * read [k, null] -> ok [k, v]; write [k, v]; cas [k, [old, new]] (fail when
   * the comparison fails); txn [[ 'append', k, x ], [ 'r', k, null ]] -> ok with reads filled in.
   */
  invoke(f: string, value: unknown): Promise<Outcome>;
  close(): Promise<void>;
}

export interface BugSpec {
  name: string;
  description: string;
  /** The exact `harness test` options that expose this bug (besides `--target` and `--bug`). */
  options: readonly string[];
}

export interface TargetOptionSpec {
  name: string;
  description: string;
  choices: readonly string[];
  default: string;
}

export interface TargetDefinition {
  name: string;
  description: string;
  defaultNodes: number;
  /** Workload names this target supports ('register', 'set', 'append'). */
  workloads: readonly string[];
  options: readonly TargetOptionSpec[];
  bugs: readonly BugSpec[];
  /** Ports a node listens on (for the provisioner's probes and rules). */
  clientPort: number;
  peerPort: number;
  launch(node: NodeAddress, cluster: ClusterLayout, run: TargetRunOptions, dataDir: string): NodeLaunch;
  client(node: NodeAddress, cluster: ClusterLayout, opts: { timeoutMs: number }): Promise<TargetClient>;
  /** The node that currently believes it leads, if the target can name one. */
  leader?(cluster: ClusterLayout, opts: { timeoutMs: number }): Promise<string | undefined>;
  /**
   * The clock faults a plain `--nemesis clock` draws from in this run, when
   * the target's use of clocks makes only some of them meaningful (as a
   * Jepsen test aims its clock nemesis at the primaries of a database whose
   * leases trust the primary's clock). Undefined: every kind. Variants the
   * user names (`clock:bump`) always win.
   */
  clockFaults?(run: TargetRunOptions): readonly ClockFaultName[] | undefined;
}
