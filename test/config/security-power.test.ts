// The security and power sections of a scenario: encryption fields of a migration, the policy and its rules,
// VM tenants, host power models (line, table, preset), switch-off, and the energy estimates' coefficients.
import { describe, expect, test } from 'vitest';
import { parseScenarioDocument } from '../../src/config/index.js';
import { HP_PROLIANT_ML110_G5_XEON3075_W } from '../../src/power/host-power.js';
import { DEFAULT_POLICY } from '../../src/security/policy.js';
import { expectIssue, expectOnly, graphDocument, issuesOf } from './helpers.js';

describe('encryption', () => {
  test('defaults: no cipher, TLS framing, measured throughputs', () => {
    const migration = parseScenarioDocument(graphDocument(), 'x.yaml').migrations[0]!;
    expect(migration.encryption).toBe('none');
    expect(migration.encryptionMode).toBe('tls');
    expect(migration.cipherThroughputs).toBeUndefined();
    expect(migration.copyThroughputs).toBeUndefined();
  });

  test('every cipher and mode, and throughput overrides merged field by field over defaults.migration', () => {
    const document = graphDocument();
    document.defaults = {
      migration: { encryption: 'aes-256-gcm', encryptionMode: 'esp-tunnel', cipherThroughput: { encrypt: '1 GB/s' }, copyThroughput: { send: 'none' } },
    };
    document.migrations[0] = { ...document.migrations[0], encryption: 'chacha20-poly1305', cipherThroughput: { decrypt: '2 GB/s' }, copyThroughput: { receive: '800 MB/s' } };
    const [first, second] = parseScenarioDocument(document, 'x.yaml').migrations;
    expect(first).toMatchObject({
      encryption: 'chacha20-poly1305',
      encryptionMode: 'esp-tunnel',
      cipherThroughputs: { encryptBytesPerS: 1e9, decryptBytesPerS: 2e9 },
      copyThroughputs: { sendBytesPerS: Infinity, receiveBytesPerS: 8e8 },
    });
    expect(second).toMatchObject({ encryption: 'aes-256-gcm', cipherThroughputs: { encryptBytesPerS: 1e9 }, copyThroughputs: { sendBytesPerS: Infinity } });
  });

  test('an unknown cipher or mode', () => {
    const document = graphDocument();
    document.migrations[0].encryption = 'aes-128-gcn';
    document.migrations[1].encryptionMode = 'ipsec';
    expectIssue(document, 'migrations[0].encryption', /did you mean "aes-128-gcm"/);
    expectIssue(document, 'migrations[1].encryptionMode', /expected one of: esp-transport, esp-tunnel, tls/);
  });
});

describe('policy', () => {
  test('default: encryption across untrusted links, no rules', () => {
    expect(parseScenarioDocument(graphDocument(), 'x.yaml').policy).toEqual(DEFAULT_POLICY);
  });

  test('rules of every kind, with tenants and a command source', () => {
    const document = graphDocument();
    document.vms[0].tenant = 'acme';
    document.migrations[0].commandSource = 'a1';
    document.policy = {
      requireEncryption: 'never',
      rules: [
        { name: 'ops-only', allowedSources: ['a1', 'a2'] },
        { allow: { tenant: 'ops' } },
        { deny: { tenant: ['acme', 'globex'], toHost: 'b1', fromZone: 'trusted', sameSite: false } },
        { antiAffinity: 'tenant' },
      ],
    };
    const scenario = parseScenarioDocument(document, 'x.yaml');
    expect(scenario.vms[0]!.tenant).toBe('acme');
    expect(scenario.vms[1]!.tenant).toBeUndefined();
    expect(scenario.migrations[0]!.commandSource).toBe('a1');
    expect(scenario.policy).toEqual({
      requireEncryption: 'never',
      rules: [
        { name: 'ops-only', allowedSources: ['a1', 'a2'] },
        { allow: { tenant: 'ops' } },
        { deny: { tenant: ['acme', 'globex'], toHost: 'b1', fromZone: 'trusted', sameSite: false } },
        { antiAffinity: 'tenant' },
      ],
    });
  });

  test('a rule of no kind, or of two', () => {
    const document = graphDocument();
    document.policy = { rules: [{ name: 'x' }, { allow: {}, deny: {} }] };
    const issues = issuesOf(document);
    expect(issues).toEqual([
      { path: 'policy.rules[0]', message: 'a rule of no kind (expected exactly one of: allow, deny, antiAffinity, allowedSources)' },
      { path: 'policy.rules[1]', message: 'a rule of 2 kinds (allow, deny) (expected exactly one of: allow, deny, antiAffinity, allowedSources)' },
    ]);
  });

  test('unknown criteria, values and names', () => {
    const document = graphDocument();
    document.policy = {
      requireEncryption: 'sometimes',
      rules: [{ deny: { tenat: 'acme' } }, { deny: { vm: ['v1', 'v9'], toHost: 'sa', fromSite: 'east' } }, { allowedSources: ['nowhere'] }, { deny: { vm: [] } }],
    };
    document.migrations[1].commandSource = 'b9';
    // Issues come in the order of the document (migrations before the policy added here).
    const issues = new Map(issuesOf(document).map((problem) => [problem.path, problem.message]));
    expect([...issues.keys()].sort()).toEqual([
      'migrations[1].commandSource',
      'policy.requireEncryption',
      'policy.rules[0].deny.tenat',
      'policy.rules[1].deny.fromSite',
      'policy.rules[1].deny.toHost',
      'policy.rules[1].deny.vm[1]',
      'policy.rules[2].allowedSources[0]',
      'policy.rules[3].deny.vm',
    ]);
    expect(issues.get('policy.rules[0].deny.tenat')).toMatch(/did you mean "tenant"/);
    expect(issues.get('policy.rules[3].deny.vm')).toMatch(/an empty list matches nothing/);
    expect(issues.get('policy.rules[1].deny.vm[1]')).toBe('unknown VM "v9" (expected a VM id of vms)');
    expect(issues.get('policy.rules[1].deny.toHost')).toMatch(/"sa" is a switch, not a host/);
    expect(issues.get('policy.rules[1].deny.fromSite')).toBe('unknown site "east" (expected a site name, but the topology declares no sites)');
    expect(issues.get('policy.rules[2].allowedSources[0]')).toBe('unknown host or site "nowhere" (expected a host id such as "a1", or a site name)');
    expect(issues.get('migrations[1].commandSource')).toMatch(/unknown host or site "b9"/);
  });

  test('an allowedSources of sites', () => {
    const document = graphDocument();
    document.topology.nodes[0].site = 'east';
    document.policy = { rules: [{ allowedSources: ['east', 'a2'] }] };
    expect(issuesOf(document)).toEqual([]);
  });
});

