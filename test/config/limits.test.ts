// The `limits` section (src/config/limits.ts): its defaults, size limits refused at validation with the limit
// named (and nothing large built first), and run-length limits that stop a run with a RunLimitError, which the
// CLI reports as a problem of the file at `limits.<name>`.
import { describe, expect, test } from 'vitest';
import { ConfigError, parseScenarioDocument } from '../../src/config/index.js';
import { DEFAULT_MAX_HOSTS, DEFAULT_MAX_LINKS, MAX_HOSTS_CEILING } from '../../src/config/limits.js';
import { limitProblem, runWithLimits } from '../../src/cli/run-limits.js';
import { RunLimitError } from '../../src/engine/run-limit-error.js';
import { runScenario } from '../../src/engine/run-scenario.js';
import { expectIssue, expectOnly, fatTreeDocument, graphDocument, issuesOf } from './helpers.js';

const LINK = { capacity: '1 Gbit/s', latency: '10 us' };

/** Runs a document in-process; returns the RunLimitError it stops with, or undefined when it ends. */
function stoppedBy(document: Record<string, unknown>, clock?: () => number): RunLimitError | undefined {
  const scenario = parseScenarioDocument(document, 'test.yaml');
  try {
    runScenario(scenario, clock === undefined ? {} : { clock });
  } catch (error) {
    if (error instanceof RunLimitError) return error;
    throw error;
  }
  return undefined;
}

describe('defaults', () => {
  test('every limit has a default, and a k=64 fat-tree is within them', () => {
    expect(DEFAULT_MAX_HOSTS).toBe(64 ** 3 / 4);
    expect(DEFAULT_MAX_LINKS).toBeGreaterThanOrEqual((3 * 64 ** 3) / 4);
    const scenario = parseScenarioDocument(fatTreeDocument(), 'test.yaml');
    expect(scenario.limits).toEqual({
      maxHosts: 65_536,
      maxLinks: 262_144,
      maxVms: 100_000,
      maxMigrations: 100_000,
      maxFlows: 100_000,
      maxEvents: 50_000_000,
      maxSimulatedTimeS: 365.25 * 86_400,
      maxWallTimeS: 3600,
    });
  });

  test('limits are written with units like any quantity', () => {
    const document = { ...graphDocument(), limits: { maxSimulatedTime: '2 h', maxWallTime: '1500 ms', maxEvents: 10 } };
    const { limits } = parseScenarioDocument(document, 'test.yaml');
    expect([limits.maxSimulatedTimeS, limits.maxWallTimeS, limits.maxEvents]).toEqual([7200, 1.5, 10]);
  });
});

