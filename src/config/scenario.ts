// The validated scenario the core runs: every default applied, every quantity in SI base units
// (bytes, seconds, bytes per second, watts), every reference checked. Built only by src/config.
import type { HypervisorName } from '../migration/hypervisor.js';
import type { CopyThroughputs } from '../power/migration-cpu.js';
import type { HostPowerModel } from '../power/host-power.js';
import type { SwitchPowerModel } from '../power/switch-power.js';
import type { CipherName, CipherThroughputOverrides, EncryptionMode } from '../security/ciphers.js';
import type { Policy } from '../security/policy.js';
import type { TopologySpec } from '../topology/types.js';
import type { LimitsSpec } from './limits.js';
import type { EnergyEstimatesSpec } from './power-schema.js';

export interface NetworkSpec {
  /** IP MTU of every path, bytes */
  mtuBytes: number;
  /** per-packet bytes on the wire beyond the TCP payload, see src/transport/wire.ts */
  headerBytes: number;
  /** TCP window: a flow's rate is at most window / RTT (SimGrid's model) */
  tcpWindowBytes: number;
}

export interface SdnSpec {
  /** round trip between the controller and the switches; absent: the RTT of the migration path */
  controllerRttS?: number;
  /** time to install the VM's new rule on one switch; the switches are updated one after another */
  ruleUpdateS: number;
}

export interface HostSpec {
  cores: number;
  memoryBytes: number;
  /** watts as a function of CPU utilization (src/power/host-power.ts) */
  power: HostPowerModel;
  /** the host draws 0 W while it runs no VM and does no migration work (consolidation studies) */
  switchOff: boolean;
}

export type WritePattern = 'random' | 'sequential';

export interface WorkloadSpec {
  dirtyRateBytesPerS: number;
  hotSetBytes: number;
  /** fraction of writes that hit the hot set, 0..1 */
  hotFraction: number;
  pattern: WritePattern;
}

export interface ContentSpec {
  zeroFraction: number;
  /** compressed size / original size, 0..1 */
  compressRatio: number;
  image?: string;
  sharedFraction: number;
  /** free pages holding stale (non-zero) data, skipped by free-page hinting, 0..1; default 0.
   * zeroFraction + freeFraction + duplicateFraction ≤ 1 (disjoint classes, src/migration/page-cost.ts) */
  freeFraction?: number;
  /** non-zero pages identical to another page of this VM (the redundant copies, for dedup), 0..1; default 0 */
  duplicateFraction?: number;
  /** XBZRLE-encoded size / page size of a re-sent page, 0..1; default DEFAULT_DELTA_RATIO (page-cost.ts) */
  deltaRatio?: number;
}

export interface VmSpec {
  id: string;
  host: string;
  memoryBytes: number;
  vcpus: number;
  /** 0..1 */
  cpuLoad: number;
  workload: WorkloadSpec;
  content: ContentSpec;
  /** the tenant the VM belongs to, for the migration policy (src/security/policy.ts) */
  tenant?: string;
  /** a local disk; absent: the disk is on shared storage and nothing of it moves */
  disk?: DiskSpec;
  /** the VM's home subnet, a site name (src/transport/addressing.ts); absent: the subnet of its host */
  subnet?: string;
}

/** A VM's local disk and its writes (src/migration/disk-model.ts): writes at `writeRateBytesPerS`, a fraction
 * `hotFraction` of them into a hot set of `hotSetBytes` and the rest into the remainder, as in memory. */
export interface DiskSpec {
  sizeBytes: number;
  writeRateBytesPerS: number;
  hotSetBytes: number;
  hotFraction: number;
  pattern: WritePattern;
}

/** How a VM's disk moves (src/migration/storage-strategies.ts). */
export type StorageMode = 'shared' | 'snapshot' | 'dirty-block' | 'mirror';

/** Whether the disk's live copy runs before the memory migration starts (VMware ESX) or alongside it. */
export type StorageOrder = 'before' | 'concurrent';

