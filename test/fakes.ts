/**
 * A target and a provisioner that live in memory, for tests of the runner's
 * verdicts without root or real nodes: a linearizable key-value register
 * whose nodes can be "down", and switches for the ways a run goes wrong.
 */
import type { Grudge, Provisioner } from '../harness/provision/types.js';
import type { NodeAddress, Outcome, TargetDefinition } from '../harness/target.js';
import { registerWorkload } from '../harness/workloads/register.js';
import { setWorkload } from '../harness/workloads/set.js';

export interface FakeSwitches {
  /** The client throws on this f (a bug of the client). */
  throwOn?: string;
  /** Every client operation is refused (the readiness probe still passes). */
  refuseAll?: boolean;
  /** Partitions cannot be applied (as on a machine without iptables). */
  partitionFails?: boolean;
  /** A kill leaves the cluster unable to serve, for good. */
  killWedges?: boolean;
  /** The workload's final operations throw (a bug of the harness). */
  finalOpsThrow?: boolean;
}

export class MemoryCluster {
  readonly data = new Map<string, unknown>();
  readonly set: unknown[] = [];
  readonly down = new Set<string>();
  readonly cutOff = new Set<string>();
  wedged = false;

  serves(node: string): boolean {
    return !this.wedged && !this.down.has(node) && !this.cutOff.has(node);
  }

  apply(f: string, value: unknown): Outcome {
    if (f === 'add') {
      this.set.push(value);
      return { type: 'ok', value };
    }
    if (f === 'read' && value === null) return { type: 'ok', value: [...this.set] };
    const [k, v] = value as [number, unknown];
    const key = JSON.stringify(k);
    const cur = this.data.get(key) ?? null;
    switch (f) {
      case 'read':
        return { type: 'ok', value: [k, cur] };
      case 'write':
        this.data.set(key, v);
        return { type: 'ok', value };
      case 'cas': {
        const [from, to] = v as [unknown, unknown];
        if (cur !== from) return { type: 'fail', error: 'cas mismatch' };
        this.data.set(key, to);
        return { type: 'ok', value };
      }
    }
    throw new Error(`unknown op ${f}`);
  }
}

export function fakeTarget(cluster: MemoryCluster, s: FakeSwitches = {}): TargetDefinition {
  const withFinalBug = (w: ReturnType<typeof registerWorkload>) =>
    s.finalOpsThrow
      ? {
          ...w,
          finalOps: () => {
            throw new Error('final ops exploded');
          },
        }
      : w;
  return {
    name: 'memory',
    description: 'an in-memory register for tests',
    defaultNodes: 3,
    workloads: { register: (ctx) => withFinalBug(registerWorkload(ctx)), set: () => setWorkload({ linearizable: true }) },
    defaultWorkload: 'register',
    options: [],
    bugs: [],
    clientPort: 1,
    launch: () => ({ processes: [{ name: 'memory', argv: ['true'] }] }),
    async client(node: NodeAddress) {
      return {
        async invoke(f: string, value: unknown): Promise<Outcome> {
          if (s.throwOn === f) throw new TypeError(`cannot read properties of undefined (reading '${f}')`);
          if (s.refuseAll || !cluster.serves(node.name)) return { type: 'fail', error: `${node.name}: connection refused` };
          return cluster.apply(f, value);
        },
        async close() {},
      };
    },
    async ready(layout) {
      return layout.nodes.some((n) => cluster.serves(n.name));
    },
    async primaries() {
      return ['n1'];
    },
  };
}

export class FakeProvisioner implements Provisioner {
  readonly kind = 'local' as const;
  private nodes: string[] = [];
  constructor(
    private readonly cluster: MemoryCluster,
    private readonly s: FakeSwitches = {},
  ) {}
  async setup(spec: { nodes: readonly string[] }) {
    this.nodes = [...spec.nodes];
    return this.nodes.map((name, i) => ({ name, host: `127.0.0.${100 + i}` }));
  }
  async start(n: string) {
    this.cluster.down.delete(n);
  }
  async stop(n: string) {
    this.cluster.down.add(n);
  }
  async kill(n: string) {
    this.cluster.down.add(n);
    if (this.s.killWedges) this.cluster.wedged = true;
  }
  async pause(n: string) {
    this.cluster.down.add(n);
  }
  async resume(n: string) {
    this.cluster.down.delete(n);
  }
  isRunning(n: string) {
    return !this.cluster.down.has(n);
  }
  async partition(g: Grudge) {
    if (this.s.partitionFails) throw new Error('iptables: command not found');
    // A node cut off from every other node stops serving; the fake knows no finer shape.
    for (const [n, from] of g) if (from.size >= this.nodes.length - 1) this.cluster.cutOff.add(n);
  }
  async heal() {
    this.cluster.cutOff.clear();
  }
  async clock() {}
  async resetClocks() {}
  async packet() {}
  async clearPackets() {}
  async exec() {
    return { stdout: '', stderr: '', exitCode: 0 };
  }
  logPaths() {
    return [];
  }
  dataDir(n: string) {
    return `/nonexistent/${n}`;
  }
  async teardown() {}
}
