/**
 * Network faults inside each node's own network namespace, the same for
 * every provisioner: partitions and loss are iptables rules in chains of the
 * node's (rules.ts), duplication is iptables TEE, and delay, reordering and
 * corruption are netem or, on a kernel without netem, the userspace shaper
 * (shaper.ts). A provisioner says how to run a command inside a node
 * (`ip netns exec` locally, `docker exec` in a container) and how to start
 * the shaper there; everything else is here, once.
 */
import type { CommandResult, RunOptions } from './cmd.js';
import { CHAIN_PARTITION, NODE_IFACE } from './naming.js';
import {
  ALL_PACKET_KINDS,
  KINDS_WITHOUT_NETEM,
  checkWithoutNetem,
  iptablesPacketBatch,
  iptablesPacketClear,
  netemArgs,
  validatePacketFault,
} from './packet.js';
import { nodeChainsBatch, partitionBatch } from './rules.js';
import { needsShaper, shapeBatch, shapeClearBatch, shaperArgs, type Shaper } from './shaper.js';
import type { Grudge, PacketFault, PacketFaultKind } from './types.js';

/** How a provisioner reaches inside its nodes. */
export interface NodeShell {
  /** Run `argv` inside the node's network namespace (stdin from `opts.input`); throws CommandError on a non-zero exit unless allowFailure. */
  run(node: string, argv: readonly string[], opts?: RunOptions): Promise<CommandResult>;
  /** Start the packet shaper inside the node; absent where no shaper is built. */
  startShaper?(node: string, args: readonly string[]): Promise<Shaper>;
}

export interface FaultNode {
  name: string;
  ip: string;
}

const RESTORE = ['iptables-restore', '-w', '--noflush'];

export class NetFaults {
  private netem: Promise<boolean> | undefined;
  private readonly shapers = new Map<string, Shaper>();
  private shaperSeed = 1;

  /**
   * `gateway`: the controller's address on the nodes' network (never
   * partitioned away; duplicated packets go to it too). `comment` tags every
   * rule; `tag` names the run's shapers.
   */
  constructor(
    private readonly shell: NodeShell,
    private readonly nodes: readonly FaultNode[],
    private readonly gateway: string,
    private readonly comment: string,
    private readonly tag: string,
  ) {}

  private node(name: string): FaultNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`unknown node ${JSON.stringify(name)}; nodes are ${this.nodes.map((x) => x.name).join(', ')}`);
    return n;
  }

  private restore(node: string, batch: string): Promise<CommandResult> {
    return this.shell.run(node, RESTORE, { input: batch });
  }

  /** The node's own chains, hooked into INPUT, OUTPUT and POSTROUTING; once, before any fault. */
  async prepare(node: string): Promise<void> {
    await this.restore(node, nodeChainsBatch());
  }

  async partition(grudge: Grudge): Promise<void> {
    for (const [node, peers] of grudge) {
      this.node(node);
      for (const p of peers) this.node(p);
    }
    // Every node's chain is replaced, so a node absent from the grudge is healed.
    await Promise.all(
      this.nodes.map((n) => {
        const from = [...(grudge.get(n.name) ?? [])].filter((p) => p !== n.name).map((p) => this.node(p).ip);
        return this.restore(n.name, partitionBatch(from, this.comment));
      }),
    );
  }

  async heal(): Promise<void> {
    await Promise.all(this.nodes.map((n) => this.shell.run(n.name, ['iptables', '-w', '-F', CHAIN_PARTITION])));
  }

  /** Whether this kernel has the netem qdisc; probed once, inside the first node. */
  private hasNetem(): Promise<boolean> {
    this.netem ??= (async () => {
      const first = this.nodes[0]!.name;
      const r = await this.shell.run(first, ['tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '0ms'], { allowFailure: true });
      if (r.exitCode === 0) {
        await this.shell.run(first, ['tc', 'qdisc', 'del', 'dev', 'lo', 'root'], { allowFailure: true });
        return true;
      }
      if (/unknown|No such file|not supported/i.test(r.stderr + r.stdout)) return false;
      throw new Error(`could not probe for the netem qdisc: ${r.stderr}`);
    })();
    return this.netem;
  }

  async packetSupport(): Promise<ReadonlySet<PacketFaultKind>> {
    return new Set((await this.hasNetem()) || this.shell.startShaper ? ALL_PACKET_KINDS : KINDS_WITHOUT_NETEM);
  }

  async packet(nodes: readonly string[], fault: PacketFault): Promise<void> {
    validatePacketFault(fault);
    const targets = nodes.map((n) => this.node(n));
    if (await this.hasNetem()) {
      const args = netemArgs(fault);
      await Promise.all(targets.map((n) => this.shell.run(n.name, ['tc', 'qdisc', 'replace', 'dev', NODE_IFACE, 'root', ...args])));
      return;
    }
    // No netem: loss and duplication through iptables, the rest through the userspace shaper.
    const startShaper = this.shell.startShaper?.bind(this.shell);
    if (!startShaper) checkWithoutNetem(fault);
    await Promise.all(
      targets.map(async (n) => {
        const peers = [this.gateway, ...this.nodes.filter((o) => o !== n).map((o) => o.ip)];
        await this.restore(n.name, iptablesPacketBatch(fault, peers, this.comment));
        await this.unshape(n.name);
        if (needsShaper(fault)) {
          this.shapers.set(n.name, await startShaper!(n.name, shaperArgs(fault, this.shaperSeed++, this.tag)));
          await this.restore(n.name, shapeBatch(this.comment));
        }
      }),
    );
  }

  /** Stop shaping a node's departures: the rule first, so nothing new is queued, then the shaper, which lets go what it holds. */
  private async unshape(node: string): Promise<void> {
    const shaper = this.shapers.get(node);
    if (!shaper) return;
    await this.restore(node, shapeClearBatch());
    this.shapers.delete(node);
    await shaper.stop();
  }

  async clearPackets(): Promise<void> {
    const netem = await this.hasNetem();
    await Promise.all(
      this.nodes.map(async (n) => {
        if (netem) await this.shell.run(n.name, ['tc', 'qdisc', 'del', 'dev', NODE_IFACE, 'root'], { allowFailure: true });
        await this.restore(n.name, iptablesPacketClear());
        await this.unshape(n.name);
      }),
    );
  }

  /** Forget the shapers without stopping them (teardown kills everything inside the nodes). */
  forgetShapers(): void {
    this.shapers.clear();
  }
}