/** How the VM's traffic finds it after the move (src/transport/addressing.ts). */
export type AddressingScheme = 'l2' | 'vxlan' | 'netlord' | 'vl2' | 'mobile-ipv4' | 'mobile-ipv6' | 'sdn';

export type StrategyName = 'stop-and-copy' | 'precopy' | 'postcopy' | 'hybrid';

/** When precopy tests whether the rest fits the downtime limit (src/migration/precopy-rounds.ts): at the end of
 * each round (Clark et al. NSDI 2005; SimGrid), or where QEMU does, inside a pass (migration.c
 * migration_iteration_run). */
export type ConvergenceCheck = 'round-end' | 'qemu';

export interface OptimizationsSpec {
  zeroPages: boolean;
  freePages: boolean;
  compression: boolean;
  deltaCompression: boolean;
  dedup: boolean;
  irlm: boolean;
  /** dedup of identical pages across VMs of one image migrating together from one host to one host
   * (live gang migration, Deshpande et al. HPDC 2011; src/migration/shared-pages.ts) */
  gang?: boolean;
  deferHotPages: boolean;
  /** XBZRLE cache on the source, bytes; default XBZRLE_DEFAULT_CACHE_BYTES = 64 MiB (QEMU, page-cost.ts) */
  xbzrleCacheBytes?: number;
}

export interface MigrationSpec {
  vm: string;
  to: string;
  atS: number;
  /** ids of VMs whose migrations must end before this one starts */
  after: string[];
  strategy: StrategyName;
  /** whose migration code it follows (src/migration/hypervisor.ts): the defaults of the knobs below and the rules
   * no knob covers */
  hypervisor: HypervisorName;
  /** 0: no downtime target */
  downtimeLimitS: number;
  /** where precopy's rounds test convergence; the profile's unless set */
  convergenceCheck: ConvergenceCheck;
  maxRounds: number;
  /** rate limit of the migration stream (payload); Infinity = none */
  maxBandwidthBytesPerS: number;
  autoConverge: boolean;
  /** a migration whose stream cannot move for this long is given up, s (fault-schema.ts DEFAULT_STALL_TIMEOUT_S) */
  stallTimeoutS: number;
  /** a failed (not lost) migration starts again from scratch after `backoffS`, up to `attempts` more times */
  retry?: RetrySpec;
  hybrid: { rounds?: number; timeS?: number };
  /** libvirt's virsh migrate --timeout with its action: after `afterS` of precopy, pause the guest and finish
   * (--timeout-suspend), switch to postcopy (--timeout-postcopy), or give up (abort) */
  timeout?: MigrationTimeout;
  /** postcopy and hybrid: push the hot set first (Hines & Gopalan's pre-paging) */
  prepaging: boolean;
  /** cores on each host given to the migration stream's compression, encoding and hashing; default 1
   * (QEMU's one migration thread) */
  cores: number;
  optimizations: OptimizationsSpec;
  /** cipher of the migration stream and its framing (src/security/ciphers.ts) */
  encryption: CipherName;
  encryptionMode: EncryptionMode;
  /** per-core cipher throughputs replacing the measured defaults */
  cipherThroughputs?: CipherThroughputOverrides;
  /** per-core throughputs of the plain copy path replacing QEMU's measured defaults (src/power/migration-cpu.ts) */
  copyThroughputs?: Partial<CopyThroughputs>;
  /** the source the migration command names (a host or a site), checked by `allowedSources` policy rules */
  commandSource?: string;
  /** how the disk moves (nothing with 'shared') */
  storage: StorageMode;
  storageOrder: StorageOrder;
  /** Bradford et al.'s write throttling: the guest's disk writes are held to this rate while its disk
   * migrates; Infinity = none */
  diskWriteLimitBytesPerS: number;
  addressing: AddressingScheme;
}

