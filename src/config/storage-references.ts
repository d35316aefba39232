// Checks of storage migration and addressing that need more than one section (and, for subnets, the built
// topology): a migration that moves a disk needs the VM to have one; `vm.subnet` names a subnet of the
// topology; `addressing: l2` keeps the VM inside its subnet (CONTRACT.md, DESIGN.md's addressing table: "error
// if src and dst are in different subnets"). Subnets are the sites of a `kind: wan` topology (CONTRACT.md:
// "Sites are separate subnets"); every other topology is one subnet (a graph node's `site` is a label for
// policies, not a subnet). Like references.ts it reads the raw document, skipping values of the wrong type
// (the schema reports them).
import { siteOf } from '../topology/wan.js';
import type { Topology } from '../topology/types.js';
import { describeValue, issue, type ConfigIssue } from './issues.js';
import { asList, asMapping, asName, type Mapping } from './topology-checks.js';

/** The subnet of each host of a built topology (undefined: the one subnet of hosts outside any site). */
export interface SubnetMap {
  /** whether `host` is a host of the topology */
  has(host: string): boolean;
  subnetOf(host: string): string | undefined;
  /** every named subnet, in the order hosts first name them */
  names: string[];
}

export function subnetMap(topology: Topology): SubnetMap {
  const hosts = new Set(topology.hosts);
  const subnetOf = (host: string): string | undefined => (topology.kind === 'wan' ? siteOf(topology, host) : undefined);
  const names = [...new Set(topology.hosts.map(subnetOf).filter((site): site is string => site !== undefined))];
  return { has: (host) => hosts.has(host), subnetOf, names };
}

/** Storage modes that move the disk (an unknown name is the schema's to report). */
const MOVING_MODES: readonly string[] = ['snapshot', 'dirty-block', 'mirror'];

/** Schemes that keep the VM's address across subnets (DESIGN.md's table): every one but l2. */
const CROSSING_SCHEMES = 'vxlan, netlord, vl2, mobile-ipv4, mobile-ipv6, sdn';

interface VmEntry {
  index: number;
  host: string | undefined;
  hasDisk: boolean;
  subnet: string | undefined;
}

function vmEntries(raw: Mapping): Map<string, VmEntry> {
  const entries = new Map<string, VmEntry>();
  (asList(raw.vms) ?? []).forEach((rawVm, index) => {
    const vm = asMapping(rawVm);
    const id = asName(vm?.id);
    if (vm === undefined || id === undefined || entries.has(id)) return;
    entries.set(id, { index, host: asName(vm.host), hasDisk: asMapping(vm.disk) !== undefined, subnet: asName(vm.subnet) });
  });
  return entries;
}

function subnetText(subnet: string | undefined): string {
  return subnet === undefined ? 'the one subnet of a topology without sites' : `subnet ${subnet}`;
}

/** `vms[].subnet` names a subnet the topology has. */
function checkSubnetNames(raw: Mapping, subnets: SubnetMap, issues: ConfigIssue[]): void {
  (asList(raw.vms) ?? []).forEach((rawVm, index) => {
    const subnet = asName(asMapping(rawVm)?.subnet);
    if (subnet === undefined || subnets.names.includes(subnet)) return;
    const expected = subnets.names.length === 0
      ? 'only a wan topology has subnets, its sites: leave subnet out'
      : `expected a site name such as "${subnets.names[0]}"`;
    issues.push(issue(['vms', index, 'subnet'], `unknown subnet ${describeValue(subnet)} (${expected})`));
  });
}

/** Every storage and addressing problem of the raw document; `subnets` is undefined when the topology was not built. */
export function checkStorageReferences(raw: Mapping, subnets: SubnetMap | undefined, issues: ConfigIssue[]): void {
  if (subnets !== undefined) checkSubnetNames(raw, subnets, issues);
  const vms = vmEntries(raw);
  const defaults = asMapping(asMapping(raw.defaults)?.migration);
  (asList(raw.migrations) ?? []).forEach((rawMigration, index) => {
    const migration = asMapping(rawMigration);
    const id = asName(migration?.vm);
    const vm = id === undefined ? undefined : vms.get(id);
    if (migration === undefined || id === undefined || vm === undefined) return;

    const storage = migration.storage ?? defaults?.storage;
    if (typeof storage === 'string' && MOVING_MODES.includes(storage) && !vm.hasDisk) {
      const from = migration.storage === undefined ? ' (from defaults.migration)' : '';
      issues.push(issue(['migrations', index, 'storage'], `storage "${storage}"${from} moves the VM's disk, but vms[${vm.index}] (${id}) has no disk (expected disk: { size, writeRate, hotSet } on the VM, or storage: shared)`));
    }

    const addressing = migration.addressing ?? defaults?.addressing ?? 'l2';
    const to = asName(migration.to ?? defaults?.to);
    if (addressing !== 'l2' || subnets === undefined || to === undefined || vm.host === undefined) return;
    if (!subnets.has(to) || !subnets.has(vm.host)) return; // references.ts reports unknown hosts
    if (vm.subnet !== undefined && !subnets.names.includes(vm.subnet)) return; // reported at vms[].subnet
    const home = vm.subnet ?? subnets.subnetOf(vm.host);
    const there = subnets.subnetOf(to);
    if (home === there) return;
    const written = migration.addressing !== undefined ? '' : defaults?.addressing !== undefined ? ' (from defaults.migration)' : ' (the default)';
    issues.push(issue(
      ['migrations', index, 'addressing'],
      `l2${written} cannot move ${id} from ${subnetText(home)} to ${to} in ${subnetText(there)}: a gratuitous ARP only reaches its own broadcast domain (expected a scheme that crosses subnets: ${CROSSING_SCHEMES}; or a destination in ${subnetText(home)})`,
    ));
  });
}
