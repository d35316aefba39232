// Turns a checked scenario document (schema.ts, references.ts) into the Scenario the core runs (scenario.ts):
// names carry their units (`memory` → `memoryBytes`), `defaults.migration` fills every field a migration leaves
// out (field by field, also inside `hybrid` and `optimizations`), and `hosts.overrides` are merged over the
// host defaults. No defaults are invented here: they all come from schema.ts.
import type {
  GraphNodeSpec,
  GraphLinkSpec,
  GraphmlNetwork,
  LinkSpec,
  SiteTopologySpec,
  TopologySpec,
  WanLinkSpec,
  WanSiteSpec,
} from '../topology/types.js';
import type { HostSpec, ImageSpec, MigrationSpec, Scenario, ScheduleSpec, TrafficSpec, VmSpec } from './scenario.js';
import type {
  HostsDocument,
  MigrationDefaultsDocument,
  MigrationDocument,
  ScenarioDocument,
  SiteTopologyDocument,
  TopologyDocument,
} from './schema.js';
import { hypervisorProfile, type HypervisorName } from '../migration/hypervisor.js';
import { toLimits } from './limits.js';
import { toDiskSpec, toSdnSpec, toStorageFields } from './storage-schema.js';
import { toPolicy } from './policy-schema.js';
import { toEnergyEstimates, toPowerModel, toSwitchPower } from './power-schema.js';
import { toFaultFields, toFaults } from './fault-schema.js';

/** What the topology section refers to outside the scenario file, read by topology-file.ts. */
export interface TopologyFiles {
  /** the network of a `graphml` topology's file */
  graphml?: GraphmlNetwork;
}

function toLink(link: { capacity: number; latency: number }): LinkSpec {
  return { capacityBytesPerS: link.capacity, latencyS: link.latency };
}

/**
 * The TopologySpec of a checked topology section. A `graphml` topology needs its file's network in `files`
 * (topology-file.ts reads it); without it this throws.
 */
export function toTopologySpec(doc: TopologyDocument, files: TopologyFiles = {}): TopologySpec {
  switch (doc.kind) {
    case 'wan':
      return {
        kind: 'wan',
        sites: doc.sites.map((site) => {
          const spec: WanSiteSpec = { name: site.name, topology: toSiteTopologySpec(site.topology) };
          if (site.zone !== undefined) spec.zone = site.zone;
          if (site.gatewayLink !== undefined) spec.gatewayLink = toLink(site.gatewayLink);
          return spec;
        }),
        wanLinks: doc.wanLinks.map((link) => {
          const spec: WanLinkSpec = { from: link.from, to: link.to, ...toLink(link) };
          if (link.zone !== undefined) spec.zone = link.zone;
          return spec;
        }),
      };
    case 'graphml':
      if (files.graphml === undefined) throw new Error(`config: graphml topology ${doc.file} resolved before its file was read`);
      return { kind: 'graphml', file: doc.file, hostsPerNode: doc.hostsPerNode, link: toLink(doc.link), network: files.graphml };
    default:
      return toSiteTopologySpec(doc);
  }
}

function toSiteTopologySpec(doc: SiteTopologyDocument): SiteTopologySpec {
  switch (doc.kind) {
    case 'graph':
      return {
        kind: 'graph',
        nodes: doc.nodes.map((node) => {
          const spec: GraphNodeSpec = { id: node.id, kind: node.kind };
          if (node.site !== undefined) spec.site = node.site;
          if (node.zone !== undefined) spec.zone = node.zone;
          return spec;
        }),
        links: doc.links.map((link) => {
          const spec: GraphLinkSpec = { from: link.from, to: link.to, ...toLink(link), core: link.core };
          if (link.zone !== undefined) spec.zone = link.zone;
          return spec;
        }),
      };
    case 'fat-tree':
      return {
        kind: 'fat-tree',
        k: doc.k,
        link: toLink(doc.link),
        oversubscription: doc.oversubscription,
        ...(doc.coreLink === undefined ? {} : { coreLink: toLink(doc.coreLink) }),
      };
    case 'leaf-spine':
      return {
        kind: 'leaf-spine',
        leaves: doc.leaves,
        spines: doc.spines,
        hostsPerLeaf: doc.hostsPerLeaf,
        link: toLink(doc.link),
        ...(doc.uplink === undefined ? {} : { uplink: toLink(doc.uplink) }),
      };
  }
}

