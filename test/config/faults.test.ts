// The `faults` section and the migration fields of fault handling (src/config/fault-schema.ts,
// fault-references.ts): targets checked against the topology, capacity only for degrade, defaults.
import { describe, expect, test } from 'vitest';
import { parseScenarioDocument } from '../../src/config/index.js';
import { DEFAULT_STALL_TIMEOUT_S } from '../../src/config/fault-schema.js';
import { expectIssue, expectOnly, graphDocument } from './helpers.js';

describe('faults', () => {
  test('targets resolve: a host, a cable written either way; stallTimeout and retry defaults', () => {
    const document = graphDocument();
    document.faults = [
      { at: '1 s', kind: 'link-down', target: { from: 'sb', to: 'sa' } },
      { at: '2 s', kind: 'degrade', target: { from: 'sa', to: 'sb' }, capacity: '1 Gbit/s' },
      { at: '3 s', kind: 'host-crash', target: 'b1' },
    ];
    document.migrations[1].retry = { attempts: 2, backoff: '5 s' };
    const scenario = parseScenarioDocument(document, 'x.yaml');
    expect(scenario.faults).toEqual([
      { atS: 1, kind: 'link-down', target: { from: 'sb', to: 'sa' } },
      { atS: 2, kind: 'degrade', target: { from: 'sa', to: 'sb' }, capacityBytesPerS: 1.25e8 },
      { atS: 3, kind: 'host-crash', target: { host: 'b1' } },
    ]);
    expect(scenario.migrations[0]?.stallTimeoutS).toBe(DEFAULT_STALL_TIMEOUT_S);
    expect(scenario.migrations[0]?.retry).toBeUndefined();
    expect(scenario.migrations[1]?.retry).toEqual({ attempts: 2, backoffS: 5 });
  });

  test('unknown host, unknown node, nodes without a cable', () => {
    const document = graphDocument();
    document.faults = [
      { at: 0, kind: 'host-crash', target: 'zz' },
      { at: 0, kind: 'link-down', target: { from: 'a1', to: 'nope' } },
      { at: 0, kind: 'link-down', target: { from: 'a1', to: 'b1' } },
      { at: 0, kind: 'link-down', target: 'sa' },
    ];
    expectIssue(document, 'faults[0].target', /unknown host "zz"/);
    expectIssue(document, 'faults[1].target', /unknown node "nope"/);
    expectIssue(document, 'faults[2].target', /no cable joins "a1" and "b1"/);
    expectIssue(document, 'faults[3].target', /"sa" is a switch, not a host/);
  });

  test('capacity only for degrade, required there; a cable cannot crash; stallTimeout positive', () => {
    const withFault = (fault: Record<string, unknown>): Record<string, any> => ({ ...graphDocument(), faults: [fault] });
    expectOnly(withFault({ at: 0, kind: 'degrade', target: 'a1' }), 'faults[0].capacity', /missing/);
    expectOnly(withFault({ at: 0, kind: 'link-down', target: 'a1', capacity: '1 Gbit/s' }), 'faults[0].capacity', /only degrade/);
    expectOnly(withFault({ at: 0, kind: 'host-crash', target: { from: 'a1', to: 'sa' } }), 'faults[0].target', /cannot crash/);
    expectOnly(withFault({ at: 0, kind: 'explode', target: 'a1' }), 'faults[0].kind', /not allowed/);
    const document = graphDocument();
    document.defaults = { migration: { stallTimeout: 0 } };
    expectOnly(document, 'defaults.migration.stallTimeout', /greater than zero/);
  });
});
