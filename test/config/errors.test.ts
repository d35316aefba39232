// One test per kind of bad input (CONTRACT.md, "Bad input", and the schema's ranges): the path of the problem
// and what its message says; and that a document with several problems gets all of them.
import { describe, expect, test } from 'vitest';
import { ConfigError, formatConfigError, parseScenarioDocument } from '../../src/config/index.js';
import { STRATEGY_NAMES } from '../../src/migration/names.js';
import { expectIssue, expectOnly, fatTreeDocument, graphDocument, issuesOf } from './helpers.js';

describe('shape', () => {
  test('an unknown key is named, with the keys allowed there', () => {
    const document = graphDocument();
    document.vms[0].colour = 'blue';
    expectOnly(document, 'vms[0].colour', /^unknown key \(expected one of: id, host, memory, vcpus, cpuLoad, workload, content/);
  });

  test('a misspelt key gets a suggestion', () => {
    const document = graphDocument();
    document.vms[0].memroy = '1 GiB';
    expectIssue(document, 'vms[0].memroy', /did you mean "memory"\?/);
  });

  test('unknown keys at the top level and deep inside', () => {
    const document = fatTreeDocument();
    document.colour = 1;
    document.topology.link.jitter = '1 us';
    document.defaults = { migration: { optimizations: { zeroPage: true } } };
    const paths = issuesOf(document).map((problem) => problem.path);
    expect(paths).toEqual(['topology.link.jitter', 'colour', 'defaults.migration.optimizations.zeroPage']);
  });

  test('a missing required field', () => {
    const document = graphDocument();
    delete document.vms[1].memory;
    expectOnly(document, 'vms[1].memory', /^missing \(expected a size such as "4 GiB"\)/);
  });

  test('a missing topology', () => {
    expectOnly({}, 'topology', /^missing \(expected a mapping\)/);
  });

  test('a wrong type', () => {
    const document = graphDocument();
    document.vms[0].id = 7;
    document.vms[1].vcpus = '2';
    document.migrations[0].autoConverge = 'yes';
    const issues = issuesOf(document);
    expect(issues).toContainEqual({ path: 'vms[0].id', message: 'is 7, a number (expected a VM id)' });
    expect(issues).toContainEqual({ path: 'vms[1].vcpus', message: 'is "2", a string (expected a whole number at least 1)' });
    expect(issues).toContainEqual({ path: 'migrations[0].autoConverge', message: 'is "yes", a string (expected true or false)' });
  });

  test('vms must be a list', () => {
    const document = graphDocument();
    document.vms = { v1: { host: 'a1' } };
    expectIssue(document, 'vms', /is a mapping \(expected a list\)/);
  });
});

describe('quantities', () => {
  test('a wrong unit', () => {
    const document = graphDocument();
    document.topology.links[3].capacity = '10 GiB';
    expectOnly(document, 'topology.links[3].capacity', /"10 GiB" is a size \(expected a rate such as "10 Gbit\/s"/);
  });

  test('a negative size', () => {
    const document = graphDocument();
    document.vms[0].memory = '-3 GiB';
    expectOnly(document, 'vms[0].memory', /"-3 GiB" must be a finite, non-negative size/);
  });

  test('a non-finite size', () => {
    const document = graphDocument();
    document.vms[0].memory = '1e400 GiB';
    expectOnly(document, 'vms[0].memory', /must be a finite, non-negative size/);
  });

  test('zero memory and zero capacity', () => {
    const document = graphDocument();
    document.vms[0].memory = '0 GiB';
    document.topology.links[0].capacity = 0;
    const issues = issuesOf(document);
    expect(issues).toContainEqual({ path: 'topology.links[0].capacity', message: '0 must be greater than zero (expected a rate such as "10 Gbit/s")' });
    expect(issues).toContainEqual({ path: 'vms[0].memory', message: '"0 GiB" must be greater than zero (expected a size such as "4 GiB")' });
  });

  test('maxBandwidth takes a rate or "none"', () => {
    const document = graphDocument();
    document.migrations[0].maxBandwidth = 'lots';
    expectOnly(document, 'migrations[0].maxBandwidth', /is not a quantity.*or "none" for no limit\)$/);
  });

  test('the MTU is a whole number of bytes in the IPv4 range', () => {
    const document = graphDocument();
    document.network = { mtu: '64 KiB' };
    expectOnly(document, 'network.mtu', /65536 B is out of range \(expected a whole number of bytes from 68 to 65535\)/);
  });
});

describe('ranges', () => {
  test.each([
    ['cpuLoad', { cpuLoad: 1.5 }, 'vms[0].cpuLoad', /1.5 is out of range \(expected a number from 0 to 1\)/],
    ['hotFraction', { workload: { hotSet: '1 MiB', hotFraction: -0.1 } }, 'vms[0].workload.hotFraction', /out of range/],
    ['compressRatio 0', { content: { compressRatio: 0 } }, 'vms[0].content.compressRatio', /expected a number greater than 0 and at most 1/],
    ['compressRatio > 1', { content: { compressRatio: 1.2 } }, 'vms[0].content.compressRatio', /out of range/],
    ['zeroFraction', { content: { zeroFraction: 2 } }, 'vms[0].content.zeroFraction', /expected a number from 0 to 1/],
    ['sharedFraction', { content: { sharedFraction: -1 } }, 'vms[0].content.sharedFraction', /expected a number from 0 to 1/],
    ['vcpus', { vcpus: 1.5 }, 'vms[0].vcpus', /1.5 is not a whole number \(expected a whole number at least 1\)/],
    ['vcpus 0', { vcpus: 0 }, 'vms[0].vcpus', /0 is too small/],
    ['pattern', { workload: { pattern: 'zigzag' } }, 'vms[0].workload.pattern', /"zigzag" is not allowed \(expected one of: random, sequential\)/],
    ['hotSet > memory', { workload: { hotSet: '2 GiB' } }, 'vms[0].workload.hotSet', /larger than the VM's memory/],
    ['hotFraction without hotSet', { workload: { hotFraction: 0.5 } }, 'vms[0].workload.hotFraction', /hot set of 0 B \(expected a hotSet greater than 0/],
  ])('%s', (_label, change, path, pattern) => {
    const document = graphDocument();
    Object.assign(document.vms[0], change);
    expectOnly(document, path, pattern);
  });

  test('fat-tree k: even, at least 2, at most 80', () => {
    const document = fatTreeDocument();
    document.vms = [];
    document.migrations = [];
    for (const [k, pattern] of [
      [5, /5 is odd \(expected an even whole number from 2 to 80\)/],
      [0, /0 is too small/],
      [82, /82 is too large: a k=82 fat-tree has 137842 hosts/],
      // Within the schema's bound but over the default limits.maxHosts (src/config/limits.ts).
      [66, /a k=66 fat-tree has 71874 hosts, more than limits.maxHosts = 65536 \(expected at most 65536, or raise limits.maxHosts, up to 131072\)/],
      [4.5, /not a whole number/],
      ['4', /not a whole number/],
    ] as const) {
      document.topology.k = k;
      expectOnly(document, 'topology.k', pattern);
    }
  });

  test('a leaf-spine fabric with too many hosts', () => {
    expectIssue(
      { topology: { kind: 'leaf-spine', leaves: 1000, spines: 4, hostsPerLeaf: 200, link: { capacity: '1 Gbit/s', latency: 0 } } },
      'topology.hostsPerLeaf',
      /200000 hosts is too many \(expected at most 131072 hosts\)/,
    );
    expectIssue(
      { topology: { kind: 'leaf-spine', leaves: 1000, spines: 4, hostsPerLeaf: 100, link: { capacity: '1 Gbit/s', latency: 0 } } },
      'topology.hostsPerLeaf',
      /has 100000 hosts, more than limits.maxHosts = 65536/,
    );
  });

  test('the seed is a 32-bit whole number', () => {
    const document = graphDocument();
    document.seed = -1;
    expectOnly(document, 'seed', /expected a whole number from 0 to 4294967295/);
  });

  test('host max power below idle', () => {
    const document = graphDocument();
    document.hosts = { power: { idle: '100 W', max: '90 W' }, overrides: { a1: { power: { idle: '200 W' } } } };
    const issues = issuesOf(document);
    expect(issues).toContainEqual({ path: 'hosts.power.max', message: '90 W is below the idle power 100 W (expected max ≥ idle)' });
    expect(issues.some((problem) => problem.path === 'hosts.overrides.a1.power.idle')).toBe(true);
  });

  test('the bounded schedule needs maxConcurrent', () => {
    const document = graphDocument();
    document.schedule = { policy: 'bounded' };
    expectOnly(document, 'schedule.maxConcurrent', /missing/);
  });
});

describe('names not supported yet', () => {
  test('an unknown topology kind', () => {
    expectOnly(
      { topology: { kind: 'torus' } },
      'topology.kind',
      /unknown topology kind "torus" \(expected one of: graph, fat-tree, leaf-spine, wan, graphml\)/,
    );
  });

  test('a strategy CONTRACT.md names but not implemented, and an unknown one', () => {
    const document = graphDocument();
    const notYet = ['stop-and-copy', 'precopy', 'postcopy', 'hybrid'].find((name) => !(STRATEGY_NAMES as readonly string[]).includes(name));
    document.migrations[0].strategy = 'teleport';
    if (notYet !== undefined) document.migrations[1].strategy = notYet;
    const issues = issuesOf(document);
    expect(issues).toContainEqual({ path: 'migrations[0].strategy', message: expect.stringMatching(/^unknown strategy "teleport" \(expected one of: /) });
    if (notYet !== undefined) {
      expect(issues).toContainEqual({
        path: 'migrations[1].strategy',
        message: `strategy "${notYet}" is not supported yet (supported: ${STRATEGY_NAMES.join(', ')})`,
      });
    }
  });

  test('a misspelt strategy gets a suggestion', () => {
    const document = graphDocument();
    document.defaults = { migration: { strategy: STRATEGY_NAMES[0].toUpperCase() } };
    expectOnly(document, 'defaults.migration.strategy', new RegExp(`did you mean "${STRATEGY_NAMES[0]}"`));
  });

  test('an unknown schedule policy', () => {
    const document = graphDocument();
    document.schedule = { policy: 'rack-groupd' };
    const issues = issuesOf(document);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('schedule.policy');
    expect(issues[0]?.message).toMatch(/did you mean "rack-grouped"/);
  });

  // Storage modes, addressing schemes and VM disks are all supported: test/config/storage.test.ts.
});

describe('references', () => {
  test('duplicate VM ids', () => {
    const document = graphDocument();
    document.vms[1].id = 'v1';
    document.migrations.pop();
    expectOnly(document, 'vms[1].id', /duplicate VM id "v1" \(first at vms\[0\]/);
  });

  test('duplicate node ids in a graph', () => {
    const document = graphDocument();
    document.topology.nodes.push({ id: 'sa', kind: 'switch' });
    expectOnly(document, 'topology.nodes[5].id', /duplicate node id "sa" \(first at topology.nodes\[3\]/);
  });

  test('a link to a node that does not exist', () => {
    const document = graphDocument();
    document.topology.links[3].to = 'sc';
    expectIssue(document, 'topology.links[3].to', /unknown node "sc" \(expected a node id such as "a1"\)/);
  });

  test('a self-loop', () => {
    const document = graphDocument();
    document.topology.links.push({ from: 'sa', to: 'sa', capacity: 1, latency: 0 });
    expectOnly(document, 'topology.links[4].to', /joins "sa" to itself/);
  });

  test('two links between the same pair', () => {
    const document = graphDocument();
    document.topology.links.push({ from: 'sb', to: 'sa', capacity: 1, latency: 0 });
    expectOnly(document, 'topology.links[4]', /a second link between "sb" and "sa" \(first at topology.links\[3\]/);
  });

  test('a VM on a host that is not in the topology, and on a switch', () => {
    const document = fatTreeDocument();
    document.vms.push({ id: 'vm2', host: 'h9-9-9', memory: '1 GiB' }, { id: 'vm3', host: 'e0-0', memory: '1 GiB' });
    const issues = issuesOf(document);
    expect(issues).toEqual([
      { path: 'vms[1].host', message: 'unknown host "h9-9-9" (expected a host id such as "h0-0-0")' },
      { path: 'vms[2].host', message: '"e0-0" is a switch, not a host (expected a host id such as "h0-0-0")' },
    ]);
  });

  test('a migration of an unknown VM', () => {
    const document = graphDocument();
    document.migrations[1].vm = 'v9';
    expectOnly(document, 'migrations[1].vm', /unknown VM "v9" \(expected a VM id such as "v1"\)/);
  });

  test('two migrations of the same VM', () => {
    const document = graphDocument();
    document.migrations[1].vm = 'v1';
    expectOnly(document, 'migrations[1].vm', /"v1" already migrates in migrations\[0\] \(expected one migration per VM\)/);
  });

  test('a migration to an unknown host', () => {
    const document = fatTreeDocument();
    document.migrations[0].to = 'nowhere';
    expectOnly(document, 'migrations[0].to', /^unknown host "nowhere" \(expected a host id such as "h0-0-0"\)$/);
  });

  test('a migration without a destination', () => {
    const document = graphDocument();
    delete document.migrations[0].to;
    expectOnly(document, 'migrations[0].to', /missing \(expected a host id, here or in defaults.migration.to\)/);
  });

  test('a bad destination in defaults.migration is reported once', () => {
    const document = graphDocument();
    document.defaults = { migration: { to: 'sb' } };
    for (const migration of document.migrations) delete migration.to;
    expectOnly(document, 'defaults.migration.to', /"sb" is a switch, not a host/);
  });

  test('a migration to the host the VM is on', () => {
    const document = graphDocument();
    document.migrations[0].to = 'a1';
    expectOnly(document, 'migrations[0].to', /"a1" is where v1 already runs \(expected a different host\)/);
  });

  test('after naming a VM without a migration, and an unknown VM', () => {
    const document = graphDocument();
    document.vms.push({ id: 'v3', host: 'b1', memory: '1 GiB' });
    document.migrations[0].after = ['v3', 'v7'];
    const issues = issuesOf(document);
    expect(issues).toEqual([
      { path: 'migrations[0].after[0]', message: '"v3" has no migration (expected the id of a VM that migrates)' },
      { path: 'migrations[0].after[1]', message: 'unknown VM "v7" (expected a VM id such as "v1")' },
    ]);
  });

  test('a cycle in after, and a migration waiting for itself', () => {
    const document = graphDocument();
    document.migrations[0].after = ['v2'];
    document.migrations[1].after = ['v1'];
    expectOnly(document, 'migrations[1].after[0]', /cycle: v1 → v2 → v1/);
    document.migrations[0].after = ['v1'];
    document.migrations[1].after = [];
    expectOnly(document, 'migrations[0].after[0]', /cycle: v1 → v1/);
  });

  test('host overrides naming unknown hosts', () => {
    const document = fatTreeDocument();
    document.hosts = { overrides: { 'h0-0-0': { cores: 8 }, 'h7-0-0': { cores: 8 } } };
    expectOnly(document, 'hosts.overrides.h7-0-0', /unknown host "h7-0-0"/);
  });

  test('a destination the topology does not connect to the source', () => {
    const document = graphDocument();
    document.topology.links.pop(); // sa–sb: the two racks are now apart
    document.migrations.pop();
    expectOnly(document, 'migrations[0].to', /"b1" cannot be reached from "a1", where v1 runs/);
  });

  test('hosts of a graph are known even when the topology section has other problems', () => {
    const document = graphDocument();
    document.topology.links[0].latency = 'soon';
    document.migrations[0].to = 'nowhere';
    const paths = issuesOf(document).map((problem) => problem.path);
    expect(paths).toEqual(['topology.links[0].latency', 'migrations[0].to']);
  });
});

describe('all problems at once', () => {
  test('every problem of a document is reported, in document order, one line each', () => {
    const document = graphDocument();
    document.vms[0].memory = '-3 GiB';
    document.vms[0].colour = 'blue';
    document.migrations[0].to = 'nowhere';
    document.migrations[1].at = '5 GiB';
    document.topology.links[1].capacity = 'fast';
    document.schedule = { policy: 'bounded', maxConcurrent: 0 };
    let error: unknown;
    try {
      parseScenarioDocument(document, 'bad.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.file).toBe('bad.yaml');
    expect(configError.issues.map((problem) => problem.path)).toEqual([
      'topology.links[1].capacity',
      'vms[0].memory',
      'vms[0].colour',
      'migrations[0].to',
      'migrations[1].at',
      'schedule.maxConcurrent',
    ]);
    const lines = formatConfigError(configError).split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[3]).toBe('bad.yaml: migrations[0].to: unknown host "nowhere" (expected a host id such as "a1")');
    for (const line of lines) expect(line).toMatch(/^bad\.yaml: [\w.[\]-]+: .+\(.+\)/);
  });

  test('a document that is not a mapping', () => {
    expectOnly([1, 2], '(document)', /the document is a list \(expected a mapping/);
    expectOnly(null, '(document)', /the document is empty/);
  });
});
