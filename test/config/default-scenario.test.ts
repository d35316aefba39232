// The embedded default scenario validates, and is what its description says: a k=4 fat-tree, 10 Gbit/s links,
// four VMs of 1, 2, 4 and 8 GiB leaving pod 0 at 0 s, the strategy left at its default.
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_SCENARIO_FILE,
  DEFAULT_SCENARIO_NAME,
  DEFAULT_SCENARIO_YAML,
  DEFAULT_STRATEGY,
  parseScenarioDocument,
  readDefaultScenarioDocument,
} from '../../src/config/index.js';

describe('the default scenario', () => {
  const scenario = parseScenarioDocument(readDefaultScenarioDocument(), DEFAULT_SCENARIO_FILE);

  test('validates and has its name', () => {
    expect(scenario.name).toBe(DEFAULT_SCENARIO_NAME);
    expect(DEFAULT_SCENARIO_YAML).not.toMatch(/strategy/);
  });

  test('is a k=4 fat-tree of 10 Gbit/s, 2 us links', () => {
    expect(scenario.topology).toEqual({ kind: 'fat-tree', k: 4, link: { capacityBytesPerS: 1.25e9, latencyS: 2e-6 }, oversubscription: 1 });
  });

  test('moves four VMs of 1 to 8 GiB out of pod 0 at 0 s, two of them dirtying memory', () => {
    expect(scenario.vms.map((vm) => vm.memoryBytes)).toEqual([1, 2, 4, 8].map((gib) => gib * 2 ** 30));
    expect(scenario.vms.filter((vm) => vm.workload.dirtyRateBytesPerS > 0)).toHaveLength(2);
    for (const migration of scenario.migrations) {
      const vm = scenario.vms.find((candidate) => candidate.id === migration.vm);
      expect(vm?.host.startsWith('h0-')).toBe(true);
      expect(migration.to.startsWith('h0-')).toBe(false);
      expect(migration.atS).toBe(0);
      expect(migration.strategy).toBe(DEFAULT_STRATEGY);
    }
    expect(scenario.migrations).toHaveLength(4);
  });
});
