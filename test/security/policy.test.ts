import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  checkMigration,
  describeMatch,
  matches,
  type MigrationMatch,
  type MigrationPlan,
  type Policy,
  type PolicyDecision,
  type Rule,
} from '../../src/security/policy.js';

// A plan: vm1 of tenant acme from a/h1 (site a) to b/h1 (site b), trusted all the way, not encrypted.
function plan(overrides: Partial<MigrationPlan> = {}): MigrationPlan {
  return {
    vm: 'vm1',
    tenant: 'acme',
    fromHost: 'a/h1',
    toHost: 'b/h1',
    fromSite: 'a',
    toSite: 'b',
    fromZone: 'trusted',
    toZone: 'trusted',
    crossesUntrusted: false,
    cipher: 'none',
    ...overrides,
  };
}

function policy(rules: Rule[], requireEncryption: Policy['requireEncryption'] = 'never'): Policy {
  return { requireEncryption, rules };
}

function refused(decision: PolicyDecision): { rule: string; reason: string } {
  if (decision.allowed) throw new Error('expected a refusal');
  return decision;
}

describe('default', () => {
  it('allows everything without rules (default allow)', () => {
    expect(checkMigration(plan(), policy([]))).toEqual({ allowed: true });
    expect(checkMigration(plan(), DEFAULT_POLICY)).toEqual({ allowed: true });
    expect(DEFAULT_POLICY).toEqual({ requireEncryption: 'untrusted', rules: [] });
  });
});