function toHosts(doc: HostsDocument): Scenario['hosts'] {
  const power = 'watts' in doc.power ? { kind: 'table' as const, wattsAtLoad: doc.power.watts } : { kind: 'linear' as const, idleW: doc.power.idle, maxW: doc.power.max };
  const defaults: HostSpec = { cores: doc.cores, memoryBytes: doc.memory, power, switchOff: doc.switchOff };
  // No prototype: a host named `constructor` or `toString` must find its own override or none (issue 17).
  const overrides = Object.create(null) as Record<string, HostSpec>;
  for (const [host, override] of Object.entries(doc.overrides)) {
    overrides[host] = {
      cores: override.cores ?? defaults.cores,
      memoryBytes: override.memory ?? defaults.memoryBytes,
      power: toPowerModel(override.power, defaults.power),
      switchOff: override.switchOff ?? defaults.switchOff,
    };
  }
  return { defaults, overrides };
}

function toVm(doc: ScenarioDocument['vms'][number]): VmSpec {
  const { workload, content } = doc;
  return {
    id: doc.id,
    host: doc.host,
    memoryBytes: doc.memory,
    vcpus: doc.vcpus,
    cpuLoad: doc.cpuLoad,
    workload: {
      dirtyRateBytesPerS: workload.dirtyRate,
      hotSetBytes: workload.hotSet,
      hotFraction: workload.hotFraction,
      pattern: workload.pattern,
    },
    content: {
      zeroFraction: content.zeroFraction,
      compressRatio: content.compressRatio,
      sharedFraction: content.sharedFraction,
      freeFraction: content.freeFraction,
      duplicateFraction: content.duplicateFraction,
      deltaRatio: content.deltaRatio,
      ...(content.image === undefined ? {} : { image: content.image }),
    },
    ...(doc.tenant === undefined ? {} : { tenant: doc.tenant }),
    ...(doc.disk === undefined ? {} : { disk: toDiskSpec(doc.disk) }),
    ...(doc.subnet === undefined ? {} : { subnet: doc.subnet }),
  };
}

function toMigration(doc: MigrationDocument, defaults: MigrationDefaultsDocument, scenarioHypervisor: HypervisorName): MigrationSpec {
  const to = doc.to ?? defaults.to;
  const hypervisor = doc.hypervisor ?? defaults.hypervisor ?? scenarioHypervisor;
  const knobs = hypervisorProfile(hypervisor).knobs;
  const timeout = doc.timeout ?? defaults.timeout;
  // references.ts reports a migration without `to` here or in defaults.migration before resolving.
  if (to === undefined) throw new Error(`config: migration of ${doc.vm} has no destination after validation`);
  const hybrid: MigrationSpec['hybrid'] = {};
  const rounds = doc.hybrid?.rounds ?? defaults.hybrid.rounds;
  const timeS = doc.hybrid?.time ?? defaults.hybrid.time;
  if (rounds !== undefined) hybrid.rounds = rounds;
  if (timeS !== undefined) hybrid.timeS = timeS;
  const own = doc.optimizations;
  const base = defaults.optimizations;
  const cipherThroughputs = { ...defaults.cipherThroughput, ...doc.cipherThroughput };
  const copyThroughputs = { ...defaults.copyThroughput, ...doc.copyThroughput };
  const encryptBytesPerS = cipherThroughputs.encrypt;
  const decryptBytesPerS = cipherThroughputs.decrypt;
  const commandSource = doc.commandSource ?? defaults.commandSource;
  const security: Pick<MigrationSpec, 'encryption' | 'encryptionMode' | 'cipherThroughputs' | 'copyThroughputs' | 'commandSource'> = {
    encryption: doc.encryption ?? defaults.encryption,
    encryptionMode: doc.encryptionMode ?? defaults.encryptionMode,
  };
  if (encryptBytesPerS !== undefined || decryptBytesPerS !== undefined) {
    security.cipherThroughputs = {
      ...(encryptBytesPerS === undefined ? {} : { encryptBytesPerS }),
      ...(decryptBytesPerS === undefined ? {} : { decryptBytesPerS }),
    };
  }
  if (copyThroughputs.send !== undefined || copyThroughputs.receive !== undefined) {
    security.copyThroughputs = {
      ...(copyThroughputs.send === undefined ? {} : { sendBytesPerS: copyThroughputs.send }),
      ...(copyThroughputs.receive === undefined ? {} : { receiveBytesPerS: copyThroughputs.receive }),
    };
  }
  if (commandSource !== undefined) security.commandSource = commandSource;
  return {
    vm: doc.vm,
    to,
    atS: doc.at ?? defaults.at,
    after: [...(doc.after ?? defaults.after)],
    strategy: doc.strategy ?? defaults.strategy,
    hypervisor,
    // A knob written in the migration or in defaults.migration overrides its profile's default.
    downtimeLimitS: doc.downtimeLimit ?? defaults.downtimeLimit ?? knobs.downtimeLimitS,
    convergenceCheck: doc.convergenceCheck ?? defaults.convergenceCheck ?? knobs.convergenceCheck,
    maxRounds: doc.maxRounds ?? defaults.maxRounds ?? knobs.maxRounds,
    maxBandwidthBytesPerS: doc.maxBandwidth ?? defaults.maxBandwidth ?? knobs.maxBandwidthBytesPerS,
    autoConverge: doc.autoConverge ?? defaults.autoConverge ?? knobs.autoConverge,
    hybrid,
    ...(timeout === undefined ? {} : { timeout: { afterS: timeout.after, action: timeout.action } }),
    prepaging: doc.prepaging ?? defaults.prepaging,
    cores: doc.cores ?? defaults.cores,
    ...toFaultFields(doc, defaults),
    optimizations: {
      zeroPages: own?.zeroPages ?? base.zeroPages,
      freePages: own?.freePages ?? base.freePages,
      compression: own?.compression ?? base.compression,
      deltaCompression: own?.deltaCompression ?? base.deltaCompression,
      dedup: own?.dedup ?? base.dedup,
      irlm: own?.irlm ?? base.irlm,
      gang: own?.gang ?? base.gang,
      deferHotPages: own?.deferHotPages ?? base.deferHotPages,
      xbzrleCacheBytes: doc.xbzrleCache ?? defaults.xbzrleCache,
    },
    ...security,
    ...toStorageFields(doc, defaults),
  };
}

