// Defaults of schema.ts applied, defaults.migration merged under each migration, host overrides merged over
// the host defaults, and the document renamed into the Scenario type with SI units.
import { describe, expect, test } from 'vitest';
import { parseScenarioDocument } from '../../src/config/index.js';
import { STRATEGY_NAMES } from '../../src/migration/names.js';
import { fatTreeDocument, graphDocument } from './helpers.js';

describe('defaults', () => {
  test('a minimal document gets every default with its documented value', () => {
    const scenario = parseScenarioDocument(fatTreeDocument(), '/some/where/pod-move.yaml');
    // the name defaults to the file name without its extension
    expect(scenario.name).toBe('pod-move');
    expect(scenario.seed).toBe(1);
    // Ethernet MTU 1500 B; 38 B framing + 20 B IPv4 + 20 B TCP; SimGrid's 4 MiB TCP gamma
    expect(scenario.network).toEqual({ mtuBytes: 1500, headerBytes: 78, tcpWindowBytes: 4194304 });
    // CloudSim's HP ProLiant ML110 G5 model: 93.7 W idle, 135 W at full load
    expect(scenario.hosts).toEqual({
      defaults: { cores: 32, memoryBytes: 256 * 2 ** 30, power: { kind: 'linear', idleW: 93.7, maxW: 135 }, switchOff: false },
      overrides: {},
    });
    expect(scenario.topology).toEqual({
      kind: 'fat-tree',
      k: 4,
      link: { capacityBytesPerS: 1.25e9, latencyS: 2e-6 },
      oversubscription: 1,
    });
    // toMatchObject: fields the migration models add to VMs and migrations (freeFraction, prepaging, ...) carry
    // their own defaults, tested with those models.
    expect(scenario.vms).toMatchObject([
      {
        id: 'vm1',
        host: 'h0-0-0',
        memoryBytes: 4 * 2 ** 30,
        vcpus: 1,
        cpuLoad: 0,
        workload: { dirtyRateBytesPerS: 0, hotSetBytes: 0, hotFraction: 0, pattern: 'random' },
        content: { zeroFraction: 0, compressRatio: 1, sharedFraction: 0 },
      },
    ]);
    const expectedStrategy = (STRATEGY_NAMES as readonly string[]).includes('precopy') ? 'precopy' : STRATEGY_NAMES[0];
    expect(scenario.migrations).toMatchObject([
      {
        vm: 'vm1',
        to: 'h1-0-0',
        atS: 0,
        after: [],
        strategy: expectedStrategy,
        hypervisor: 'qemu',
        downtimeLimitS: 0.3, // QEMU's downtime-limit (options.c DEFAULT_MIGRATE_SET_DOWNTIME)
        convergenceCheck: 'qemu',
        maxRounds: Infinity, // QEMU iterates until it converges or is cancelled
        maxBandwidthBytesPerS: 128 * 2 ** 20, // QEMU's max-bandwidth default (options.c MAX_THROTTLE)
        autoConverge: false,
        hybrid: {},
        optimizations: {
          zeroPages: false,
          freePages: false,
          compression: false,
          deltaCompression: false,
          dedup: false,
          irlm: false,
          deferHotPages: false,
        },
      },
    ]);
    expect(scenario.schedule).toEqual({ policy: 'as-written', orderBy: 'memory', onFull: 'refuse' });
    expect(scenario.horizonS).toBeUndefined();
  });

  test('the capabilities not built yet accept their neutral values', () => {
    const document = fatTreeDocument();
    Object.assign(document, { traffic: [], faults: [], policy: {} });
    Object.assign(document.migrations[0], { storage: 'shared', addressing: 'l2', encryption: 'none' });
    expect(() => parseScenarioDocument(document, 'x.yaml')).not.toThrow();
  });

  test('vms and migrations may be left out', () => {
    const scenario = parseScenarioDocument({ topology: fatTreeDocument().topology }, 'empty.json');
    expect(scenario.vms).toEqual([]);
    expect(scenario.migrations).toMatchObject([]);
  });
});

