// The scenario document as users write it (CONTRACT.md, "Scenario file" and "Fields a scenario can use"): its
// shape, ranges and defaults, each default with its source. Quantities come out in SI base units; names stay as
// written (resolve.ts renames them into the Scenario type). References between sections (hosts, VMs,
// migrations) are checked by references.ts, which needs the topology.
import { z } from 'zod';
import type { SchedulePolicy, StrategyName } from './scenario.js';
import { SCHEDULE_POLICIES, STRATEGY_NAMES } from '../migration/names.js';
import { DEFAULT_DELTA_RATIO, XBZRLE_DEFAULT_CACHE_BYTES } from '../migration/page-cost.js';
import { DEFAULT_HYPERVISOR, HYPERVISOR_NAMES } from '../migration/hypervisor.js';
import {
  flag,
  fraction,
  implemented,
  name,
  oneOf,
  quantity,
  rateOrNone,
  strictObject,
  wholeNumber,
} from './fields.js';
import { limitsSchema } from './limits.js';
import { addressingScheme, diskSchema, diskWriteLimit, sdnSchema, storageDefaults, storageMode, storageOrder } from './storage-schema.js';
import { policySchema } from './policy-schema.js';
import { energyEstimatesSchema, hostPower, hostPowerOverride, switchesSchema } from './power-schema.js';
import { checksSchema, faultDefaults, faultSettings, faultsSchema } from './fault-schema.js';
import { planSchema } from './plan-schema.js';
import { CIPHER_NAMES, DEFAULT_ENCRYPTION_MODE, ENCRYPTION_MODES } from '../security/ciphers.js';
import { MAX_FAT_TREE_K, MAX_GRAPHML_HOSTS, MAX_LEAF_SPINE_HOSTS, siteTopology, topologySchema } from './topology-schema.js';

export { MAX_FAT_TREE_K, MAX_GRAPHML_HOSTS, MAX_LEAF_SPINE_HOSTS, topologySchema };

/** Every strategy and policy name CONTRACT.md lists; those not in ../migration/names.ts are "not supported yet". */
const KNOWN_STRATEGIES: readonly StrategyName[] = ['stop-and-copy', 'precopy', 'postcopy', 'hybrid'];
const KNOWN_POLICIES: readonly SchedulePolicy[] = [
  'as-written', 'sequential', 'parallel', 'bounded', 'smallest-first', 'largest-first', 'rack-grouped', 'gang',
];

/** QEMU's default live migration is precopy; until precopy is implemented, the first implemented strategy. */
export const DEFAULT_STRATEGY: StrategyName = (STRATEGY_NAMES as readonly StrategyName[]).includes('precopy')
  ? 'precopy'
  : STRATEGY_NAMES[0];

// ---- network ----

/** A whole number of bytes in [min, max], written as a size. */
function byteCount(min: number, max: number) {
  return quantity('size').superRefine((bytes, ctx) => {
    if (!Number.isInteger(bytes) || bytes < min || bytes > max) {
      ctx.addIssue({ code: 'custom', message: `${bytes} B is out of range (expected a whole number of bytes from ${min} to ${max})` });
    }
  });
}

const network = strictObject({
  // Ethernet's IP MTU (RFC 894); bounded by the IPv4 minimum 68 B and maximum packet 65535 B (RFC 791).
  mtu: byteCount(68, 65_535).default(1500),
  // Ethernet framing 38 B (preamble 8, header 14, FCS 4, inter-frame gap 12) + IPv4 20 B + TCP 20 B; the
  // transport takes the 40 B of IP/TCP out of the MTU for the payload per packet.
  headerBytes: byteCount(0, 65_535).default(78),
  // SimGrid's default TCP gamma (network/TCP-gamma), 4194304 B: a flow runs at most at window / RTT.
  tcpWindow: quantity('size', { positive: true }).default(4 * 2 ** 20),
  sdn: sdnSchema.prefault({}),
});

