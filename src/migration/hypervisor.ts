// Hypervisor profiles: which hypervisor's migration code a migration follows. Each profile is a small table of
// rules, every one cited on its line: the defaults of the knobs a scenario may set (downtimeLimit,
// convergenceCheck, maxRounds, maxBandwidth, autoConverge: a knob that is written overrides its profile), and
// the rules no knob covers (Xen's 3× memory and 50-page threshold, whether the completion is rate-limited).
// Not modelled, for want of a published figure per hypervisor: the size of the vCPU and device state and the time
// to stop and start the guest (the switchover's cost that does not grow with memory: postcopy.ts has the part
// that does). This registry is the one list of the names: the config type, the zod enum, `mignet
// models` and the README table derive from it.
// Sources: QEMU 8.2 (migration/options.c, migration.c, ram.c); Xen 4.5's libxc save loop (tools/libxc/
// xc_domain_save.c, the last before migration v2); VMware ESX as published (Nelson et al., Fast Transparent
// Migration for Virtual Machines, USENIX ATC 2005; Mashtizadeh et al., XvMotion, USENIX ATC 2014, for Stun During
// Page Send). What VMware does not publish (its thresholds) is said so below.
import type { ConvergenceCheck } from '../config/scenario.js';
import { PAGE_BYTES } from './memory-model.js';

export const HYPERVISOR_NAMES = ['qemu', 'xen', 'vmware'] as const;
export type HypervisorName = (typeof HYPERVISOR_NAMES)[number];
export const DEFAULT_HYPERVISOR: HypervisorName = 'qemu';

/** The knobs a profile gives defaults to; a value written in the scenario wins. */
export interface ProfileKnobs {
  /** 0: no downtime target (Xen) — precopy stops on its other rules alone, and no pause counts as over it */
  downtimeLimitS: number;
  convergenceCheck: ConvergenceCheck;
  /** live iterations before the pause; Infinity: no cap */
  maxRounds: number;
  /** the migration stream's rate limit while the guest runs, B/s; Infinity: none */
  maxBandwidthBytesPerS: number;
  autoConverge: boolean;
}

/** The rules of a profile no knob covers. */
export interface ProfileRules {
  /** stop iterating once the live rounds have sent this many times the memory; Infinity: never */
  maxSentFactor: number;
  /** stop when a round dirtied at least what it sent (too little forward progress) */
  stopWhenStalled: boolean;
  /** stop when the round just sent fewer bytes than this (Xen: 50 pages); 0: no such rule */
  finalRoundBelowBytes: number;
  /** whether `maxBandwidth` also holds the pause's final copy and the postcopy push */
  limitsCompletion: boolean;
  /** a precopy that cannot stop by its rules iterates until cancelled (QEMU): mignet then needs a timeout or
   * gives up (precopy-steps.ts NotConvergedWatch) */
  iteratesUntilCancelled: boolean;
}

export interface HypervisorProfile {
  name: HypervisorName;
  description: string;
  citation: string;
  knobs: ProfileKnobs;
  rules: ProfileRules;
}

export const HYPERVISOR_PROFILES: Record<HypervisorName, HypervisorProfile> = {
  qemu: {
    name: 'qemu',
    description: 'QEMU/KVM precopy as QEMU 8.2 runs it: checks inside a pass, no iteration cap, paced stream, unpaced completion',
    citation: 'QEMU 8.2 migration/options.c, migration.c (migration_iteration_run, migration_completion_precopy, postcopy_start), ram.c',
    knobs: {
      downtimeLimitS: 0.3, // options.c DEFAULT_MIGRATE_SET_DOWNTIME 300 (ms)
      convergenceCheck: 'qemu', // migration.c migration_iteration_run: pending vs threshold_size between iterations
      maxRounds: Infinity, // migration_iteration_run has no cap on iterations: it runs until it converges or is cancelled
      maxBandwidthBytesPerS: 128 * 2 ** 20, // options.c MAX_THROTTLE (128 << 20), the max-bandwidth default
      autoConverge: false, // options.c: capability auto-converge off by default
    },
    rules: {
      maxSentFactor: Infinity, // no byte cap in migration.c or ram.c
      stopWhenStalled: false, // no progress rule: a guest that outruns the stream keeps it iterating
      finalRoundBelowBytes: 0, // migration_iteration_run completes only on pending < threshold_size (or none)
      // migration_completion_precopy: migration_rate_set(RATE_LIMIT_DISABLED) before the final copy; postcopy_start:
      // "Switchover phase, switch to unlimited", then max-postcopy-bandwidth, default 0 = unlimited (options.c).
      limitsCompletion: false,
      iteratesUntilCancelled: true, // libvirt's virsh migrate --timeout is how users bound it
    },
  },
  xen: {
    name: 'xen',
    description: "Xen's libxc precopy: checks at round ends, 29 live iterations, 3× memory, last round under 50 pages",
    citation: 'Xen 4.5 tools/libxc/xc_domain_save.c (DEF_MAX_ITERS, DEF_MAX_FACTOR, the last-iteration test)',
    knobs: {
      downtimeLimitS: 0, // xc_domain_save has no downtime target: its last-iteration test counts pages and iterations
      convergenceCheck: 'round-end', // the test runs after each pass over the bitmap
      maxRounds: 29, // DEF_MAX_ITERS 29: "limit us to 30 times round loop", the 30th being the paused one
      maxBandwidthBytesPerS: Infinity, // no rate limit in the Xen 4.x loop (MAX_MBIT_RATE went with Xen 3)
      autoConverge: false, // no vCPU throttling in libxc
    },
    rules: {
      maxSentFactor: 3, // DEF_MAX_FACTOR 3: "never send more than 3x p2m_size"
      stopWhenStalled: false, // Xen 4.x dropped Xen 3's "sent more than last time at the maximum rate" test
      finalRoundBelowBytes: 50 * PAGE_BYTES, // sent_this_iter + skip_this_iter < 50 (pages)
      limitsCompletion: true, // one loop, one (absent) limit for every pass
      iteratesUntilCancelled: false, // the iteration and byte caps always end it
    },
  },
  vmware: {
    name: 'vmware',
    description: 'VMware ESX vMotion as published: round-end checks until too little progress, Stun During Page Send',
    citation: 'Nelson et al., USENIX ATC 2005, §3; Mashtizadeh et al., XvMotion, USENIX ATC 2014 (SDPS); thresholds not public',
    knobs: {
      downtimeLimitS: 0.3, // not public: ESX's switchover target is unpublished; QEMU's 300 ms stands in
      convergenceCheck: 'round-end', // Nelson et al. §3: pre-copy iterates pass by pass over the modified pages
      maxRounds: Infinity, // not public; SDPS (below) makes a cap unnecessary
      maxBandwidthBytesPerS: Infinity, // vMotion uses the whole vmknic
      // Stun During Page Send (vSphere 5, Mashtizadeh et al. 2014): vCPUs are slowed when they dirty faster than the
      // stream sends. ESX's schedule is not public: QEMU's auto-converge steps stand in.
      autoConverge: true,
    },
    rules: {
      maxSentFactor: Infinity, // not public
      stopWhenStalled: true, // Nelson et al. §3: pre-copy stops when there is insufficient forward progress
      finalRoundBelowBytes: 0, // not public
      limitsCompletion: true, // not public: no limit by default, so moot
      iteratesUntilCancelled: false, // the progress rule ends it
    },
  },
};

export function hypervisorProfile(name: HypervisorName): HypervisorProfile {
  return HYPERVISOR_PROFILES[name];
}