export type TimeoutAction = 'pause' | 'postcopy' | 'abort';

export interface MigrationTimeout {
  afterS: number;
  action: TimeoutAction;
}

export type SchedulePolicy =
  | 'as-written'
  | 'sequential'
  | 'parallel'
  | 'bounded'
  | 'smallest-first'
  | 'largest-first'
  | 'rack-grouped'
  | 'gang';

/** What smallest-first and largest-first sort by (src/migration/schedule-order.ts). */
export type ScheduleOrderKey = 'memory' | 'bytes' | 'dirtyRate';

/** What a migration does when its destination lacks cores or memory (src/migration/host-capacity.ts). */
export type OnFullAction = 'refuse' | 'wait';

export interface ScheduleSpec {
  policy: SchedulePolicy;
  maxConcurrent?: number;
  /** smallest-first / largest-first: the size they sort by; default 'memory' */
  orderBy: ScheduleOrderKey;
  /** a destination without room: refuse the migration (default) or wait until room is freed */
  onFull: OnFullAction;
}

/** An application flow between VMs or hosts (src/transport/application-traffic.ts). */
export interface TrafficSpec {
  /** VM or host ids, as written */
  from: string;
  to: string;
  /** payload rate cap, B/s; Infinity = none (a greedy TCP flow) */
  rateBytesPerS: number;
  /** payload to send, B; absent: a long-lived flow until `durationS` or the horizon */
  sizeBytes?: number;
  startS: number;
  /** the flow stops after this long even if bytes are left; absent: no limit */
  durationS?: number;
}

/** A VM image whose VMs share identical pages (IRLM, gang dedup: src/migration/shared-pages.ts). */
export interface ImageSpec {
  /** distinct shared pages of the image, bytes; each VM holds sharedFraction × its memory of them */
  sharedPoolBytes: number;
}

export interface RetrySpec {
  attempts: number;
  backoffS: number;
}

/** A fault injected at `atS` (src/engine/fault-injector.ts): a host (all its cables, or a crash) or one cable,
 * both directions. */
export interface FaultSpec {
  atS: number;
  kind: 'link-down' | 'link-up' | 'host-crash' | 'degrade';
  target: { host: string } | { from: string; to: string };
  /** degrade: the new capacity of each direction, B/s */
  capacityBytesPerS?: number;
}

export interface Scenario {
  name: string;
  seed: number;
  topology: TopologySpec;
  network: NetworkSpec;
  hosts: { defaults: HostSpec; overrides: Record<string, HostSpec> };
  vms: VmSpec[];
  migrations: MigrationSpec[];
  schedule: ScheduleSpec;
  /** application flows competing with migrations (CONTRACT.md, `traffic`) */
  traffic: TrafficSpec[];
  /** shared-page pools by image name; every image a VM names has one (default: its largest VM's share) */
  images: Record<string, ImageSpec>;
  /** simulated time up to which energy and traffic are accounted; absent: the end of the last migration or
   * sized flow (CONTRACT.md, `horizon`) */
  horizonS?: number;
  /** faults injected during the run, in file order (CONTRACT.md, `faults`) */
  faults: FaultSpec[];
  /** run the invariant checks (src/engine/invariants.ts); absent: the MIGNET_CHECKS environment variable decides */
  checks?: boolean;
  /** which migrations may happen (src/security/policy.ts); default DEFAULT_POLICY */
  policy: Policy;
  /** coefficients of the per-migration energy estimates reported beside the integrated energy, when given */
  energyEstimates: EnergyEstimatesSpec;
  /** every switch's and gateway's power (`switches` in the file); absent: switch energy is not reported */
  switchPower?: SwitchPowerModel;
  /** how large the scenario may be and how long its run may go on (limits.ts) */
  limits: LimitsSpec;
  /** the SDN controller of `addressing: sdn` (`network.sdn` in the file; src/transport/addressing.ts) */
  sdn: SdnSpec;
}