// ---- hosts ----

// `{ idle, max }`, a table of watts at 0..100 % load, or a preset name (power-schema.ts). Default: the line
// between the ends of CloudSim's PowerModelSpecPowerHpProLiantMl110G5 (SPECpower): 93.7 W at 0 %, 135 W at 100 %.
const defaultHostPower = hostPower(
  strictObject({ idle: quantity('power').default(93.7), max: quantity('power', { positive: true }).default(135) }),
);

const hostOverride = strictObject({
  cores: wholeNumber(1).optional(),
  memory: quantity('size', { positive: true }).optional(),
  power: hostPowerOverride(strictObject({ idle: quantity('power').optional(), max: quantity('power', { positive: true }).optional() })).optional(),
  switchOff: flag().optional(),
});

function checkPower(idle: number, max: number, path: PropertyKey[], ctx: z.core.$RefinementCtx): void {
  if (max < idle) {
    ctx.addIssue({ code: 'custom', path, message: `${max} W is below the idle power ${idle} W (expected max ≥ idle)` });
  }
}

const hosts = strictObject({
  // A common two-socket server of 16 cores each; an assumption of ours, not a measured machine.
  cores: wholeNumber(1).default(32),
  // 256 GiB: a common memory size for such a server; an assumption of ours.
  memory: quantity('size', { positive: true }).default(256 * 2 ** 30),
  power: defaultHostPower.prefault({}),
  // Hosts stay on whether or not they run VMs, unless a consolidation study switches empty ones off.
  switchOff: flag().default(false),
  overrides: z.record(z.string(), hostOverride).default({}),
}).superRefine((spec, ctx) => {
  const ends = (power: typeof spec.power): { idle: number; max: number } =>
    'watts' in power ? { idle: power.watts[0] ?? 0, max: power.watts[power.watts.length - 1] ?? 0 } : power;
  const base = ends(spec.power);
  if (!('watts' in spec.power)) checkPower(base.idle, base.max, ['power', 'max'], ctx);
  for (const [host, override] of Object.entries(spec.overrides)) {
    if (override.power === undefined || 'watts' in override.power) continue;
    const idle = override.power.idle ?? base.idle;
    const max = override.power.max ?? base.max;
    checkPower(idle, max, ['overrides', host, 'power', override.power.max === undefined ? 'idle' : 'max'], ctx);
  }
});

// ---- VMs ----