describe('the limits section itself', () => {
  test.each([
    ['maxHosts', 0, /0 is too small \(expected a whole number from 1 to 131072/],
    ['maxHosts', MAX_HOSTS_CEILING + 1, /131073 is too large \(expected a whole number from 1 to 131072: larger topologies do not fit the Node heap\)/],
    ['maxEvents', 1.5, /1.5 is not a whole number/],
    ['maxVms', -1, /-1 is too small/],
    ['maxWallTime', '0 s', /must be greater than zero \(expected a time/],
    ['maxSimulatedTime', '1 GiB', /is a size \(expected a time/],
    ['maxEvent', 5, /^unknown key \(did you mean "maxEvents"\?/],
  ])('limits.%s: %s', (key, value, pattern) => {
    expectOnly({ ...graphDocument(), limits: { [key]: value } }, `limits.${key}`, pattern);
  });

  test('a list where the mapping belongs', () => {
    expectOnly({ ...graphDocument(), limits: [] }, 'limits', /^is a list \(expected a mapping\)/);
  });
});

describe('sizes, refused at validation', () => {
  test('more hosts than limits.maxHosts: the graph is not checked further', () => {
    const document = { ...graphDocument(), limits: { maxHosts: 2 } };
    expectOnly(document, 'topology.nodes', /^the graph has 3 hosts, more than limits.maxHosts = 2 \(expected at most 2, or raise limits.maxHosts, up to 131072\)$/);
  });

  test('more links than limits.maxLinks', () => {
    expectOnly({ ...graphDocument(), limits: { maxLinks: 3 } }, 'topology.links', /the graph has 4 links, more than limits.maxLinks = 3/);
  });

  // Found by the fuzzer: spines had no bound, and a leaf-spine of 1e9 spines was built link by link (a hang).
  test('leaf-spine with 1e9 spines is refused before it is built', () => {
    const started = performance.now();
    const document = { topology: { kind: 'leaf-spine', leaves: 2, spines: 1e9, hostsPerLeaf: 2, link: LINK } };
    expectOnly(document, 'topology.spines', /has 2000000004 links, more than limits.maxLinks = 262144 \(expected at most 262144, or raise limits.maxLinks, up to 524288\)/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test('a WAN counts the hosts of all its sites', () => {
    const site = (name: string) => ({ name, topology: { kind: 'fat-tree', k: 64, link: LINK } });
    const document = { topology: { kind: 'wan', sites: [site('a'), site('b')], wanLinks: [{ from: 'a', to: 'b', ...LINK }] } };
    expectIssue(document, 'topology.sites', /^the 2 sites together have 131072 hosts, more than limits.maxHosts = 65536/);
    // 2 × (3·64³/4 cables + 64²/4 gateway links) + 1 WAN link
    expectIssue(document, 'topology.sites', /^the 2 sites together have 395265 links, more than limits.maxLinks = 262144/);
  });

  test('a k=66 fat-tree is within the schema but over the default maxHosts; raising the limit admits it', () => {
    const document = fatTreeDocument();
    document.topology.k = 66;
    document.vms = [];
    document.migrations = [];
    expectOnly(document, 'topology.k', /a k=66 fat-tree has 71874 hosts, more than limits.maxHosts = 65536/);
    // Raised to the ceiling, the only problem left is the link count (3·66³/4 = 215622 cables ≤ 262144): none.
    document.limits = { maxHosts: MAX_HOSTS_CEILING };
    expect(issuesOf({ ...document, topology: { ...document.topology, k: 6 } })).toEqual([]);
  });

  test('more VMs, migrations or flows than their limits', () => {
    const document = { ...graphDocument(), limits: { maxVms: 1, maxMigrations: 1, maxFlows: 0 }, traffic: [{ from: 'v1', to: 'b1' }] };
    expectIssue(document, 'vms', /^2 VMs are more than limits.maxVms = 1 \(expected at most 1, or raise limits.maxVms\)$/);
    expectIssue(document, 'migrations', /^2 migrations are more than limits.maxMigrations = 1/);
    expectIssue(document, 'traffic', /^1 flows are more than limits.maxFlows = 0/);
  });
});

describe('run lengths, stopped while running', () => {
  /** One precopy migration over a lone 1 Gbit/s path, of a VM writing 60 MiB/s: several rounds, tens of events. */
  function precopy(limits: Record<string, unknown>): Record<string, unknown> {
    return {
      topology: {
        kind: 'graph',
        nodes: [{ id: 'a', kind: 'host' }, { id: 's', kind: 'switch' }, { id: 'b', kind: 'host' }],
        links: [{ from: 'a', to: 's', ...LINK }, { from: 's', to: 'b', ...LINK }],
      },
      vms: [{ id: 'v', host: 'a', memory: '1 GiB', workload: { dirtyRate: '60 MiB/s' } }],
      migrations: [{ vm: 'v', to: 'b', strategy: 'precopy' }],
      limits,
    };
  }

  test('within its limits the run ends', () => {
    expect(stoppedBy(precopy({}))).toBeUndefined();
  });

  test('limits.maxEvents', () => {
    const stop = stoppedBy(precopy({ maxEvents: 3 }));
    expect(stop?.limit).toBe('maxEvents');
    expect(stop?.message).toMatch(/^run stopped: more than 3 events at [\d.e-]+ s of simulated time$/);
  });

  test('limits.maxSimulatedTime: no event runs past it', () => {
    const document = precopy({ maxSimulatedTime: '1 min' });
    (document.migrations as Record<string, unknown>[])[0]!.at = '2 min';
    const stop = stoppedBy(document);
    expect(stop?.limit).toBe('maxSimulatedTime');
    expect(stop?.message).toBe('run stopped: an event is due at 120 s of simulated time, past 60 s');
  });

  test('limits.maxWallTime, by the clock the caller injects (here one that moves 1 s per reading)', () => {
    let readings = 0;
    const clock = (): number => readings++;
    const stop = stoppedBy(precopy({ maxWallTime: '2.5 s' }), clock);
    expect(stop?.limit).toBe('maxWallTime');
    // Read once for the deadline (0 + 2.5 s), then after each event: the third event reads 3 > 2.5.
    expect(stop?.message).toMatch(/^run stopped: more than 2.5 s of wall-clock time, at [\d.e-]+ s of simulated time after 3 events$/);
  });

  test('without a clock, wall time is not limited: in-process runs stay deterministic', () => {
    expect(stoppedBy(precopy({ maxWallTime: '1 ns' }))).toBeUndefined();
  });

  test('the CLI reports a stopped run as a problem of the file, at the limit', () => {
    const scenario = parseScenarioDocument(precopy({ maxEvents: 3 }), 'plan.yaml');
    let caught: unknown;
    try {
      runWithLimits(scenario, 'plan.yaml');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toMatch(
      /^plan.yaml: limits.maxEvents: run stopped: more than 3 events at .* \(expected a run within limits.maxEvents = 3; raise it in the scenario if the run is meant to go on\)$/,
    );
    const wall = limitProblem(new RunLimitError('maxWallTime', 2, 'x'), 'f.yaml');
    expect(wall.message).toBe('f.yaml: limits.maxWallTime: run stopped: x (expected a run within limits.maxWallTime = 2 s; raise it in the scenario if the run is meant to go on)');
  });
});
