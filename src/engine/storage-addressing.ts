// Where storage migration and VM addressing meet the run (run-scenario.ts calls these): each migration gets a
// switchover (src/migration/switchover.ts) with its addressing scheme's delay and, when its VM's local disk
// moves, the disk's copy (storage-process.ts) run beside the memory's; the migration stream gets the scheme's
// per-packet bytes (vl2 only); and application flows to and from a VM get its scheme's bytes and, after a
// Mobile IPv4 move, the triangle through its home agent (src/transport/addressing.ts).
// The home agent of a VM is the gateway `<site>/gw` of its home subnet (`vm.subnet`, else its host's WAN
// site), else the host it started on (a topology without sites is one subnet).
import type { MigrationSpec, Scenario, VmSpec } from '../config/scenario.js';
import type { MigrationRecord, TransferPlan } from '../migration/migration-process.js';
import { createStorageStrategy } from '../migration/storage-strategies.js';
import { StorageProcess } from '../migration/storage-process.js';
import { Switchover } from '../migration/switchover.js';
import type { Router } from '../topology/routing.js';
import type { Topology } from '../topology/types.js';
import { gatewayOf, siteOf } from '../topology/wan.js';
import { ADDRESSING_MODELS, switchoverDelayS, trafficOverheadBytes } from '../transport/addressing.js';
import type { FlowNetwork } from '../transport/flow-network.js';
import { IP_TCP_HEADER_BYTES, wireFactor } from '../transport/wire.js';
import type { Simulator } from './simulator.js';

export interface StorageAddressingEnvironment {
  sim: Simulator;
  network: FlowNetwork;
  topology: Topology;
  router: Router;
  scenario: Scenario;
  /** the route between two hosts for a flow key (ECMP-salted as the run's) */
  route(from: string, to: string, key: string): Int32Array | null;
  /** routes end to end as one path (fault-injector.ts RouteBook: a link-up routes each part anew) */
  joinRoutes(parts: readonly Int32Array[]): Int32Array;
  /** the host an endpoint (VM or host) is on now */
  hostOf(endpoint: string): string;
}

interface VmAddress {
  scheme: MigrationSpec['addressing'];
  homeAgent: string;
  originalHost: string;
}

export class StorageAddressing {
  private readonly addresses = new Map<string, VmAddress>();
  private readonly storage = new Map<string, StorageProcess>();
  private readonly switchovers = new Map<string, Switchover>();

  constructor(private readonly env: StorageAddressingEnvironment) {
    const vms = new Map(env.scenario.vms.map((vm) => [vm.id, vm]));
    for (const migration of env.scenario.migrations) {
      const vm = vms.get(migration.vm);
      if (vm === undefined) continue;
      this.addresses.set(vm.id, { scheme: migration.addressing, homeAgent: this.homeAgentOf(vm), originalHost: vm.host });
    }
  }

  /**
   * Readies a migration about to start on `transfer.path`: adds its scheme's bytes to the stream's wire factor
   * and gives it a switchover (with the disk's copy when a disk moves, its flows on `network`: the migration's
   * view of the network, which its fault watcher tracks, migration-faults.ts).
   */
  attach(transfer: TransferPlan, record: MigrationRecord, network: FlowNetwork = this.env.network): void {
    const { sim, router, scenario } = this.env;
    const { vm, migration, path } = transfer;
    const payloadPerPacket = scenario.network.mtuBytes - IP_TCP_HEADER_BYTES;
    transfer.wireFactor += ADDRESSING_MODELS[migration.addressing].streamBytes / payloadPerPacket; // wire.ts's form, additive in the bytes
    const pathLatencyS = router.pathLatencyS(path);
    const homeAgent = this.addresses.get(vm.id)?.homeAgent ?? vm.host;
    const usesHomeAgent = ADDRESSING_MODELS[migration.addressing].switchover === 'home-agent';
    const homePath = usesHomeAgent ? this.env.route(migration.to, homeAgent, `home-agent:${vm.id}`) : null;
    const delayS = switchoverDelayS(
      migration.addressing,
      {
        pathLatencyS,
        homeAgentRttS: homePath === null ? 2 * pathLatencyS : 2 * router.pathLatencyS(homePath),
        switches: Math.max(0, path.length - 1),
      },
      scenario.sdn,
    );
    record.addressing = { scheme: migration.addressing, switchoverDelayS: delayS };
    const disk = vm.disk;
    const mode = migration.storage;
    const moves = mode !== 'shared' && disk !== undefined;
    const switchover = new Switchover(sim, { storage: moves, order: migration.storageOrder, delayS });
    transfer.switchover = switchover;
    this.switchovers.set(vm.id, switchover);
    if (!moves) return;
    const pathRttS = 2 * pathLatencyS;
    const strategy = createStorageStrategy(mode, { vm, migration, pathRttS, switchoverReady: () => switchover.mayPause('storage') }, disk);
    const plan = { mode, disk, migration, path, wireFactor: transfer.wireFactor, pathRttS };
    this.storage.set(vm.id, new StorageProcess(sim, network, plan, strategy, record, switchover));
  }

  /**
   * A VM's migration ended without completing (fault injection): its disk copy stops where it is, counting the
   * bytes it had sent (a snapshot copy leaves its snapshots behind: StorageProcess.abort), and its switchover
   * waits and wakes no more. Safe to call again.
   */
  abort(vm: string): void {
    this.storage.get(vm)?.abort();
    this.switchovers.get(vm)?.abort();
  }

  /**
   * The path and wire factor of an application flow's stretch between two ends (VM or host ids) now: each VM
   * end adds its scheme's bytes (toward it, or from it), and a flow toward a VM that moved under Mobile IPv4
   * goes through its home agent. Null without a route.
   */
  trafficSegment(from: string, to: string, key: string): { path: Int32Array; wireFactor: number } | null {
    const { hostOf, route, joinRoutes, scenario } = this.env;
    const fromHost = hostOf(from);
    const toHost = hostOf(to);
    const target = this.addresses.get(to);
    const extra = this.overhead(from, false) + this.overhead(to, true);
    let path: Int32Array | null;
    if (target !== undefined && toHost !== target.originalHost && ADDRESSING_MODELS[target.scheme].afterMove === 'via-home-agent') {
      const toHome = route(fromHost, target.homeAgent, `${key}:to-home-agent`); // empty when the flow starts there
      const tunnel = route(target.homeAgent, toHost, `${key}:tunnel`);
      path = toHome === null || tunnel === null ? null : joinRoutes([toHome, tunnel]);
    } else {
      path = route(fromHost, toHost, key);
    }
    return path === null ? null : { path, wireFactor: wireFactor(scenario.network, extra) };
  }

  /** Per-packet bytes a VM end adds to a flow (none for a host or a VM that does not migrate). */
  private overhead(endpoint: string, toVm: boolean): number {
    const address = this.addresses.get(endpoint);
    if (address === undefined) return 0;
    return trafficOverheadBytes(address.scheme, toVm, this.env.hostOf(endpoint) !== address.originalHost);
  }

  private homeAgentOf(vm: VmSpec): string {
    const { topology } = this.env;
    const subnet = vm.subnet ?? (topology.kind === 'wan' ? siteOf(topology, vm.host) : undefined);
    const gateway = subnet === undefined ? undefined : gatewayOf(subnet);
    return gateway !== undefined && topology.graph.hasNode(gateway) ? gateway : vm.host;
  }
}