function toSchedule(doc: ScenarioDocument['schedule']): ScheduleSpec {
  const spec: ScheduleSpec = { policy: doc.policy, orderBy: doc.orderBy, onFull: doc.onFull };
  if (doc.maxConcurrent !== undefined) spec.maxConcurrent = doc.maxConcurrent;
  return spec;
}

function toTraffic(doc: ScenarioDocument['traffic'][number]): TrafficSpec {
  const spec: TrafficSpec = { from: doc.from, to: doc.to, rateBytesPerS: doc.rate, startS: doc.start };
  if (doc.size !== undefined) spec.sizeBytes = doc.size;
  if (doc.duration !== undefined) spec.durationS = doc.duration;
  return spec;
}

/** Every image a VM names, with its pool: as written, else the largest share of it any VM holds. */
function toImages(doc: ScenarioDocument): Record<string, ImageSpec> {
  const images = Object.create(null) as Record<string, ImageSpec>;
  for (const vm of doc.vms) {
    const name = vm.content.image;
    if (name === undefined) continue;
    const share = vm.content.sharedFraction * vm.memory;
    const written = doc.images[name]?.sharedPool;
    images[name] = { sharedPoolBytes: written ?? Math.max(images[name]?.sharedPoolBytes ?? 0, share) };
  }
  return images;
}

/** The Scenario of a document that passed the schema and the reference checks; `topology`, when given, is its
 * topology section already resolved (with its files read: topology-file.ts). */
export function toScenario(doc: ScenarioDocument, defaultName: string, topology?: TopologySpec): Scenario {
  const scenario: Scenario = {
    name: doc.name ?? defaultName,
    seed: doc.seed,
    limits: toLimits(doc.limits),
    topology: topology ?? toTopologySpec(doc.topology),
    network: { mtuBytes: doc.network.mtu, headerBytes: doc.network.headerBytes, tcpWindowBytes: doc.network.tcpWindow },
    sdn: toSdnSpec(doc.network.sdn),
    hosts: toHosts(doc.hosts),
    vms: doc.vms.map(toVm),
    migrations: doc.migrations.map((migration) => toMigration(migration, doc.defaults.migration, doc.hypervisor)),
    schedule: toSchedule(doc.schedule),
    traffic: doc.traffic.map(toTraffic),
    images: toImages(doc),
    faults: toFaults(doc.faults),
    policy: toPolicy(doc.policy),
    energyEstimates: toEnergyEstimates(doc.energy),
  };
  if (doc.horizon !== undefined) scenario.horizonS = doc.horizon;
  if (doc.checks !== undefined) scenario.checks = doc.checks;
  if (doc.switches !== undefined) scenario.switchPower = toSwitchPower(doc.switches);
  return scenario;
}