describe('host power', () => {
  test('the default is the line between the ML110 G5 table\'s ends, hosts stay on', () => {
    const { defaults } = parseScenarioDocument(graphDocument(), 'x.yaml').hosts;
    expect(defaults.power).toEqual({ kind: 'linear', idleW: 93.7, maxW: 135 });
    expect(defaults.switchOff).toBe(false);
  });

  test('a table, a preset, and an override over a table', () => {
    const document = graphDocument();
    document.hosts = {
      power: 'hp-ml110-g5',
      switchOff: true,
      overrides: { a1: { power: ['50 W', 60, '100 W'] }, a2: { power: { max: '200 W' }, switchOff: false } },
    };
    const { defaults, overrides } = parseScenarioDocument(document, 'x.yaml').hosts;
    expect(defaults.power).toEqual({ kind: 'table', wattsAtLoad: [...HP_PROLIANT_ML110_G5_XEON3075_W] });
    expect(defaults.switchOff).toBe(true);
    expect(overrides.a1!.power).toEqual({ kind: 'table', wattsAtLoad: [50, 60, 100] });
    expect(overrides.a1!.switchOff).toBe(true);
    // The missing end comes from the default's power at 0 % load: the table's first entry.
    expect(overrides.a2!.power).toEqual({ kind: 'linear', idleW: 93.7, maxW: 200 });
    expect(overrides.a2!.switchOff).toBe(false);
  });

  test('bad tables and names', () => {
    const document = graphDocument();
    document.hosts = { power: ['100 W'], overrides: { a1: { power: 'hp-ml110-g9' }, a2: { power: ['1 GiB', '2 W'] }, b1: { power: 3 } } };
    const issues = issuesOf(document);
    // in the order of the document
    expect(issues).toEqual([
      { path: 'hosts.power', message: expect.stringMatching(/^1 entry is too few \(expected watts at 0 % and 100 % load/) },
      { path: 'hosts.overrides.a1.power', message: expect.stringMatching(/^unknown power model "hp-ml110-g9" \(expected one of: hp-ml110-g4, hp-ml110-g5/) },
      { path: 'hosts.overrides.b1.power', message: expect.stringMatching(/^is 3, a number \(expected \{ idle, max \}/) },
      { path: 'hosts.overrides.a2.power[0]', message: '"1 GiB" is a size (expected a power such as "250 W")' },
    ]);
  });
});

describe('energy estimates', () => {
  test('none unless given; given in SI units', () => {
    expect(parseScenarioDocument(graphDocument(), 'x.yaml').energyEstimates).toEqual({});
    const document = graphDocument();
    document.energy = { liu: { alpha: 5.12e-7, beta: 20.165 }, strunk: { constant: 10, perMemoryByte: 1e-8, perBandwidth: -1e-7 } };
    expect(parseScenarioDocument(document, 'x.yaml').energyEstimates).toEqual({
      liu: { alphaJPerByte: 5.12e-7, betaJ: 20.165 },
      strunk: { constantJ: 10, perMemoryByteJ: 1e-8, perBandwidthJ: -1e-7 },
    });
  });

  test('a coefficient that is not a number', () => {
    const document = graphDocument();
    document.energy = { liu: { alpha: '512 J/GB' } };
    const issues = issuesOf(document);
    expect(issues.map((problem) => problem.path)).toEqual(['energy.liu.alpha', 'energy.liu.beta']);
    expectOnly({ ...graphDocument(), energy: { liu: { alpha: 1, beta: 2, gamma: 3 } } }, 'energy.liu.gamma', /unknown key/);
  });
});