const vm = strictObject({
  id: name('a VM id'),
  host: name('a host id'),
  memory: quantity('size', { positive: true }),
  vcpus: wholeNumber(1).default(1),
  // An idle guest unless told otherwise.
  cpuLoad: fraction().default(0),
  // A VM that writes nothing unless told otherwise: the easiest case for every strategy.
  workload: strictObject({
    dirtyRate: quantity('rate').default(0),
    hotSet: quantity('size').default(0),
    hotFraction: fraction().default(0),
    // DESIGN.md, Migration: uniform writes inside each set are the default model.
    pattern: oneOf(['random', 'sequential']).default('random'),
  }).prefault({}),
  // Incompressible memory with no zero and no shared pages unless told otherwise: no optimization helps.
  content: strictObject({
    zeroFraction: fraction().default(0),
    compressRatio: fraction({ aboveZero: true }).default(1),
    image: name('an image name').optional(),
    sharedFraction: fraction().default(0),
    // Disjoint classes with zeroFraction (src/migration/page-cost.ts): none unless told otherwise.
    freeFraction: fraction().default(0),
    duplicateFraction: fraction().default(0),
    // XBZRLE's encoded size of a re-sent page in its author's sparse-write benchmark (page-cost.ts).
    deltaRatio: fraction().default(DEFAULT_DELTA_RATIO),
  }).prefault({}),
  // Absent: the disk is on shared storage (storage-schema.ts).
  disk: diskSchema.optional(),
  // Absent: the subnet of the VM's host; a name is checked against the sites in storage-references.ts.
  subnet: name('a subnet (site) name').optional(),
  // For the migration policy's tenant rules (policy-schema.ts); a VM without one matches no tenant criterion.
  tenant: name('a tenant name').optional(),
}).superRefine((spec, ctx) => {
  const { hotSet, hotFraction } = spec.workload;
  if (hotSet > spec.memory) {
    ctx.addIssue({
      code: 'custom',
      path: ['workload', 'hotSet'],
      message: `${hotSet} B is larger than the VM's memory of ${spec.memory} B (expected at most the memory)`,
    });
  }
  const { zeroFraction, freeFraction, duplicateFraction, sharedFraction } = spec.content;
  if (zeroFraction + freeFraction + duplicateFraction > 1 + 1e-9) {
    ctx.addIssue({
      code: 'custom',
      path: ['content'],
      message: `zeroFraction + freeFraction + duplicateFraction = ${zeroFraction + freeFraction + duplicateFraction} (expected at most 1: the classes are disjoint)`,
    });
  } else if (zeroFraction + freeFraction + duplicateFraction + sharedFraction > 1 + 1e-9) {
    // Pages shared with other VMs of the image are data pages (src/migration/shared-pages.ts).
    ctx.addIssue({
      code: 'custom',
      path: ['content', 'sharedFraction'],
      message: `${sharedFraction} with zeroFraction + freeFraction + duplicateFraction = ${zeroFraction + freeFraction + duplicateFraction} exceeds 1 (expected at most ${Math.max(0, 1 - zeroFraction - freeFraction - duplicateFraction)}: shared pages are the VM's other, non-zero pages)`,
    });
  }
  if (hotFraction > 0 && hotSet === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['workload', 'hotFraction'],
      message: `${hotFraction} of the writes go to a hot set of 0 B (expected a hotSet greater than 0, or hotFraction 0)`,
    });
  }
});

// ---- migrations ----

const strategy = implemented('strategy', STRATEGY_NAMES as readonly StrategyName[], KNOWN_STRATEGIES);
const storage = storageMode;
const addressing = addressingScheme;
const encryption = implemented('cipher', CIPHER_NAMES, CIPHER_NAMES);
const encryptionMode = oneOf(ENCRYPTION_MODES);
// Per-core throughputs replacing the measured defaults (src/security/ciphers.ts, src/power/migration-cpu.ts).
const cipherThroughput = strictObject({ encrypt: quantity('rate', { positive: true }).optional(), decrypt: quantity('rate', { positive: true }).optional() });
const copyThroughput = strictObject({ send: rateOrNone().optional(), receive: rateOrNone().optional() });
const OPTIMIZATIONS = ['zeroPages', 'freePages', 'compression', 'deltaCompression', 'dedup', 'irlm', 'gang', 'deferHotPages'] as const;

/** Where precopy tests convergence (scenario.ts ConvergenceCheck). */
const convergenceCheck = oneOf(['round-end', 'qemu']);

const hybridSettings = strictObject({ rounds: wholeNumber(1).optional(), time: quantity('time').optional() });

/** Whose migration code a migration follows (src/migration/hypervisor.ts, the one list of the names). */
const hypervisor = oneOf(HYPERVISOR_NAMES);

/** libvirt's virsh migrate --timeout SECONDS with --timeout-suspend (pause) or --timeout-postcopy, or an abort. */
const timeout = strictObject({
  after: quantity('time', { positive: true }),
  // libvirt's --timeout alone suspends the guest (the migration then finishes paused).
  action: oneOf(['pause', 'postcopy', 'abort']).default('pause'),
});

