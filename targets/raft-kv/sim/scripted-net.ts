/**
 * A hand-driven network of Raft cores for scripted scenarios: deliver
 * messages synchronously over the links you allow, tick whom you choose.
 */
import { LEASE_DRIFT_MARGIN, RaftCore, type CoreBugs } from '../raft/core.js';
import { EMPTY_DURABLE_STATE, type Entry, type Message, type NodeId } from '../raft/types.js';

export class ScriptedNet {
  readonly cores = new Map<NodeId, RaftCore>();
  /** Every entry each node has applied, by index. */
  readonly applied = new Map<NodeId, Map<number, Entry>>();
  private up = new Set<NodeId>();

  constructor(ids: readonly NodeId[], bugs: CoreBugs, clock: () => number = () => 0) {
    for (const id of ids) {
      let r = 0.99;
      this.cores.set(
        id,
        new RaftCore(
          {
            id,
            voters: ids,
            electionTicks: 10,
            heartbeatTicks: 1,
            random: () => r,
            clock,
            tickMs: 10,
            leaseDriftMargin: LEASE_DRIFT_MARGIN,
            maxEntriesPerMessage: 100,
            leaseReads: true,
            bugs,
          },
          EMPTY_DURABLE_STATE,
        ),
      );
      this.applied.set(id, new Map());
      // Make `id` the quickest to time out when `elect` asks for it.
      this.quick.set(id, (fast: boolean) => (r = fast ? 0 : 0.99));
    }
    this.up = new Set(ids);
  }

  private quick = new Map<NodeId, (fast: boolean) => void>();

  core(id: NodeId): RaftCore {
    const c = this.cores.get(id);
    if (!c) throw new Error(`no node ${id}`);
    return c;
  }

  /** Only these nodes can talk to each other; everyone else is cut off. */
  connect(ids: readonly NodeId[]): void {
    this.up = new Set(ids);
  }

  /** Deliver messages among connected nodes until nothing moves. */
  settle(): void {
    for (let round = 0; round < 1000; round++) {
      let moved = false;
      for (const [id, core] of this.cores) {
        while (core.hasReady()) {
          moved = true;
          const rd = core.ready();
          for (const e of rd.committed) this.applied.get(id)?.set(e.index, e);
          core.advance(rd);
          for (const m of rd.messages) this.deliver(m);
        }
      }
      if (!moved) return;
    }
    throw new Error('network did not settle');
  }

  private deliver(m: Message): void {
    if (this.up.has(m.from) && this.up.has(m.to)) this.core(m.to).step(m);
  }

  /** Let every other connected node's election timer run out of lease, then tick `id` until it leads. */
  elect(id: NodeId): void {
    for (const [n, set] of this.quick) set(n === id);
    const before = Math.max(...[...this.up].map((n) => this.core(n).term));
    const won = () => this.core(id).role === 'leader' && this.core(id).term > before;
    for (let i = 0; i < 10; i++) {
      for (const n of this.up) if (n !== id) this.core(n).tick();
      this.settle();
    }
    for (let i = 0; i < 40 && !won(); i++) {
      this.core(id).tick();
      this.settle();
    }
    if (!won()) throw new Error(`${id} did not win an election`);
  }

  propose(id: NodeId, data: unknown): void {
    if (!this.core(id).propose(data)) throw new Error(`${id} does not lead`);
    this.settle();
  }
}
