// Names in the `policy` section and in migrations' `commandSource` checked against the scenario: a rule that
// names a VM, host or site the scenario does not have would match nothing and silently let every migration
// through (or, in `allowedSources`, refuse every one), so it is reported as a problem (references.ts calls
// this with what it knows: unknown host or VM sets skip those checks).
import { issue, type ConfigIssue, type PathSegment } from './issues.js';
import { asList, asMapping, asName, type Mapping } from './topology-checks.js';

export interface PolicyNames {
  /** why `id` is not a host, undefined when it is one; undefined when hosts are unknown */
  hostProblem?: (id: string) => string | undefined;
  /** the VM ids, when known */
  vms?: ReadonlySet<string>;
}

/** The site names a raw topology section declares: a WAN's sites, a graph's nodes' `site`. */
function declaredSites(raw: Mapping): Set<string> | undefined {
  const topology = asMapping(raw.topology);
  const sites = new Set<string>();
  if (topology?.kind === 'wan') {
    for (const site of asList(topology.sites) ?? []) {
      const siteName = asName(asMapping(site)?.name);
      if (siteName !== undefined) sites.add(siteName);
    }
    return sites;
  }
  if (topology?.kind === 'graph') {
    for (const node of asList(topology.nodes) ?? []) {
      const site = asName(asMapping(node)?.site);
      if (site !== undefined) sites.add(site);
    }
    return sites;
  }
  // fat-tree, leaf-spine, graphml: no sites.
  return topology === undefined ? undefined : sites;
}

function values(value: unknown): { name: string; index: number | undefined }[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => (typeof item === 'string' ? [{ name: item, index }] : []));
  return typeof value === 'string' ? [{ name: value, index: undefined }] : [];
}

function siteProblem(name: string, sites: ReadonlySet<string>): string {
  const list = [...sites];
  return list.length === 0
    ? `unknown site "${name}" (expected a site name, but the topology declares no sites)`
    : `unknown site "${name}" (expected one of: ${list.join(', ')})`;
}

export function checkPolicyReferences(raw: Mapping, names: PolicyNames, issues: ConfigIssue[]): void {
  const sites = declaredSites(raw);
  const check = (path: PathSegment[], value: unknown, problem: (name: string) => string | undefined): void => {
    for (const { name, index } of values(value)) {
      const found = problem(name);
      if (found !== undefined) issues.push(issue(index === undefined ? path : [...path, index], found));
    }
  };
  const host = (name: string): string | undefined => names.hostProblem?.(name);
  const vm = (name: string): string | undefined =>
    names.vms === undefined || names.vms.has(name) ? undefined : `unknown VM "${name}" (expected a VM id of vms)`;
  const site = (name: string): string | undefined => (sites === undefined || sites.has(name) ? undefined : siteProblem(name, sites));
  // A source is a host or a site: a problem only when it is neither.
  const source = (name: string): string | undefined => {
    const asHost = host(name);
    if (asHost === undefined || sites === undefined || sites.has(name)) return undefined;
    return `unknown host or site "${name}" (${asHost.replace(/^[^(]*\(/, '').replace(/\)$/, '')}, or a site name)`;
  };

  (asList(asMapping(raw.policy)?.rules) ?? []).forEach((rawRule, index) => {
    const rule = asMapping(rawRule);
    if (rule === undefined) return;
    for (const kind of ['allow', 'deny'] as const) {
      const match = asMapping(rule[kind]);
      if (match === undefined) continue;
      const at = (key: string): PathSegment[] => ['policy', 'rules', index, kind, key];
      check(at('vm'), match.vm, vm);
      check(at('fromHost'), match.fromHost, host);
      check(at('toHost'), match.toHost, host);
      check(at('fromSite'), match.fromSite, site);
      check(at('toSite'), match.toSite, site);
    }
    check(['policy', 'rules', index, 'allowedSources'], rule.allowedSources, source);
  });
  check(['defaults', 'migration', 'commandSource'], asMapping(asMapping(raw.defaults)?.migration)?.commandSource, source);
  (asList(raw.migrations) ?? []).forEach((migration, index) => {
    check(['migrations', index, 'commandSource'], asMapping(migration)?.commandSource, source);
  });
}