/** The fields a migration may set, all optional: unset ones come from `defaults.migration`. */
const migrationSettings = {
  to: name('a host id').optional(),
  at: quantity('time').optional(),
  after: z.array(name('a VM id')).optional(),
  strategy: strategy.optional(),
  hypervisor: hypervisor.optional(),
  downtimeLimit: quantity('time').optional(),
  convergenceCheck: convergenceCheck.optional(),
  maxRounds: wholeNumber(1).optional(),
  maxBandwidth: rateOrNone().optional(),
  autoConverge: flag().optional(),
  hybrid: hybridSettings.optional(),
  timeout: timeout.optional(),
  prepaging: flag().optional(),
  cores: wholeNumber(1).optional(),
  xbzrleCache: quantity('size').optional(),
  optimizations: strictObject(Object.fromEntries(OPTIMIZATIONS.map((key) => [key, flag().optional()])) as Record<
    (typeof OPTIMIZATIONS)[number],
    z.ZodOptional<ReturnType<typeof flag>>
  >).optional(),
  storage: storage.optional(),
  storageOrder: storageOrder.optional(),
  diskWriteLimit: diskWriteLimit.optional(),
  addressing: addressing.optional(),
  encryption: encryption.optional(),
  encryptionMode: encryptionMode.optional(),
  cipherThroughput: cipherThroughput.optional(),
  copyThroughput: copyThroughput.optional(),
  commandSource: name('a host id or site name').optional(),
  ...faultSettings,
};

const migration = strictObject({ vm: name('a VM id'), ...migrationSettings });

/** `defaults.migration`: every migration field but `vm`, with the built-in defaults. */
const migrationDefaults = strictObject({
  to: name('a host id').optional(),
  at: quantity('time').default(0),
  after: z.array(name('a VM id')).default([]),
  strategy: strategy.default(DEFAULT_STRATEGY),
  // Absent: the scenario's `hypervisor`, whose profile gives the five knobs below their defaults (resolve.ts,
  // src/migration/hypervisor.ts: each default with its source there).
  hypervisor: hypervisor.optional(),
  downtimeLimit: quantity('time').optional(),
  convergenceCheck: convergenceCheck.optional(),
  maxRounds: wholeNumber(1).optional(),
  maxBandwidth: rateOrNone().optional(),
  autoConverge: flag().optional(),
  hybrid: hybridSettings.prefault({}),
  // Absent: no timeout (libvirt's default); a precopy that iterates until cancelled then fails as not converged.
  timeout: timeout.optional(),
  // Postcopy pushes the hot set first: Hines & Gopalan's pre-paging (VEE 2009, §3.2).
  prepaging: flag().default(true),
  // One core each end for compression, XBZRLE and hashing: QEMU's single migration thread.
  cores: wholeNumber(1).default(1),
  // QEMU's default xbzrle-cache-size, 64 MiB (migration/options.c DEFAULT_MIGRATE_XBZRLE_CACHE_SIZE).
  xbzrleCache: quantity('size').default(XBZRLE_DEFAULT_CACHE_BYTES),
  // Every optimization off: plain QEMU precopy sends every page as it is.
  optimizations: strictObject(Object.fromEntries(OPTIMIZATIONS.map((key) => [key, flag().default(false)])) as Record<
    (typeof OPTIMIZATIONS)[number],
    z.ZodDefault<ReturnType<typeof flag>>
  >).prefault({}),
  ...storageDefaults,
  encryption: encryption.default('none'),
  // QEMU's own migration encryption is TLS (migration parameter tls-creds): ciphers.ts DEFAULT_ENCRYPTION_MODE.
  encryptionMode: encryptionMode.default(DEFAULT_ENCRYPTION_MODE),
  // Absent: the measured figures of ciphers.ts and migration-cpu.ts.
  cipherThroughput: cipherThroughput.optional(),
  copyThroughput: copyThroughput.optional(),
  // Absent: the command names the VM's host (src/security/policy.ts).
  commandSource: name('a host id or site name').optional(),
  // stallTimeout (30 s: libvirt's keepalive) and retry (none): fault-schema.ts.
  ...faultDefaults,
});

// ---- the document ----