describe('allow and deny rules', () => {
  it('first match wins', () => {
    // [allow acme, deny acme]: the allow matches first → allowed.
    expect(checkMigration(plan(), policy([{ allow: { tenant: 'acme' } }, { deny: { tenant: 'acme' } }]))).toEqual({ allowed: true });
    // [deny acme, allow acme]: the deny matches first → refused by rules[0].
    const decision = refused(checkMigration(plan(), policy([{ deny: { tenant: 'acme' } }, { allow: { tenant: 'acme' } }])));
    expect(decision.rule).toBe('rules[0]');
  });

  it('skips rules that do not match and falls through to allow', () => {
    expect(checkMigration(plan(), policy([{ deny: { tenant: 'globex' } }, { deny: { vm: 'vm9' } }]))).toEqual({ allowed: true });
  });

  it('names the rule that denies: its name, else its position, and says why', () => {
    const rules: Rule[] = [{ deny: { vm: 'vm9' } }, { name: 'acme-stays-in-a', deny: { tenant: 'acme', fromSite: 'a', sameSite: false } }];
    const decision = refused(checkMigration(plan(), policy(rules)));
    expect(decision.rule).toBe('acme-stays-in-a');
    expect(decision.reason).toContain('acme-stays-in-a denies vm1 (tenant acme) from a/h1 (site a) to b/h1 (site b)');
    expect(decision.reason).toContain('tenant=acme fromSite=a sameSite=false');
    const unnamed = refused(checkMigration(plan(), policy([{ deny: { vm: 'vm9' } }, { deny: { toSite: 'b' } }])));
    expect(unnamed.rule).toBe('rules[1]');
  });

  it('"a tenant\'s VMs never leave site a"', () => {
    const rules: Rule[] = [{ deny: { tenant: 'acme', fromSite: 'a', sameSite: false } }];
    expect(refused(checkMigration(plan(), policy(rules))).rule).toBe('rules[0]'); // a → b
    expect(checkMigration(plan({ toHost: 'a/h2', toSite: 'a' }), policy(rules))).toEqual({ allowed: true }); // a → a
    expect(checkMigration(plan({ tenant: 'globex' }), policy(rules))).toEqual({ allowed: true }); // another tenant
  });

  it('"only ops may enter site b": an allow before a deny', () => {
    const rules: Rule[] = [{ allow: { tenant: 'ops', toSite: 'b' } }, { deny: { toSite: 'b' } }];
    expect(checkMigration(plan({ tenant: 'ops' }), policy(rules))).toEqual({ allowed: true });
    expect(refused(checkMigration(plan(), policy(rules))).rule).toBe('rules[1]');
  });

  // Each criterion, once matching (deny refuses, allow-then-deny-all allows) and once not (deny passes).
  const criteria: Array<[string, MigrationMatch, MigrationMatch]> = [
    ['tenant', { tenant: 'acme' }, { tenant: 'globex' }],
    ['vm', { vm: 'vm1' }, { vm: 'vm2' }],
    ['fromHost', { fromHost: 'a/h1' }, { fromHost: 'a/h2' }],
    ['toHost', { toHost: 'b/h1' }, { toHost: 'b/h2' }],
    ['fromSite', { fromSite: 'a' }, { fromSite: 'b' }],
    ['toSite', { toSite: 'b' }, { toSite: 'a' }],
    ['fromZone', { fromZone: 'trusted' }, { fromZone: 'untrusted' }],
    ['toZone', { toZone: 'trusted' }, { toZone: 'untrusted' }],
    ['sameSite', { sameSite: false }, { sameSite: true }],
    ['a list (any of)', { toSite: ['c', 'b'] }, { toSite: ['c', 'd'] }],
    ['several criteria (all of)', { tenant: 'acme', toSite: 'b' }, { tenant: 'acme', toSite: 'a' }],
  ];
  for (const [name, hit, miss] of criteria) {
    it(`matches by ${name}: deny and allow`, () => {
      expect(matches(hit, plan())).toBe(true);
      expect(matches(miss, plan())).toBe(false);
      expect(refused(checkMigration(plan(), policy([{ deny: hit }]))).rule).toBe('rules[0]');
      expect(checkMigration(plan(), policy([{ deny: miss }]))).toEqual({ allowed: true });
      expect(checkMigration(plan(), policy([{ allow: hit }, { deny: {} }]))).toEqual({ allowed: true });
      expect(refused(checkMigration(plan(), policy([{ allow: miss }, { deny: {} }]))).rule).toBe('rules[1]');
    });
  }

  it('a criterion on something the migration lacks does not hold', () => {
    // No tenant: { tenant: acme } does not match. No sites (a fat-tree): { fromSite: a } does not, and the
    // two hosts are not "in the same site".
    const { tenant: _tenant, ...untenanted } = plan();
    expect(matches({ tenant: 'acme' }, untenanted)).toBe(false);
    const { fromSite: _a, toSite: _b, ...siteless } = plan();
    expect(matches({ fromSite: 'a' }, siteless)).toBe(false);
    expect(matches({ sameSite: true }, siteless)).toBe(false);
    expect(matches({ sameSite: false }, siteless)).toBe(true);
    expect(matches({}, siteless)).toBe(true);
    expect(describeMatch({})).toBe('every migration');
  });
});

describe('requireEncryption', () => {
  const untrustedPath = plan({ crossesUntrusted: true });

  it('untrusted: refuses an unencrypted migration over an untrusted link, naming requireEncryption', () => {
    const decision = refused(checkMigration(untrustedPath, policy([], 'untrusted')));
    expect(decision.rule).toBe('requireEncryption');
    expect(decision.reason).toMatch(/^requireEncryption: untrusted: /);
    expect(decision.reason).toContain('crosses untrusted links and is not encrypted');
  });

  it('untrusted: allows it encrypted, and allows a trusted path in the clear', () => {
    expect(checkMigration({ ...untrustedPath, cipher: 'aes-256-gcm' }, policy([], 'untrusted'))).toEqual({ allowed: true });
    expect(checkMigration(plan(), policy([], 'untrusted'))).toEqual({ allowed: true });
  });

  it('untrusted: an end host in an untrusted zone needs encryption too', () => {
    const decision = refused(checkMigration(plan({ toZone: 'untrusted' }), policy([], 'untrusted')));
    expect(decision.reason).toContain('untrusted zone');
  });

  it('always: refuses any unencrypted migration; never: refuses none', () => {
    expect(refused(checkMigration(plan(), policy([], 'always'))).rule).toBe('requireEncryption');
    expect(checkMigration(plan({ cipher: 'chacha20-poly1305' }), policy([], 'always'))).toEqual({ allowed: true });
    expect(checkMigration(untrustedPath, policy([], 'never'))).toEqual({ allowed: true });
  });

  it('an allow rule grants the move, not an exemption from encryption', () => {
    expect(refused(checkMigration(untrustedPath, policy([{ allow: {} }], 'untrusted'))).rule).toBe('requireEncryption');
  });

  it('a deny is reported before the missing encryption', () => {
    expect(refused(checkMigration(untrustedPath, policy([{ deny: { tenant: 'acme' } }], 'untrusted'))).rule).toBe('rules[0]');
  });
});

