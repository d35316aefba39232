// The migration policy at run time, and what migrations exposed on untrusted links.
//
// When a migration is about to start, PolicyGate builds its MigrationPlan (src/security/policy.ts): the VM's
// tenant, both hosts with their WAN sites and zones, whether its path crosses an untrusted link (zones.ts,
// with the links' zones computed once per run), its cipher and the source its command names; and the
// placement anti-affinity rules look at: the tenants of the VMs on the destination now (where each VM's
// guest runs, as run-scenario.ts tracks it) and of those migrating to it. A refusal is a reason string, for
// the migration's result; the run goes on.
//
// Exposure: the wire bytes of an unencrypted migration that went over untrusted links (zones.ts exposure):
// possible when the policy lets such a migration run (requireEncryption: never), or when a fault re-routes one
// that started on trusted links onto untrusted ones (the policy looks at the path a migration starts on).
// Counted per path segment: each flow of the migration (memory stream, disk copy, mirror, in-rack copies of
// shared pages) tells, through its fault watcher (migration-faults.ts), the wire bytes it sent on each path it
// took, and those bytes count on that path's untrusted links only.
import type { MigrationSpec, Scenario, VmSpec } from '../config/scenario.js';
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
  /** migration index → wire bytes its flows put on each untrusted link (unencrypted migrations only) */
  readonly #untrustedBytes = new Map<number, Map<number, number>>();
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
    this.#incoming.set(index, { vm: vm.id, to: migration.to });
    return undefined;
  }

  ended(index: number): void {
    this.#incoming.delete(index);
  }

  /** Wire bytes a flow of migration `index` sent along `path` (one path segment of the flow). */
  carried(index: number, path: ArrayLike<number>, wireBytes: number): void {
    if (wireBytes === 0 || this.scenario.migrations[index]?.encryption !== 'none') return;
    const zones = this.#linkZones();
    let byLink = this.#untrustedBytes.get(index);
    for (let i = 0; i < path.length; i++) {
      const link = path[i]!;
      if (zones[link] !== 'untrusted') continue;
      if (byLink === undefined) {
        byLink = new Map();
        this.#untrustedBytes.set(index, byLink);
      }
      byLink.set(link, (byLink.get(link) ?? 0) + wireBytes);
    }
  }

  /** What migration `index` exposed: the wire bytes its flows put on untrusted links, if unencrypted. */
  exposure(index: number, cipher: MigrationSpec['encryption']): ExposureResult {
    const byLink = this.#untrustedBytes.get(index);
    if (byLink === undefined || cipher !== 'none') return NO_EXPOSURE;
    const zones = this.#linkZones();
    const carried = new Float64Array(zones.length);
    for (const [link, bytes] of byLink) carried[link] = bytes;
    const exposed: Exposure = exposure(carried, zones, cipher);
    return { bytes: exposed.bytes, linkBytes: exposed.linkBytes };
  }
}
