// The plan: section read against the topology: every bad name reported at its path, and the moves of an
// evacuation — capacity-aware, never onto an evacuated host, nearest first (rack, pod, site), spread out.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load.js';
import { goalOf } from './plan-support.js';

const FAT_TREE = `topology: { kind: fat-tree, k: 4, link: { capacity: 10 Gbit/s, latency: 2 us } }
hosts: { cores: 8, memory: 64 GiB }
`;

function problems(text: string): string[] {
  try {
    goalOf(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('goal problems (exit 2 in the command)', () => {
  it('names each unknown host, rack, pod and site at its path', () => {
    const found = problems(`${FAT_TREE}vms: [{ id: v, host: h0-0-0, memory: 1 GiB }]
plan: { evacuate: { hosts: [nowhere], racks: [e9-9], pods: [7], sites: [paris] } }
`);
    expect(found).toEqual([
      'plan-test.yaml: plan.evacuate.hosts[0]: unknown host "nowhere" (expected a host id such as "h0-0-0")',
      'plan-test.yaml: plan.evacuate.racks[0]: unknown rack "e9-9" (expected one of e0-0, e0-1, e1-0, e1-1, ...: an edge switch or leaf id)',
      'plan-test.yaml: plan.evacuate.pods[0]: no pod 7 (expected one of 0, 1, 2, 3)',
      'plan-test.yaml: plan.evacuate.sites[0]: unknown site "paris" (this topology has no sites: only wan topologies have them)',
    ]);
  });

  it('refuses an empty evacuate, a wrong objective and a fraction out of range (schema)', () => {
    const found = problems(`${FAT_TREE}vms: [{ id: v, host: h0-0-0, memory: 1 GiB }]
plan: { evacuate: {}, objective: speed, maxCoreUtilization: 2 }
`);
    expect(found.join('\n')).toContain('plan.evacuate: names nothing to evacuate');
    expect(found.join('\n')).toContain('plan.objective: "speed" is not allowed');
    expect(found.join('\n')).toContain('plan.maxCoreUtilization: 2 is out of range');
  });

  it('refuses evacuate beside listed migrations, and a plan with nothing to move', () => {
    expect(problems(`${FAT_TREE}vms: [{ id: v, host: h0-0-0, memory: 1 GiB }]
migrations: [{ vm: v, to: h1-0-0 }]
plan: { evacuate: { hosts: [h0-0-0] } }
`)).toEqual(['plan-test.yaml: plan.evacuate: the scenario also lists 1 migrations (expected either plan.evacuate, whose moves the planner chooses, or migrations, whose schedule it plans)']);
    expect(problems(`${FAT_TREE}vms: [{ id: v, host: h0-0-0, memory: 1 GiB }]
plan: { evacuate: { hosts: [h1-0-0] } }
`)).toEqual(['plan-test.yaml: plan.evacuate: no VM runs on the 1 evacuated hosts (expected hosts with VMs to move)']);
    expect(problems(`${FAT_TREE}vms: [{ id: v, host: h0-0-0, memory: 1 GiB }]
plan: {}
`)).toEqual(['plan-test.yaml: plan: nothing to plan (expected plan.evacuate, or migrations in the scenario)']);
  });

  it('says when no host left has room', () => {
    // Pods 0, 2 and 3 leave; every host of pod 1 runs 10 GiB of its 64 GiB: 54 GiB free, not 60.
    expect(problems(`${FAT_TREE}vms: [{ id: big, host: h0-0-0, memory: 60 GiB, vcpus: 8 }, { id: v2, host: h1-0-0, memory: 10 GiB },
  { id: v3, host: h1-0-1, memory: 10 GiB }, { id: v4, host: h1-1-0, memory: 10 GiB }, { id: v5, host: h1-1-1, memory: 10 GiB }]
plan: { evacuate: { pods: [0, 2, 3] } }
`)).toEqual(['plan-test.yaml: plan.evacuate: no host outside the evacuated ones has room for VM "big" (8 cores, 60 GiB memory; expected enough free cores and memory on the hosts left)']);
  });
});

describe('evacuation moves', () => {
  it('prefer the same rack, then the same pod, never an evacuated host, and spread over hosts', () => {
    // Evacuating h0-0-0 (rack e0-0): its rack neighbour h0-0-1 is the nearest host; it has room for two of
    // the three 16 GiB VMs by memory (64 GiB less the 30 GiB it runs = 34 GiB), so the third goes to the pod.
    const { goal } = goalOf(`${FAT_TREE}vms:
  - { id: a, host: h0-0-0, memory: 16 GiB }
  - { id: b, host: h0-0-0, memory: 16 GiB }
  - { id: c, host: h0-0-0, memory: 16 GiB }
  - { id: resident, host: h0-0-1, memory: 30 GiB }
plan: { evacuate: { hosts: [h0-0-0] } }
`);
    expect(goal.evacuatedHosts).toEqual(['h0-0-0']);
    expect(goal.moves.map(({ vm, to }) => `${vm}→${to}`)).toEqual(['a→h0-0-1', 'b→h0-0-1', 'c→h0-1-0']);
  });

  it('leave a pod for the other pods, one VM per host and rack before doubling up', () => {
    // Pod 0 has four hosts; its eight 1-vCPU VMs go to the twelve hosts of pods 1-3: all different hosts,
    // first one per rack of the six racks, spread over the pods.
    const vms = Array.from({ length: 8 }, (_, i) => `  - { id: v${i}, host: h0-${(i >> 1) & 1}-${i & 1}, memory: ${8 - i} GiB }`).join('\n');
    const { goal } = goalOf(`${FAT_TREE}vms:\n${vms}\nplan: { evacuate: { pods: [0] } }\n`);
    const destinations = goal.moves.map((m) => m.to);
    expect(new Set(destinations).size).toBe(8);
    expect(destinations.every((host) => !host.startsWith('h0-'))).toBe(true);
    // the six largest VMs, placed first, take one host in each of the six racks
    const racks = goal.moves.slice(0, 6).map((m) => m.to.replace(/-\d+$/, ''));
    expect(new Set(racks).size).toBe(6);
  });

  it('respect cores as well as memory', () => {
    // h0-0-1 has 8 cores, 6 of them taken: the 4-vCPU VM goes beyond the rack.
    const { goal } = goalOf(`${FAT_TREE}vms:
  - { id: wide, host: h0-0-0, memory: 1 GiB, vcpus: 4 }
  - { id: resident, host: h0-0-1, memory: 1 GiB, vcpus: 6 }
plan: { evacuate: { hosts: [h0-0-0] } }
`);
    expect(goal.moves).toEqual([{ vm: 'wide', from: 'h0-0-0', to: 'h0-1-0' }]);
  });
});