describe('anti-affinity: no two tenants share a host', () => {
  const rules: Rule[] = [{ antiAffinity: 'tenant' }];
  const placement = (tenants: Record<string, string[]>) => ({ tenantsOnHost: (host: string) => tenants[host] ?? [] });

  it('refuses a move onto a host running another tenant', () => {
    const decision = refused(checkMigration(plan(), policy(rules), placement({ 'b/h1': ['globex', 'acme', 'globex'] })));
    expect(decision.rule).toBe('rules[0]');
    expect(decision.reason).toBe(
      'anti-affinity (rules[0]): b/h1 runs VMs of tenant globex; vm1 belongs to acme and no two tenants may share a host',
    );
  });

  it('allows a move onto an empty host or one of the same tenant', () => {
    expect(checkMigration(plan(), policy(rules), placement({}))).toEqual({ allowed: true });
    expect(checkMigration(plan(), policy(rules), placement({ 'b/h1': ['acme'] }))).toEqual({ allowed: true });
  });

  it('ignores VMs without a tenant', () => {
    const { tenant: _tenant, ...untenanted } = plan();
    expect(checkMigration(untenanted, policy(rules), placement({ 'b/h1': ['globex'] }))).toEqual({ allowed: true });
  });

  it('is not lifted by an allow rule', () => {
    const withAllow: Rule[] = [{ allow: {} }, ...rules];
    expect(refused(checkMigration(plan(), policy(withAllow), placement({ 'b/h1': ['globex'] }))).rule).toBe('rules[1]');
  });

  it('needs the placement callback', () => {
    expect(() => checkMigration(plan(), policy(rules))).toThrow(/tenantsOnHost/);
  });
});

describe('control plane: a migration command must name an allowed source', () => {
  it('allows a command from a listed host or a host of a listed site', () => {
    expect(checkMigration(plan(), policy([{ allowedSources: ['a/h1'] }]))).toEqual({ allowed: true });
    expect(checkMigration(plan(), policy([{ allowedSources: ['a'] }]))).toEqual({ allowed: true });
  });

  it('refuses a command from an unlisted source as unauthenticated or replayed', () => {
    const decision = refused(checkMigration(plan(), policy([{ name: 'mgmt', allowedSources: ['b', 'c/h1'] }])));
    expect(decision.rule).toBe('mgmt');
    expect(decision.reason).toBe(
      'control plane (mgmt): the command names source a/h1, not among the allowed sources [b, c/h1]: an unauthenticated or replayed command',
    );
  });

  it('refuses a command naming a source the VM is no longer on (replayed)', () => {
    const decision = refused(checkMigration(plan({ commandSource: 'a/h2' }), policy([{ allowedSources: ['a'] }])));
    expect(decision.reason).toContain('names source a/h2 but vm1 is on a/h1: a replayed or stale command');
  });

  it('comes before the ACL: an allow rule cannot let a forged command through', () => {
    expect(refused(checkMigration(plan(), policy([{ allow: {} }, { allowedSources: ['b'] }]))).rule).toBe('rules[1]');
  });
});
