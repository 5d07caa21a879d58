import { describe, expect, it } from 'vitest';
import { SetupError } from '../errors.js';
import { findClockShim, timestampSpec } from './clock-shim.js';
import { LocalProvisioner } from './local.js';
import { runNames, tagOfLink, tagOfNetns } from './naming.js';
import { checkWithoutNetem, iptablesPacketBatch, netemArgs, PacketFaultUnsupported } from './packet.js';
import { needsShaper, shapeBatch, shaperArgs } from './shaper.js';
import { partitionBatch } from './rules.js';
import { chooseSubnet } from './subnet.js';
import { ruleRunId, splitRule } from './sweep.js';

describe('names', () => {
  it('fit the 15-character interface limit and are recognised as ours, and nothing else is', () => {
    const n = runNames('20250101T120000-some-long-run-id');
    expect(n.bridge.length).toBeLessThanOrEqual(15);
    expect(n.vethHost(239).length).toBeLessThanOrEqual(15);
    expect(tagOfLink(n.bridge)).toBe(n.tag);
    expect(tagOfLink(n.vethHost(3))).toBe(n.tag);
    expect(tagOfNetns(n.netns('n1'))).toBe(n.tag);
    for (const other of ['eth0', 'docker0', 'veth1a2b3c', 'br-0123456789ab', 'hxbzzzzzz', 'lo']) expect(tagOfLink(other)).toBeUndefined();
    expect(tagOfNetns('cni-1234')).toBeUndefined();
  });
});

describe('subnet choice', () => {
  it('avoids routes and addresses already present, ignoring the default route', () => {
    const s = chooseSubnet(['default', '10.200.0.0/16', '192.0.2.0/24'], 0);
    expect(s.cidr).toBe('10.201.0.0/24');
    expect(s.gateway).toBe('10.201.0.1');
    expect(s.host(0)).toBe('10.201.0.11');
    expect(chooseSubnet([], 5).cidr).toBe('10.200.5.0/24');
    expect(() => chooseSubnet(['10.0.0.0/8'], 5)).toThrow(/no free \/24/);
  });
});

describe('iptables text', () => {
  it('splits -S lines honouring quotes and finds our run id', () => {
    const args = splitRule('-A FORWARD -i hxb123456 -o hxb123456 -m comment --comment "harness:run 1" -j ACCEPT');
    expect(args).toEqual(['-A', 'FORWARD', '-i', 'hxb123456', '-o', 'hxb123456', '-m', 'comment', '--comment', 'harness:run 1', '-j', 'ACCEPT']);
    expect(ruleRunId(args)).toBe('run 1');
    expect(ruleRunId(splitRule('-A INPUT -m comment --comment "docker rule" -j ACCEPT'))).toBeUndefined();
  });

  it('builds partition and packet batches', () => {
    expect(partitionBatch(['10.1.1.12'], 'harness:r')).toContain('-A HX-PARTITION -s 10.1.1.12/32');
    const b = iptablesPacketBatch({ loss: 0.25, duplicate: 0.5 }, ['10.1.1.1', '10.1.1.12'], 'harness:r');
    expect(b).toContain('--probability 0.25');
    expect(b).toContain('-j TEE --gateway 10.1.1.12');
  });
});

describe('packet faults', () => {
  it('map to netem arguments', () => {
    expect(netemArgs({ delayMs: 100, jitterMs: 50, loss: 0.1 })).toEqual(['netem', 'delay', '100ms', '50ms', 'distribution', 'normal', 'loss', '10%']);
    expect(netemArgs({ reorder: 0.25 })).toEqual(['netem', 'delay', '10ms', 'reorder', '25%']);
    expect(() => netemArgs({ loss: 2 })).toThrow(/fraction/);
  });

  it('without netem, refuse what needs it and say what the kernel lacks', () => {
    expect(() => checkWithoutNetem({ loss: 0.5, duplicate: 0.1 })).not.toThrow();
    expect(() => checkWithoutNetem({ delayMs: 10 })).toThrow(PacketFaultUnsupported);
    expect(() => checkWithoutNetem({ corrupt: 0.1 })).toThrow(/no netem qdisc/);
  });

  it('hand delay, reordering and corruption to the userspace shaper, loss and duplication not', () => {
    expect(needsShaper({ loss: 0.5, duplicate: 0.1 })).toBe(false);
    expect(needsShaper({ delayMs: 10 })).toBe(true);
    expect(needsShaper({ corrupt: 0.1 })).toBe(true);
    expect(shaperArgs({ reorder: 0.3 }, 7, 'ab12')).toEqual(
      ['--queue', '0', '--delay-ms', '10', '--jitter-ms', '0', '--reorder', '0.3', '--corrupt', '0', '--seed', '7', '--tag', 'ab12'],
    );
    expect(shapeBatch('hx ab12')).toContain('-A HX-SHAPE -o eth0 -m comment --comment "hx ab12" -j NFQUEUE --queue-num 0 --queue-bypass');
  });
});

describe('clock shim timestamp lines', () => {
  it('fold the elapsed time into the offset so a rate change does not leap', () => {
    expect(timestampSpec({ offsetMs: 1500, rate: 1 }, 0, 10_000)).toBe('+1.500 x1\n');
    expect(timestampSpec({ offsetMs: -250, rate: 1 }, 0, 0)).toBe('-0.250 x1\n');
    // 10 s after start at rate 2: the shim would add 10 s; the offset takes it back.
    expect(timestampSpec({ offsetMs: 0, rate: 2 }, 0, 10_000)).toBe('-10.000 x2\n');
    expect(() => timestampSpec({ offsetMs: 0, rate: 0 }, 0, 0)).toThrow(/positive/);
  });

  it('write rates as plain decimals, the only numbers the shim reads', () => {
    expect(timestampSpec({ offsetMs: 0, rate: 0.25 }, 0, 0)).toBe('+0.000 x0.25\n');
    expect(timestampSpec({ offsetMs: 0, rate: 1e-7 }, 0, 0)).toBe('+0.000 x0.000000100\n');
  });

  it('a missing shim is one line saying how to build it', () => {
    expect(() => findClockShim('/nonexistent/clock-shim.so')).toThrow(/^clock faults need the clock shim, which is not built \(no \/nonexistent\/clock-shim.so\): npm run build:clock-shim/);
    expect(() => findClockShim('/nonexistent/clock-shim.so')).toThrow(expect.objectContaining({ name: 'SetupError' }));
  });
});

describe('the nodes’ programs, before a run (the docker image brings its own)', () => {
  const nodes = { what: 'the x target', programs: [{ program: 'no-such-program-here', install: 'apt-get install -y x-server' }, { program: 'sh', install: 'never' }] };

  it('the local provisioner, whose nodes run on this machine, needs them on its PATH: one line saying what to install', async () => {
    await expect(new LocalProvisioner().preflight(nodes)).rejects.toThrow(
      new SetupError('the x target needs no-such-program-here, not found on the PATH: apt-get install -y x-server'),
    );
  });
});
