// Postcopy (Hines & Gopalan, Post-copy based live VM migration, VEE 2009): suspend the guest, send its
// CPU and device state, resume it on the destination at once, then push every page in the background
// ("active push"); a page the guest touches before it arrives faults and is fetched on demand, one round
// trip plus the page (demand-faults.ts). Pre-paging (§3.2) pushes the working set — here the hot set —
// first. Each page crosses the network exactly once, and downtime is only the state transfer.
// Not robust: the guest's state is split between the hosts until the push ends, so losing the source or
// the path loses the VM.
// The switch itself costs what grows with the guest's memory (Svärd et al. measured postcopy and hybrid downtime
// growing with VM size): the discard bitmap, one bit per page (QEMU migration/ram.c ram_postcopy_send_discard_bitmap
// sends the pages the destination must drop or fetch), and the destination's setup of every page as missing
// (unmapping and registering its memory for faults), POSTCOPY_SETUP_S_PER_GIB. The vCPU and device state is taken
// as negligible (no figure is published per hypervisor).
import type { VmSpec } from '../config/scenario.js';
import { expectedFaultPages, type PushedSet } from './demand-faults.js';
import { PAGE_BYTES } from './memory-model.js';
import type { FinishStep, MigrationContext, MigrationStrategy, Step, TransferOutcome, TransferStep } from './strategy.js';

/** The memory a postcopy push covers, split by the set it belongs to. */
export interface PushSet {
  hotBytes: number;
  coldBytes: number;
}

/**
 * The destination's setup of postcopy per GiB of guest memory, s: calibrated to Svärd et al. (The Noble Art of Live
 * VM Migration, Figs. 8-9: Heca's postcopy and hybrid downtime grows with VM size, staying below 250 ms for a 10 GB
 * VM and well below 500 ms at 14 GB; §5 puts it on the unmapping ioctls). Not a published constant: our fit.
 */
export const POSTCOPY_SETUP_S_PER_GIB = 0.015;

/** The pause that switches a guest to postcopy: the discard bitmap goes, the destination sets its memory up. */
export function switchoverStep(vm: VmSpec): TransferStep {
  return {
    kind: 'transfer',
    phase: 'stop-and-copy',
    guest: 'paused',
    memoryBytes: 0,
    pages: 'resend',
    throttle: 0,
    dirtyRateBytesPerS: 0,
    stateBytes: Math.ceil(vm.memoryBytes / PAGE_BYTES) / 8,
    setupS: (vm.memoryBytes / 2 ** 30) * POSTCOPY_SETUP_S_PER_GIB,
  };
}

export function pushStep(vm: VmSpec, push: PushSet, pages: TransferStep['pages']): TransferStep {
  return {
    kind: 'transfer',
    phase: 'postcopy',
    guest: 'running-on-destination',
    memoryBytes: push.hotBytes + push.coldBytes,
    pages,
    throttle: 0,
    dirtyRateBytesPerS: vm.workload.dirtyRateBytesPerS,
  };
}

/**
 * Faults of a push that took `outcome.durationS`, each waiting one RTT plus the page at the push rate. A vCPU
 * blocked on a fault neither computes nor writes (Svärd et al. §3.2.3, the missing-page problem): the guest runs at
 * a share p of its speed, touching pages at p times its rate, and its v vCPUs wait W(p) = faults(p) × (RTT + page)
 * in all; p is the fixed point p = 1 − W(p) / (v·T) over the push's T seconds, so W ≤ v·T (found by bisection:
 * W grows with p, so p − 1 + W(p)/(v·T) rises from −1 at p = 0). The guest's own progress during the push is p.
 */
export function pushFaults(context: MigrationContext, push: PushSet, outcome: TransferOutcome): FinishStep {
  const durationS = outcome.durationS;
  const pageTimeS = outcome.memoryBytes > 0 ? (durationS * PAGE_BYTES) / outcome.memoryBytes : 0;
  const waitPerFaultS = context.pathRttS + pageTimeS;
  const vcpuSeconds = Math.max(1, context.vm.vcpus) * durationS;
  const faultsAt = (progress: number): number => expectedFaultPages(pushedSets(context, push, durationS, progress));
  const unblocked = faultsAt(1);
  if (!(vcpuSeconds > 0) || !(unblocked * waitPerFaultS > 0)) return { kind: 'finish', faults: unblocked, faultWaitS: unblocked * waitPerFaultS };
  let low = 0;
  let high = 1;
  for (let i = 0; i < 60; i++) {
    const progress = (low + high) / 2;
    if (progress - 1 + (faultsAt(progress) * waitPerFaultS) / vcpuSeconds > 0) high = progress;
    else low = progress;
  }
  const faults = faultsAt(low);
  return { kind: 'finish', faults, faultWaitS: faults * waitPerFaultS };
}

/** The push's two sets with the rates the guest touches their pages at, at `progress` of its normal speed. */
function pushedSets(context: MigrationContext, push: PushSet, durationS: number, progress: number): PushedSet[] {
  const { vm, migration } = context;
  const rate = vm.workload.dirtyRateBytesPerS * progress;
  const { hotSetBytes, hotFraction } = vm.workload;
  const coldSetBytes = vm.memoryBytes - hotSetBytes;
  const total = push.hotBytes + push.coldBytes;
  const hotEndS = total > 0 ? (durationS * push.hotBytes) / total : 0;
  const prepaging = migration.prepaging;
  return [
    {
      bytes: push.hotBytes,
      touchRatePerS: hotSetBytes > 0 ? (hotFraction * rate) / hotSetBytes : 0,
      arrivalStartS: 0,
      arrivalEndS: prepaging ? hotEndS : durationS,
    },
    {
      bytes: push.coldBytes,
      touchRatePerS: coldSetBytes > 0 ? ((1 - hotFraction) * rate) / coldSetBytes : 0,
      arrivalStartS: prepaging ? hotEndS : 0,
      arrivalEndS: durationS,
    },
  ];
}

export function createPostcopy(context: MigrationContext): MigrationStrategy {
  const { vm } = context;
  const push: PushSet = { hotBytes: vm.workload.hotSetBytes, coldBytes: vm.memoryBytes - vm.workload.hotSetBytes };
  let pushed = false;
  return {
    begin: (): Step => switchoverStep(vm),
    next: (outcome): Step => {
      if (pushed) return pushFaults(context, push, outcome);
      pushed = true;
      return pushStep(vm, push, 'first');
    },
  };
}
