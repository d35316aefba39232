// The `policy` section of a scenario document (CONTRACT.md: `policy: { requireEncryption?, rules? }`), checked
// and turned into the Policy that src/security/policy.ts evaluates. Each rule is exactly one of:
//   { name?, allow: match }  { name?, deny: match }  { name?, antiAffinity: tenant }
//   { name?, allowedSources: [host ids or site names] }
// A match lists criteria, each a value or a list of values: tenant, vm, fromHost, toHost, fromSite, toSite,
// fromZone, toZone (trusted | untrusted), and sameSite (true | false). Names in rules are checked against the
// scenario by policy-references.ts.
import { z } from 'zod';
import { DEFAULT_POLICY, REQUIRE_ENCRYPTION_VALUES, type MigrationMatch, type Policy, type Rule } from '../security/policy.js';
import type { Zone } from '../topology/types.js';
import { flag, name, oneOf, strictObject } from './fields.js';
import { describeKind } from './issues.js';

/** A value, or a non-empty list of values, of `item`. */
function oneOrMany<T extends z.ZodType>(item: T, what: string) {
  const list = z.array(item);
  return z.unknown().transform((value, ctx): z.output<T> | z.output<T>[] => {
    const parsed = (Array.isArray(value) ? list : item).safeParse(value);
    if (Array.isArray(value) && value.length === 0) {
      ctx.issues.push({ code: 'custom', message: `an empty list matches nothing (expected ${what}, or a list of them)`, input: value });
      return z.NEVER;
    }
    if (parsed.success) return parsed.data as z.output<T> | z.output<T>[];
    for (const problem of parsed.error.issues) ctx.issues.push({ code: 'custom', message: problem.message, path: problem.path, input: value });
    return z.NEVER;
  });
}

const zone = oneOf(['trusted', 'untrusted']);

const match = strictObject({
  tenant: oneOrMany(name('a tenant name'), 'a tenant name').optional(),
  vm: oneOrMany(name('a VM id'), 'a VM id').optional(),
  fromHost: oneOrMany(name('a host id'), 'a host id').optional(),
  toHost: oneOrMany(name('a host id'), 'a host id').optional(),
  fromSite: oneOrMany(name('a site name'), 'a site name').optional(),
  toSite: oneOrMany(name('a site name'), 'a site name').optional(),
  fromZone: oneOrMany(zone, 'trusted or untrusted').optional(),
  toZone: oneOrMany(zone, 'trusted or untrusted').optional(),
  sameSite: flag().optional(),
});

const RULE_KINDS = ['allow', 'deny', 'antiAffinity', 'allowedSources'] as const;

const rule = strictObject({
  name: name('a rule name').optional(),
  allow: match.optional(),
  deny: match.optional(),
  // The one placement constraint built in: no two tenants share a host.
  antiAffinity: oneOf(['tenant']).optional(),
  allowedSources: z.array(name('a host id or site name')).optional(),
}).superRefine((spec, ctx) => {
  const kinds = RULE_KINDS.filter((kind) => spec[kind] !== undefined);
  if (kinds.length !== 1) {
    const what = kinds.length === 0 ? 'a rule of no kind' : `a rule of ${kinds.length} kinds (${kinds.join(', ')})`;
    ctx.addIssue({ code: 'custom', message: `${what} (expected exactly one of: ${RULE_KINDS.join(', ')})` });
  }
  if (spec.allowedSources !== undefined && spec.allowedSources.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['allowedSources'], message: 'an empty list refuses every migration (expected at least one host id or site name)' });
  }
});

export const policySchema = strictObject({
  // DEFAULT_POLICY (src/security/policy.ts): encryption across untrusted links, the operator's expectation
  // once a link is marked untrusted.
  requireEncryption: oneOf(REQUIRE_ENCRYPTION_VALUES).default(DEFAULT_POLICY.requireEncryption),
  rules: z.array(rule).default([]),
});

export type PolicyDocument = z.output<typeof policySchema>;
type MatchDocument = z.output<typeof match>;

function toMatch(doc: MatchDocument): MigrationMatch {
  const out: MigrationMatch = {};
  if (doc.tenant !== undefined) out.tenant = doc.tenant;
  if (doc.vm !== undefined) out.vm = doc.vm;
  if (doc.fromHost !== undefined) out.fromHost = doc.fromHost;
  if (doc.toHost !== undefined) out.toHost = doc.toHost;
  if (doc.fromSite !== undefined) out.fromSite = doc.fromSite;
  if (doc.toSite !== undefined) out.toSite = doc.toSite;
  if (doc.fromZone !== undefined) out.fromZone = doc.fromZone as Zone | Zone[];
  if (doc.toZone !== undefined) out.toZone = doc.toZone as Zone | Zone[];
  if (doc.sameSite !== undefined) out.sameSite = doc.sameSite;
  return out;
}

function toRule(doc: PolicyDocument['rules'][number]): Rule {
  const named = doc.name === undefined ? {} : { name: doc.name };
  if (doc.allow !== undefined) return { ...named, allow: toMatch(doc.allow) };
  if (doc.deny !== undefined) return { ...named, deny: toMatch(doc.deny) };
  if (doc.antiAffinity !== undefined) return { ...named, antiAffinity: doc.antiAffinity };
  if (doc.allowedSources !== undefined) return { ...named, allowedSources: [...doc.allowedSources] };
  throw new Error(`config: a policy rule without a kind passed validation (${describeKind(doc)})`);
}

export function toPolicy(doc: PolicyDocument): Policy {
  return { requireEncryption: doc.requireEncryption, rules: doc.rules.map(toRule) };
}
