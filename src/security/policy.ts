// Migration policy: may this migration happen? A pure evaluator over one planned migration, the policy and
// a view of the destination's placement. A refused migration is a result (its rule and reason go to the
// results), never an error: the run goes on.
//
// The policy (CONTRACT.md `policy: { requireEncryption, rules }`):
//   requireEncryption  'untrusted': a migration whose path crosses an untrusted link (zones.ts) must be
//                      encrypted; 'always': every migration must be; 'never': none must be (then the report
//                      lists the exposed bytes, zones.ts `exposure`).
//   rules              evaluated as below; each refusal names its rule: its `name`, else `rules[i]`.
//
// Rule kinds:
//   { allow: match } / { deny: match }  an ACL. A match lists criteria (tenant, vm, fromHost, toHost,
//       fromSite, toSite, fromZone, toZone, sameSite); every criterion given must hold (AND), a list holds when
//       any of its values does (OR), an empty match matches every migration. A criterion on something the
//       migration does not have (a tenant, a site) does not hold.
//       Examples: "acme's VMs never leave site a": { deny: { tenant: acme, fromSite: a, sameSite: false } };
//       "only the ops tenant may enter site b": [{ allow: { tenant: ops, toSite: b } }, { deny: { toSite: b } }].
//   { antiAffinity: 'tenant' }  no two tenants share a host: refused when the destination runs (or is
//       receiving) a VM of another tenant. VMs without a tenant neither conflict nor are protected.
//   { allowedSources: [host ids or site names] }  the control plane authenticates migration commands from
//       these sources only. The emulator has no messages, so an unauthenticated or replayed command is
//       modelled as a migration whose command names a source outside the list, or names a source other than
//       the host the VM is on (a replayed command: the VM has moved since it was issued). The command's source
//       is the plan's `commandSource`, or the VM's host when the scenario names none.
//
// Order of evaluation (the first failure is the reason given):
//   1. control plane: every allowedSources rule, in order. A forged command is refused before anything it
//      asks for is considered, and no allow rule can let it through.
//   2. ACL: allow and deny rules in order, first match wins; a deny refuses, an allow stops the ACL.
//      No match: allowed (default allow).
//   3. placement: every antiAffinity rule, in order. An ACL allow grants the move, not an exemption from
//      these constraints or from encryption.
//   4. requireEncryption.
import { SimulationError } from '../engine/simulation-error.js';
import type { Zone } from '../topology/types.js';
import type { CipherName } from './ciphers.js';

export const REQUIRE_ENCRYPTION_VALUES = ['untrusted', 'always', 'never'] as const;
export type RequireEncryption = (typeof REQUIRE_ENCRYPTION_VALUES)[number];

type OneOrMany<T> = T | readonly T[];

/** Criteria of an allow/deny rule; see the module comment. */
export interface MigrationMatch {
  tenant?: OneOrMany<string>;
  vm?: OneOrMany<string>;
  fromHost?: OneOrMany<string>;
  toHost?: OneOrMany<string>;
  fromSite?: OneOrMany<string>;
  toSite?: OneOrMany<string>;
  fromZone?: OneOrMany<Zone>;
  toZone?: OneOrMany<Zone>;
  /** true: source and destination are in the same site; false: in different sites (either may have none) */
  sameSite?: boolean;
}

export type Rule =
  | { name?: string; allow: MigrationMatch }
  | { name?: string; deny: MigrationMatch }
  | { name?: string; antiAffinity: 'tenant' }
  | { name?: string; allowedSources: readonly string[] };

export interface Policy {
  requireEncryption: RequireEncryption;
  rules: readonly Rule[];
}

/**
 * The policy when a scenario has none: encryption required across untrusted links (an operator who marks a
 * link untrusted expects it), no rules. Without untrusted zones it refuses nothing.
 */
export const DEFAULT_POLICY: Policy = { requireEncryption: 'untrusted', rules: [] };

/** One planned migration, as the policy sees it. */
export interface MigrationPlan {
  vm: string;
  tenant?: string;
  /** the host the VM is on */
  fromHost: string;
  toHost: string;
  /** WAN sites of the two hosts (src/topology siteOf), when the topology has sites */
  fromSite?: string;
  toSite?: string;
  fromZone: Zone;
  toZone: Zone;
  /** whether the migration's path crosses an untrusted link (zones.ts pathCrossesUntrusted) */
  crossesUntrusted: boolean;
  cipher: CipherName;
  /** the source the migration command names; absent: the command names the VM's host */
  commandSource?: string;
}

export interface PolicyContext {
  /**
   * Tenants of the VMs on `host` when the migration would start, including VMs already migrating to it and
   * excluding the migrating VM itself. Needed only by antiAffinity rules.
   */
  tenantsOnHost?: (host: string) => Iterable<string>;
}

export type PolicyDecision = { allowed: true } | { allowed: false; rule: string; reason: string };

const ALLOWED: PolicyDecision = { allowed: true };

function ruleLabel(rule: Rule, index: number): string {
  return rule.name ?? `rules[${index}]`;
}

function values<T>(criterion: OneOrMany<T>): readonly T[] {
  return Array.isArray(criterion) ? (criterion as readonly T[]) : [criterion as T];
}

function holds<T>(criterion: OneOrMany<T> | undefined, actual: T | undefined): boolean {
  if (criterion === undefined) return true;
  return actual !== undefined && values(criterion).includes(actual);
}

