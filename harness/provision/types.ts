/**
 * The provisioner interface: turns a cluster spec into running nodes and
 * offers the primitives nemeses act through. Every primitive is undone by
 * `teardown()`, and by `harness clean` after a controller that died.
 */
import type { NodeAddress, NodeLaunch } from '../target.js';

export interface ClusterSpec {
  /** Unique id of the run; names of namespaces, links and rules derive from it. */
  runId: string;
  /** Node names, 'n1'..'nN'. */
  nodes: readonly string[];
  /** The run's folder under store/; node logs go to `<runDir>/nodes/<name>/`. */
  runDir: string;
  /**
   * Start node processes under the clock shim so that `clock()` can shift
   * and skew them. Off by default: the shim slows every clock read a little.
   */
  fakeTime?: boolean;
  /**
   * With `fakeTime`, also fake CLOCK_MONOTONIC (performance.now, process.hrtime,
   * and the timers of setTimeout). Off by default: a jump of the monotonic
   * clock fires or stalls every pending timer at once, which real clocks never
   * do; with it off only the wall clock (Date.now, new Date, gettimeofday) moves.
   */
  fakeMonotonic?: boolean;
  /** Where the provisioner says what takes time (an image build, the containers coming up); one line at a time. */
  log?: (line: string) => void;
}

/** For each node, the nodes whose traffic it drops. */
export type Grudge = ReadonlyMap<string, ReadonlySet<string>>;

export interface ClockFault {
  /** Offset from real time, in milliseconds (may be negative). */
  offsetMs: number;
  /** Rate of the node's clock; 1 is real time, 2 runs twice as fast. */
  rate: number;
}

export interface PacketFault {
  delayMs?: number;
  jitterMs?: number;
  /** Fractions from 0 to 1. */
  loss?: number;
  duplicate?: number;
  reorder?: number;
  corrupt?: number;
}

/** The kinds of packet fault, as named by the fields of `PacketFault`. */
export type PacketFaultKind = 'delay' | 'loss' | 'duplicate' | 'reorder' | 'corrupt';

/** The programs a target's nodes run, and whose they are (for the message when one is missing). */
export interface NodePrograms {
  what: string;
  programs: readonly { program: string; install: string }[];
}

export interface Provisioner {
  readonly kind: 'local' | 'docker';
  /**
   * Check that this machine can run the provisioner and the programs the
   * nodes need (`nodes`, where the nodes run on this machine; an image
   * brings its own), before a run makes its folder: a SetupError says what
   * is missing.
   */
  preflight?(nodes?: NodePrograms): Promise<void>;
  /** Create the hosts (namespaces and bridge, or containers); no node process runs yet. */
  setup(spec: ClusterSpec): Promise<NodeAddress[]>;
  /** Start the node's processes (those not running: a node half down comes back whole). */
  start(node: string, launch: NodeLaunch): Promise<void>;
  /** Graceful stop (SIGTERM, then SIGKILL after a grace period). */
  stop(node: string): Promise<void>;
  kill(node: string, signal?: NodeJS.Signals): Promise<void>;
  pause(node: string): Promise<void>;
  resume(node: string): Promise<void>;
  /** Every process of the node runs. */
  isRunning(node: string): boolean;
  partition(grudge: Grudge): Promise<void>;
  heal(): Promise<void>;
  clock(node: string, fault: ClockFault): Promise<void>;
  resetClocks(): Promise<void>;
  packet(nodes: readonly string[], fault: PacketFault): Promise<void>;
  clearPackets(): Promise<void>;
  /**
   * Which packet faults this provisioner can apply on this machine (e.g. only
   * loss and duplicate on a kernel without netem). Absent means all of them.
   */
  packetSupport?(): Promise<ReadonlySet<PacketFaultKind>>;
  exec(node: string, argv: readonly string[]): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  /** Paths (on the controller) of the node's log files, one per process it started. */
  logPaths(node: string): string[];
  /** Where the node keeps durable state, as the node's processes see it. */
  dataDir(node: string): string;
  /** Remove everything this provisioner created. Idempotent. */
  teardown(): Promise<void>;
}
