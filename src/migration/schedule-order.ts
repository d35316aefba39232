// What smallest-first and largest-first sort by (`schedule.orderBy`):
//   memory     the VM's memory, bytes (the default: what operators know of a VM)
//   dirtyRate  the guest's write rate, B/s (DESIGN.md: "ordered by size or dirty rate")
//   bytes      the stream bytes the migration is expected to send if it ran alone: its first pass after the
//              optimizations (page-cost.ts), plus, for precopy and hybrid, the rounds of re-sent pages that
//              Clark et al.'s iteration gives at the path's rate — V_0 = M, V_(i+1) = what the guest dirties
//              while V_i goes (memory-model.ts), about V_0·(D/B)^i for a guest that writes uniformly —
//              stopping where precopy-rounds.ts stops (the downtime limit at that rate, maxRounds, a round
//              that makes no progress, 3× the memory sent), plus the final round; and the disk, when one
//              moves: its passes estimated the same way (the disk seen as memory: disk-model.ts, its blocks
//              costed as pages, 0.2 % of headers more), or for mirroring one pass plus the writes mirrored.
// Assumptions of `bytes`: the migration has the path's bottleneck to itself (no other flow) at its cap
// (maxBandwidth, CPU), and a hybrid pushes what is left after its rounds once, as postcopy does. It is an
// ordering key, not a prediction: contention and auto-converge change the real figures.
import type { MigrationSpec, ScheduleOrderKey, VmSpec } from '../config/scenario.js';
import { diskAsMemory, diskWorkload } from './disk-model.js';
import { uniqueDirtiedBytes } from './memory-model.js';
import { cpuLimitedPayloadRate, sendCost } from './page-cost.js';

/** Xen's xc_domain_save gives up after 3× the memory (the same bound as precopy-rounds.ts). */
const MAX_SENT_FACTOR = 3;

/**
 * Stream bytes of the migration alone at `pathRateBytesPerS` of payload (the path's bottleneck capacity
 * divided by the wire factor).
 */
export function expectedStreamBytes(vm: VmSpec, migration: MigrationSpec, pathRateBytesPerS: number): number {
  const first = sendCost(vm.memoryBytes, 'first', vm.content, migration.optimizations);
  if (migration.strategy === 'stop-and-copy' || migration.strategy === 'postcopy') return first.payloadBytes;
  const rate = Math.min(pathRateBytesPerS, migration.maxBandwidthBytesPerS, cpuLimitedPayloadRate(first, migration.cores, migration.cores));
  if (!(rate > 0) || !Number.isFinite(rate)) return first.payloadBytes;
  const maxRounds = migration.strategy === 'hybrid' ? Math.min(migration.maxRounds, migration.hybrid.rounds ?? 1) : migration.maxRounds;
  let total = first.payloadBytes;
  let sentMemory = vm.memoryBytes;
  let roundMemory = vm.memoryBytes;
  let durationS = first.payloadBytes / rate;
  for (let round = 1; ; round++) {
    const pending = uniqueDirtiedBytes(vm.workload, vm.memoryBytes, durationS);
    const resend = sendCost(pending, 'resend', vm.content, migration.optimizations).payloadBytes;
    // precopy-rounds.ts: converged when the pending bytes fit the downtime limit at the measured rate.
    const stop = pending <= rate * migration.downtimeLimitS || round >= maxRounds || pending >= roundMemory
      || sentMemory >= MAX_SENT_FACTOR * vm.memoryBytes;
    total += resend; // the next round, or the final stop-and-copy (hybrid: the postcopy push)
    if (stop) return total;
    sentMemory += pending;
    roundMemory = pending;
    durationS = resend / rate;
  }
}

/** The key smallest-first and largest-first sort migration `migration` of `vm` by. */
export function orderKey(key: ScheduleOrderKey, vm: VmSpec, migration: MigrationSpec, pathRateBytesPerS: number): number {
  switch (key) {
    case 'memory':
      return vm.memoryBytes;
    case 'dirtyRate':
      return vm.workload.dirtyRateBytesPerS;
    case 'bytes':
      return expectedStreamBytes(vm, migration, pathRateBytesPerS) + expectedDiskBytes(vm, migration, pathRateBytesPerS);
  }
}

/** The disk bytes the migration is expected to move alone at `pathRateBytesPerS` of payload (0 without one). */
function expectedDiskBytes(vm: VmSpec, migration: MigrationSpec, pathRateBytesPerS: number): number {
  const disk = vm.disk;
  if (disk === undefined || migration.storage === 'shared') return 0;
  if (migration.storage === 'mirror') {
    // One pass, while half the writes on average are mirrored (mirror-stream.ts).
    const writes = diskWorkload(disk, migration.diskWriteLimitBytesPerS).dirtyRateBytesPerS;
    return pathRateBytesPerS > 0 ? disk.sizeBytes * (1 + writes / (2 * pathRateBytesPerS)) : disk.sizeBytes;
  }
  const view = diskAsMemory({ vm, migration, pathRttS: 0 }, disk, false);
  return expectedStreamBytes(view.vm, { ...view.migration, strategy: 'precopy' }, pathRateBytesPerS);
}