const schedule = strictObject({
  // Migrations start at their own `at` and `after`, as written.
  policy: implemented('schedule policy', SCHEDULE_POLICIES as readonly SchedulePolicy[], KNOWN_POLICIES).default('as-written'),
  maxConcurrent: wholeNumber(1).optional(),
  // smallest-first / largest-first sort by memory size unless told otherwise: what operators know of a VM.
  orderBy: oneOf(['memory', 'bytes', 'dirtyRate']).default('memory'),
  // A destination without room refuses the migration (with its reason in the results) unless told to wait.
  onFull: oneOf(['refuse', 'wait']).default('refuse'),
}).superRefine((spec, ctx) => {
  if (spec.policy === 'bounded' && spec.maxConcurrent === undefined) {
    ctx.addIssue({ code: 'custom', path: ['maxConcurrent'], message: 'missing (expected a whole number at least 1: the bounded policy needs it)' });
  }
});

// ---- application traffic (src/transport/application-traffic.ts); endpoints are checked in references.ts ----

const trafficFlow = strictObject({
  from: name('a VM or host id'),
  to: name('a VM or host id'),
  // A greedy TCP flow (it takes its max-min share) unless capped.
  rate: rateOrNone().default(Infinity),
  // Absent: a long-lived flow, until its duration or the horizon.
  size: quantity('size', { positive: true }).optional(),
  // From the start of the run unless told otherwise.
  start: quantity('time').default(0),
  duration: quantity('time', { positive: true }).optional(),
});

// ---- images: pools of identical pages shared by VMs of one image (src/migration/shared-pages.ts) ----

const image = strictObject({
  // Default (resolve.ts): the largest share any VM of the image holds, i.e. all its VMs hold the same pages.
  sharedPool: quantity('size', { positive: true }).optional(),
});

export const scenarioDocumentSchema = strictObject({
  // Default: the file name without its extension (load.ts).
  name: name('a scenario name').optional(),
  // Any fixed seed makes runs repeatable; 1 is ours. 32 bits, what the engine's generator is seeded with.
  seed: wholeNumber(0, 2 ** 32 - 1).default(1),
  topology: topologySchema,
  network: network.prefault({}),
  hosts: hosts.prefault({}),
  defaults: strictObject({ migration: migrationDefaults.prefault({}) }).prefault({}),
  vms: z.array(vm).default([]),
  traffic: z.array(trafficFlow).default([]),
  migrations: z.array(migration).default([]),
  schedule: schedule.prefault({}),
  images: z.record(z.string(), image).default({}),
  policy: policySchema.prefault({}),
  // Coefficients of the per-migration energy estimates (power-schema.ts); none built in.
  energy: energyEstimatesSchema.prefault({}),
  // Switch and gateway power (power-schema.ts); absent: switch energy is not reported.
  switches: switchesSchema.optional(),
  // Default (CONTRACT.md): the end of the last migration or sized flow, decided by the engine.
  horizon: quantity('time', { positive: true }).optional(),
  faults: faultsSchema.default([]),
  // Invariant checks (src/engine/invariants.ts); absent: the MIGNET_CHECKS environment variable decides.
  checks: checksSchema,
  // Sizes and run lengths, each default with its reason in limits.ts.
  limits: limitsSchema.prefault({}),
  // QEMU/KVM: what most users of live migration run (src/migration/hypervisor.ts).
  hypervisor: hypervisor.default(DEFAULT_HYPERVISOR),
  // What `mignet plan` is asked to find (plan-schema.ts); `mignet run` ignores it.
  plan: planSchema.optional(),
});

export type ScenarioDocument = z.output<typeof scenarioDocumentSchema>;
export type TopologyDocument = z.output<typeof topologySchema>;
export type SiteTopologyDocument = z.output<typeof siteTopology>;
export type MigrationDocument = z.output<typeof migration>;
export type MigrationDefaultsDocument = z.output<typeof migrationDefaults>;
export type HostsDocument = z.output<typeof hosts>;
