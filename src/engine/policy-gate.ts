// The migration policy at run time, and what migrations exposed on untrusted links.
//
// When a migration is about to start, PolicyGate builds its MigrationPlan (src/security/policy.ts): the VM's
// tenant, both hosts with their WAN sites and zones, whether its path crosses an untrusted link (zones.ts,
// with the links' zones computed once per run), its cipher and the source its command names; and the
// placement anti-affinity rules look at: the tenants of the VMs on the destination now (where each VM's
// guest runs, as run-scenario.ts tracks it) and of those migrating to it. A refusal is a reason string, for
// the migration's result; the run goes on.
//
// Exposure: the wire bytes of an unencrypted migration that went over untrusted links (zones.ts exposure),
// possible only when the policy lets such a migration run (requireEncryption: never). The stream's bytes all
// take the migration's path; the in-rack copies of shared pages (irlm, gang) are not counted (they stay
// inside the destination's rack, which is untrusted only if the destination's site is).
import type { MigrationSpec, Scenario, VmSpec } from '../config/scenario.js';
import type { MigrationRecord } from '../migration/migration-process.js';
import { checkMigration, type MigrationPlan } from '../security/policy.js';
import { effectiveLinkZones, exposure, nodeZone, pathCrossesUntrusted, type Exposure } from '../security/zones.js';
import { siteOf } from '../topology/wan.js';
import type { Topology, Zone } from '../topology/types.js';

export interface ExposureResult {
  /** the most wire bytes any one untrusted link carried (the migration's exposed bytes on its path) */
  bytes: number;
  /** wire bytes summed over the untrusted links: byte-link crossings */
  linkBytes: number;
}

export const NO_EXPOSURE: Readonly<ExposureResult> = Object.freeze({ bytes: 0, linkBytes: 0 });

export class PolicyGate {
  #zones: Zone[] | undefined;
  /** migration index → its path, for migrations let through */
  readonly #paths = new Map<number, Int32Array>();
  /** migration index → destination, while in flight */
  readonly #incoming = new Map<number, { vm: string; to: string }>();

  constructor(
    private readonly topology: Topology,
    private readonly scenario: Scenario,
    private readonly vms: ReadonlyMap<string, VmSpec>,
    /** where each VM's guest is now */
    private readonly placement: ReadonlyMap<string, string>,
  ) {}

  /** The links' zones, computed once, on first need. */
  #linkZones(): Zone[] {
    this.#zones ??= effectiveLinkZones(this.topology);
    return this.#zones;
  }

  #plan(vm: VmSpec, migration: MigrationSpec, from: string, path: Int32Array): MigrationPlan {
    const plan: MigrationPlan = {
      vm: vm.id,
      fromHost: from,
      toHost: migration.to,
      fromZone: nodeZone(this.topology, from),
      toZone: nodeZone(this.topology, migration.to),
      crossesUntrusted: pathCrossesUntrusted(this.#linkZones(), path),
      cipher: migration.encryption,
    };
    const fromSite = siteOf(this.topology, from);
    const toSite = siteOf(this.topology, migration.to);
    if (vm.tenant !== undefined) plan.tenant = vm.tenant;
    if (fromSite !== undefined) plan.fromSite = fromSite;
    if (toSite !== undefined) plan.toSite = toSite;
    if (migration.commandSource !== undefined) plan.commandSource = migration.commandSource;
    return plan;
  }

  /** Tenants of the VMs on `host` and of those migrating to it, but `vm`'s. */
  #tenantsOn(host: string, vm: string): string[] {
    const tenants: string[] = [];
    for (const [id, at] of this.placement) {
      const tenant = this.vms.get(id)?.tenant;
      if (at === host && id !== vm && tenant !== undefined) tenants.push(tenant);
    }
    for (const incoming of this.#incoming.values()) {
      const tenant = this.vms.get(incoming.vm)?.tenant;
      if (incoming.to === host && incoming.vm !== vm && tenant !== undefined) tenants.push(tenant);
    }
    return tenants;
  }

  /**
   * Why migration `index` may not start now, or undefined when the policy lets it (it is then counted as in
   * flight to its destination until `ended`).
   */
  refusal(index: number, vm: VmSpec, migration: MigrationSpec, from: string, path: Int32Array): string | undefined {
    const decision = checkMigration(this.#plan(vm, migration, from, path), this.scenario.policy, {
      tenantsOnHost: (host) => this.#tenantsOn(host, vm.id),
    });
    if (!decision.allowed) return `refused by policy: ${decision.reason}`;
    this.#paths.set(index, path);
    this.#incoming.set(index, { vm: vm.id, to: migration.to });
    return undefined;
  }

  ended(index: number): void {
    this.#incoming.delete(index);
  }

  /** What migration `index` exposed: its stream's wire bytes on the untrusted links of its path, if unencrypted. */
  exposure(index: number, record: MigrationRecord, cipher: MigrationSpec['encryption']): ExposureResult {
    const path = this.#paths.get(index);
    if (path === undefined || cipher !== 'none') return NO_EXPOSURE;
    const zones = this.#linkZones();
    if (!pathCrossesUntrusted(zones, path)) return NO_EXPOSURE;
    const streamWireBytes = record.wireBytes - record.fetchWireBytes;
    const byLink = new Float64Array(zones.length);
    for (const link of path) byLink[link] = streamWireBytes;
    const exposed: Exposure = exposure(byLink, zones, cipher);
    return { bytes: exposed.bytes, linkBytes: exposed.linkBytes };
  }
}