describe('defaults.migration', () => {
  test('applies to every migration that does not set the field, field by field inside nested mappings', () => {
    const document = graphDocument();
    document.defaults = {
      migration: {
        at: '5 s',
        downtimeLimit: '100 ms',
        maxRounds: 10,
        maxBandwidth: '1 Gbit/s',
        autoConverge: true,
        hybrid: { rounds: 3 },
        optimizations: { zeroPages: true, compression: true },
      },
    };
    document.migrations[1] = {
      vm: 'v2',
      to: 'b1',
      at: '1 s',
      maxBandwidth: 'none',
      hybrid: { time: '2 s' },
      optimizations: { compression: false, dedup: true },
      after: ['v1'],
    };
    const [first, second] = parseScenarioDocument(document, 'x.yaml').migrations;
    expect(first).toMatchObject({
      atS: 5,
      downtimeLimitS: 0.1,
      maxRounds: 10,
      maxBandwidthBytesPerS: 1.25e8,
      autoConverge: true,
      hybrid: { rounds: 3 },
      after: [],
    });
    expect(first?.optimizations).toMatchObject({ zeroPages: true, compression: true, dedup: false });
    expect(second).toMatchObject({
      atS: 1,
      downtimeLimitS: 0.1,
      maxRounds: 10,
      maxBandwidthBytesPerS: Infinity,
      hybrid: { rounds: 3, timeS: 2 },
      after: ['v1'],
    });
    expect(second?.optimizations).toMatchObject({ zeroPages: true, compression: false, dedup: true });
  });

  test('a destination may come from defaults.migration', () => {
    const document = graphDocument();
    document.defaults = { migration: { to: 'b1' } };
    document.migrations = [{ vm: 'v1' }, { vm: 'v2', to: 'a1' }];
    const migrations = parseScenarioDocument(document, 'x.yaml').migrations;
    expect(migrations.map((m) => m.to)).toEqual(['b1', 'a1']);
  });
});

describe('hosts', () => {
  test('overrides are merged over the host defaults', () => {
    const document = graphDocument();
    document.hosts = { cores: 16, power: { idle: '100 W', max: '250 W' }, overrides: { b1: { memory: '64 GiB', power: { max: '300 W' } } } };
    const { hosts } = parseScenarioDocument(document, 'x.yaml');
    expect(hosts.defaults).toEqual({ cores: 16, memoryBytes: 256 * 2 ** 30, power: { kind: 'linear', idleW: 100, maxW: 250 }, switchOff: false });
    expect(hosts.overrides).toEqual({ b1: { cores: 16, memoryBytes: 64 * 2 ** 30, power: { kind: 'linear', idleW: 100, maxW: 300 }, switchOff: false } });
  });
});

describe('the rest of the document', () => {
  test('graph topologies, VM workloads and content, schedule and horizon come through in SI units', () => {
    const document = graphDocument();
    document.seed = 42;
    document.horizon = '1 min';
    document.network = { mtu: '9000 B', headerBytes: 78, tcpWindow: '16 MiB' };
    document.vms[0] = {
      id: 'v1',
      host: 'a1',
      memory: '1 GiB',
      vcpus: 2,
      cpuLoad: 0.5,
      workload: { dirtyRate: '100 MiB/s', hotSet: '256 MiB', hotFraction: 0.9, pattern: 'sequential' },
      content: { zeroFraction: 0.2, compressRatio: 0.5, image: 'ubuntu', sharedFraction: 0.3 },
    };
    document.schedule = { policy: 'bounded', maxConcurrent: 2 };
    const scenario = parseScenarioDocument(document, 'x.yaml');
    expect(scenario.seed).toBe(42);
    expect(scenario.horizonS).toBe(60);
    expect(scenario.network).toEqual({ mtuBytes: 9000, headerBytes: 78, tcpWindowBytes: 16 * 2 ** 20 });
    expect(scenario.vms[0]).toMatchObject({
      id: 'v1',
      host: 'a1',
      memoryBytes: 2 ** 30,
      vcpus: 2,
      cpuLoad: 0.5,
      workload: { dirtyRateBytesPerS: 100 * 2 ** 20, hotSetBytes: 256 * 2 ** 20, hotFraction: 0.9, pattern: 'sequential' },
      content: { zeroFraction: 0.2, compressRatio: 0.5, image: 'ubuntu', sharedFraction: 0.3 },
    });
    expect(scenario.schedule).toEqual({ policy: 'bounded', maxConcurrent: 2, orderBy: 'memory', onFull: 'refuse' });
    expect(scenario.topology.kind).toBe('graph');
    if (scenario.topology.kind !== 'graph') return;
    expect(scenario.topology.nodes[0]).toEqual({ id: 'a1', kind: 'host' });
    expect(scenario.topology.links[3]).toEqual({ from: 'sa', to: 'sb', capacityBytesPerS: 1.25e9, latencyS: 1e-5, core: true });
    expect(scenario.topology.links[0]?.core).toBe(false);
  });

  test('leaf-spine with an uplink', () => {
    const scenario = parseScenarioDocument(
      {
        topology: { kind: 'leaf-spine', leaves: 4, spines: 2, hostsPerLeaf: 8, link: { capacity: '25 Gbit/s', latency: '1 us' }, uplink: { capacity: '100 Gbit/s', latency: '1 us' } },
        vms: [{ id: 'v', host: 'h0-0', memory: '1 GiB' }],
        migrations: [{ vm: 'v', to: 'h3-7' }],
      },
      'ls.yaml',
    );
    expect(scenario.topology).toEqual({
      kind: 'leaf-spine',
      leaves: 4,
      spines: 2,
      hostsPerLeaf: 8,
      link: { capacityBytesPerS: 25e9 / 8, latencyS: 1e-6 },
      uplink: { capacityBytesPerS: 100e9 / 8, latencyS: 1e-6 },
    });
  });
});
