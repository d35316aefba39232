// The storage and addressing fields (src/config/storage-schema.ts, storage-references.ts): defaults, ranges,
// and the checks across sections — a disk to move, a known subnet, l2 inside one subnet.
import { describe, expect, test } from 'vitest';
import { parseScenarioDocument } from '../../src/config/index.js';
import { expectOnly, graphDocument, issuesOf } from './helpers.js';

/** Two WAN sites, each a k=4 fat-tree; vm1 on dc1/h0-0-0. */
function wanDocument(): Record<string, any> {
  const fatTree = { kind: 'fat-tree', k: 4, link: { capacity: '10 Gbit/s', latency: '2 us' } };
  return {
    topology: {
      kind: 'wan',
      sites: [{ name: 'dc1', topology: fatTree }, { name: 'dc2', topology: fatTree }],
      wanLinks: [{ from: 'dc1', to: 'dc2', capacity: '1 Gbit/s', latency: '20 ms' }],
    },
    vms: [{ id: 'vm1', host: 'dc1/h0-0-0', memory: '4 GiB' }],
    migrations: [{ vm: 'vm1', to: 'dc2/h1-0-0', addressing: 'mobile-ipv4' }],
  };
}

describe('a VM disk', () => {
  test('defaults: no writes, spread over the whole disk; storage shared, before, unthrottled, l2', () => {
    const document = graphDocument();
    document.vms[0].disk = { size: '100 GiB' };
    const scenario = parseScenarioDocument(document, 'x.yaml');
    expect(scenario.vms[0]!.disk).toEqual({ sizeBytes: 100 * 2 ** 30, writeRateBytesPerS: 0, hotSetBytes: 100 * 2 ** 30, hotFraction: 1, pattern: 'random' });
    expect(scenario.vms[1]!.disk).toBeUndefined();
    expect(scenario.migrations[0]).toMatchObject({ storage: 'shared', storageOrder: 'before', diskWriteLimitBytesPerS: Infinity, addressing: 'l2' });
    expect(scenario.sdn).toEqual({ ruleUpdateS: 1e-3 });
  });

  test('every field in SI units, and the migration fields from defaults.migration', () => {
    const document = graphDocument();
    document.vms[0].disk = { size: '40 GB', writeRate: '20 MiB/s', hotSet: '2 GiB', hotFraction: 0.8, pattern: 'sequential' };
    document.defaults = { migration: { storage: 'mirror', storageOrder: 'concurrent', diskWriteLimit: '5 MB/s', addressing: 'sdn' } };
    document.network = { sdn: { controllerRtt: '3 ms', ruleUpdate: '2 ms' } };
    document.migrations[1].storage = 'shared';
    const scenario = parseScenarioDocument(document, 'x.yaml');
    expect(scenario.vms[0]!.disk).toEqual({ sizeBytes: 4e10, writeRateBytesPerS: 20 * 2 ** 20, hotSetBytes: 2 * 2 ** 30, hotFraction: 0.8, pattern: 'sequential' });
    expect(scenario.migrations[0]).toMatchObject({ storage: 'mirror', storageOrder: 'concurrent', diskWriteLimitBytesPerS: 5e6, addressing: 'sdn' });
    expect(scenario.migrations[1]!.storage).toBe('shared');
    expect(scenario.sdn).toEqual({ controllerRttS: 3e-3, ruleUpdateS: 2e-3 });
  });

  test('a hot set larger than the disk, a size of 0, an unknown key', () => {
    const document = graphDocument();
    document.vms[0].disk = { size: '1 GiB', hotSet: '2 GiB' };
    expectOnly(document, 'vms[0].disk.hotSet', /larger than the disk of 1073741824 B/);
    document.vms[0].disk = { size: 0 };
    expectOnly(document, 'vms[0].disk.size', /must be greater than zero/);
    document.vms[0].disk = { size: '1 GiB', writeRte: '1 MB/s' };
    expectOnly(document, 'vms[0].disk.writeRte', /unknown key \(did you mean "writeRate"\?/);
  });

  test('a storage mode that moves a disk needs one', () => {
    const document = graphDocument();
    document.migrations[0].storage = 'snapshot';
    expectOnly(document, 'migrations[0].storage', /^storage "snapshot" moves the VM's disk, but vms\[0\] \(v1\) has no disk \(expected disk: /);
    document.migrations[0].storage = 'teleport';
    expectOnly(document, 'migrations[0].storage', /"teleport" is not allowed \(expected one of: shared, snapshot, dirty-block, mirror\)/);
  });
});

describe('addressing across subnets', () => {
  test('l2 across WAN sites is a config error naming the field', () => {
    const document = wanDocument();
    delete document.migrations[0].addressing;
    expectOnly(
      document,
      'migrations[0].addressing',
      /^l2 \(the default\) cannot move vm1 from subnet dc1 to dc2\/h1-0-0 in subnet dc2: .* \(expected a scheme that crosses subnets: vxlan, netlord, vl2, mobile-ipv4, mobile-ipv6, sdn; or a destination in subnet dc1\)$/,
    );
    document.defaults = { migration: { addressing: 'l2' } };
    expectOnly(document, 'migrations[0].addressing', /^l2 \(from defaults.migration\) cannot move vm1/);
  });

  test('l2 inside a site, and every other scheme across sites, are fine', () => {
    const document = wanDocument();
    document.migrations[0] = { vm: 'vm1', to: 'dc1/h3-1-1', addressing: 'l2' };
    expect(issuesOf(document)).toEqual([]);
    for (const addressing of ['vxlan', 'netlord', 'vl2', 'mobile-ipv4', 'mobile-ipv6', 'sdn']) {
      const across = wanDocument();
      across.migrations[0].addressing = addressing;
      expect(issuesOf(across), addressing).toEqual([]);
    }
  });

  test('a VM whose home subnet is another site: l2 follows vm.subnet, and the subnet must exist', () => {
    const document = wanDocument();
    document.vms[0].subnet = 'dc2';
    document.migrations[0].addressing = 'l2';
    expect(issuesOf(document)).toEqual([]);
    document.vms[0].subnet = 'dc9';
    document.migrations[0].addressing = 'vxlan';
    expectOnly(document, 'vms[0].subnet', /^unknown subnet "dc9" \(expected a site name such as "dc1"\)$/);
    const single = graphDocument();
    single.vms[0].subnet = 'east';
    expectOnly(single, 'vms[0].subnet', /only a wan topology has subnets/);
  });
});