/** Whether every criterion of `match` holds for the plan. */
export function matches(match: MigrationMatch, plan: MigrationPlan): boolean {
  if (match.sameSite !== undefined) {
    const same = plan.fromSite !== undefined && plan.fromSite === plan.toSite;
    if (same !== match.sameSite) return false;
  }
  return (
    holds(match.tenant, plan.tenant) &&
    holds(match.vm, plan.vm) &&
    holds(match.fromHost, plan.fromHost) &&
    holds(match.toHost, plan.toHost) &&
    holds(match.fromSite, plan.fromSite) &&
    holds(match.toSite, plan.toSite) &&
    holds(match.fromZone, plan.fromZone) &&
    holds(match.toZone, plan.toZone)
  );
}

/** A match written back as `key=value` pairs, for reasons. */
export function describeMatch(match: MigrationMatch): string {
  const parts = Object.entries(match)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? `[${value.join(', ')}]` : String(value)}`);
  return parts.length === 0 ? 'every migration' : parts.join(' ');
}

function describePlan(plan: MigrationPlan): string {
  const tenant = plan.tenant !== undefined ? ` (tenant ${plan.tenant})` : '';
  const at = (host: string, site: string | undefined): string => (site !== undefined ? `${host} (site ${site})` : host);
  return `${plan.vm}${tenant} from ${at(plan.fromHost, plan.fromSite)} to ${at(plan.toHost, plan.toSite)}`;
}

function checkControlPlane(
  rule: Rule & { allowedSources: readonly string[] },
  label: string,
  plan: MigrationPlan,
): PolicyDecision {
  const source = plan.commandSource ?? plan.fromHost;
  const list = `[${rule.allowedSources.join(', ')}]`;
  if (source !== plan.fromHost) {
    return {
      allowed: false,
      rule: label,
      reason:
        `control plane (${label}): the command names source ${source} but ${plan.vm} is on ${plan.fromHost}: ` +
        'a replayed or stale command',
    };
  }
  const sourceSite = plan.fromSite;
  const authenticated =
    rule.allowedSources.includes(source) || (sourceSite !== undefined && rule.allowedSources.includes(sourceSite));
  if (authenticated) return ALLOWED;
  return {
    allowed: false,
    rule: label,
    reason:
      `control plane (${label}): the command names source ${source}, not among the allowed sources ${list}: ` +
      'an unauthenticated or replayed command',
  };
}

function checkAntiAffinity(label: string, plan: MigrationPlan, context: PolicyContext): PolicyDecision {
  if (plan.tenant === undefined) return ALLOWED;
  if (context.tenantsOnHost === undefined) {
    throw new SimulationError('checkMigration', `${label} (antiAffinity) needs context.tenantsOnHost`);
  }
  const others = [...new Set(context.tenantsOnHost(plan.toHost))].filter((tenant) => tenant !== plan.tenant).sort();
  if (others.length === 0) return ALLOWED;
  return {
    allowed: false,
    rule: label,
    reason:
      `anti-affinity (${label}): ${plan.toHost} runs VMs of tenant ${others.join(', ')}; ` +
      `${plan.vm} belongs to ${plan.tenant} and no two tenants may share a host`,
  };
}

function checkEncryption(requirement: RequireEncryption, plan: MigrationPlan): PolicyDecision {
  if (plan.cipher !== 'none' || requirement === 'never') return ALLOWED;
  if (requirement === 'always') {
    return {
      allowed: false,
      rule: 'requireEncryption',
      reason: `requireEncryption: always: ${describePlan(plan)} is not encrypted (encryption: none)`,
    };
  }
  // An untrusted end host makes its links untrusted (zones.ts), so the zones are checked only for plans
  // built without a path.
  const where = plan.crossesUntrusted
    ? 'crosses untrusted links'
    : plan.fromZone === 'untrusted' || plan.toZone === 'untrusted'
      ? 'starts or ends in an untrusted zone'
      : undefined;
  if (where === undefined) return ALLOWED;
  return {
    allowed: false,
    rule: 'requireEncryption',
    reason: `requireEncryption: untrusted: ${describePlan(plan)} ${where} and is not encrypted (encryption: none)`,
  };
}

/** Whether the policy lets the planned migration happen; when not, which rule refused it and why. */
export function checkMigration(plan: MigrationPlan, policy: Policy, context: PolicyContext = {}): PolicyDecision {
  const labelled = policy.rules.map((rule, index) => ({ rule, label: ruleLabel(rule, index) }));

  for (const { rule, label } of labelled) {
    if ('allowedSources' in rule) {
      const decision = checkControlPlane(rule, label, plan);
      if (!decision.allowed) return decision;
    }
  }

  for (const { rule, label } of labelled) {
    if ('allow' in rule && matches(rule.allow, plan)) break;
    if ('deny' in rule && matches(rule.deny, plan)) {
      return {
        allowed: false,
        rule: label,
        reason: `${label} denies ${describePlan(plan)} (deny ${describeMatch(rule.deny)})`,
      };
    }
  }

  for (const { rule, label } of labelled) {
    if ('antiAffinity' in rule) {
      const decision = checkAntiAffinity(label, plan, context);
      if (!decision.allowed) return decision;
    }
  }

  return checkEncryption(policy.requireEncryption, plan);
}
