// A VM's local disk as the storage copy sees it (Bradford et al., Live wide-area migration of virtual machines
// including local persistent state, VEE 2007; Mashtizadeh et al., The design and evolution of live storage
// migration in VMware ESX, USENIX ATC 2011). The guest writes W B/s, a fraction f into a hot set of H bytes
// and the rest into the remainder S − H, uniformly inside each set ('random') or sweeping it ('sequential'):
// the memory model's form exactly (memory-model.ts), with the disk's blocks for pages. So the unique bytes
// written in an interval, the bytes a snapshot delta or a dirty-bitmap pass must copy, come from the same
// closed-form functions, called on a WorkloadSpec made of the disk's figures — not a copy of them.
// Assumes whole-block writes and a bitmap of the same granularity (ESX tracks dirty blocks, a snapshot's redo
// log holds whole grains), and a hot set spread over the disk (for mirroring: mirror-stream.ts).
import type { DiskSpec, MigrationSpec, VmSpec, WorkloadSpec } from '../config/scenario.js';
import { hypervisorProfile, type ProfileRules } from './hypervisor.js';
import type { MigrationContext } from './strategy.js';

/**
 * A disk's copy stops as ESX's storage copies do (Mashtizadeh et al. §3-4: a pass that no longer shrinks the dirty
 * set ends the iteration) and never sends more than 3× the disk (Xen's factor, xc_domain_save DEF_MAX_FACTOR, as
 * a bound on a copy ESX does not document); it never iterates until cancelled, whatever the memory's hypervisor.
 * The switchover's own costs are the memory's.
 */
const DISK_RULES: Pick<ProfileRules, 'maxSentFactor' | 'stopWhenStalled' | 'finalRoundBelowBytes' | 'iteratesUntilCancelled'> = {
  maxSentFactor: 3,
  stopWhenStalled: true,
  finalRoundBelowBytes: 0,
  iteratesUntilCancelled: false,
};

/**
 * The guest's disk writes as a memory-model workload: rate min(W, limit) (Bradford et al. §4.2: writes above the
 * throttling threshold are delayed), hot set and fraction and pattern as written.
 */
export function diskWorkload(disk: DiskSpec, writeLimitBytesPerS = Infinity): WorkloadSpec {
  return {
    dirtyRateBytesPerS: Math.min(disk.writeRateBytesPerS, writeLimitBytesPerS),
    hotSetBytes: disk.hotSetBytes,
    hotFraction: disk.hotFraction,
    pattern: disk.pattern,
  };
}

/** Whether the guest's disk writes are held back by `diskWriteLimit` (its degraded time, Bradford et al. §4.2). */
export function diskThrottled(disk: DiskSpec, migration: MigrationSpec): boolean {
  return disk.writeRateBytesPerS > migration.diskWriteLimitBytesPerS;
}

/**
 * Whether dirty-block tracking holds hot blocks back to the final copy (Mashtizadeh et al. §4: blocks written
 * often are copied last, while the guest is paused). Only a hot set that is a proper part of the disk and
 * takes part of the writes tells hot blocks from the others; when every write lands in it (or it is the whole
 * disk) there is nothing else to iterate on, and it is iterated like any block.
 */
export function defersHotBlocks(disk: DiskSpec): boolean {
  return disk.hotSetBytes < disk.sizeBytes && disk.hotFraction > 0 && disk.hotFraction < 1;
}

/**
 * The disk seen as the "memory" of a precopy (precopy-rounds.ts): its size for the memory, its writes for the
 * workload, content that no optimization touches, no auto-converge (it throttles vCPUs, not disk writes), and
 * checks at round ends.
 * The iterative modes reuse precopy's rounds and stop rules through this view.
 */
export function diskAsMemory(context: MigrationContext, disk: DiskSpec, deferHot: boolean): MigrationContext {
  const { vm, migration } = context;
  const diskVm: VmSpec = {
    ...vm,
    memoryBytes: disk.sizeBytes,
    workload: diskWorkload(disk, migration.diskWriteLimitBytesPerS),
    content: { zeroFraction: 0, compressRatio: 1, sharedFraction: 0 },
  };
  const diskMigration: MigrationSpec = {
    ...migration,
    autoConverge: false,
    // ESX's snapshot and dirty-block copies decide at the end of each pass (Mashtizadeh et al. §3-4); QEMU's
    // in-pass check is its RAM iteration's, whatever the memory uses.
    convergenceCheck: 'round-end',
    optimizations: { ...migration.optimizations, deferHotPages: deferHot },
  };
  const rules: ProfileRules = { ...hypervisorProfile(migration.hypervisor).rules, ...DISK_RULES };
  return { ...context, vm: diskVm, migration: diskMigration, rules };
}
