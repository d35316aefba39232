// The migration field convergenceCheck (src/config/schema.ts): where precopy tests convergence, its hypervisor
// profile's by default (qemu for QEMU, round-end for Xen and VMware) or as written; carried into the scenario's
// MigrationSpec; any other value is a config error naming the two.
import { describe, expect, test } from 'vitest';
import { parseScenarioDocument } from '../../src/config/index.js';
import { expectOnly, graphDocument } from './helpers.js';

describe('convergenceCheck', () => {
  test("defaults to the hypervisor profile's: qemu for QEMU (the default), round-end for Xen", () => {
    const [first] = parseScenarioDocument(graphDocument(), 'x.yaml').migrations;
    expect(first?.convergenceCheck).toBe('qemu');
    const [xen] = parseScenarioDocument({ ...graphDocument(), hypervisor: 'xen' }, 'x.yaml').migrations;
    expect(xen?.convergenceCheck).toBe('round-end');
  });

  test('is taken per migration, else from defaults.migration', () => {
    const document = graphDocument();
    document.defaults = { migration: { convergenceCheck: 'qemu' } };
    document.migrations[1].convergenceCheck = 'round-end';
    const [first, second] = parseScenarioDocument(document, 'x.yaml').migrations;
    expect(first?.convergenceCheck).toBe('qemu');
    expect(second?.convergenceCheck).toBe('round-end');
  });

  test('applies to hybrid as well (its precopy part)', () => {
    const document = graphDocument();
    Object.assign(document.migrations[0], { strategy: 'hybrid', convergenceCheck: 'qemu' });
    expect(parseScenarioDocument(document, 'x.yaml').migrations[0]).toMatchObject({ strategy: 'hybrid', convergenceCheck: 'qemu' });
  });

  test('a value that is not one of the two is an error at its path', () => {
    const document = graphDocument();
    document.migrations[0].convergenceCheck = 'every-100-ms';
    expectOnly(document, 'migrations[0].convergenceCheck', /^"every-100-ms" is not allowed \(expected one of: round-end, qemu\)/);
  });

  test('a value of the wrong kind, in defaults.migration too', () => {
    const document = graphDocument();
    document.defaults = { migration: { convergenceCheck: true } };
    expectOnly(document, 'defaults.migration.convergenceCheck', /^is true, a boolean \(expected one of: round-end, qemu\)/);
  });
});
