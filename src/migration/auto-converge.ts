// QEMU's auto-converge (migration/ram.c migration_trigger_throttle and mig_throttle_guest_down): after a
// period in which the guest dirtied more than throttle-trigger-threshold (50 %) of the bytes sent, twice,
// take cpu-throttle-initial (20 %) of the vCPUs' time, then cpu-throttle-increment (10 %) more at each
// later trigger, up to max-cpu-throttle (99 %) (migration/options.c defaults). A throttled guest dirties
// proportionally less (its write rate scales with the vCPU time it keeps) and runs degraded.

export const THROTTLE_TRIGGER_FRACTION = 0.5; // DEFAULT_MIGRATE_THROTTLE_TRIGGER_THRESHOLD = 50
export const THROTTLE_INITIAL = 0.2; // DEFAULT_MIGRATE_CPU_THROTTLE_INITIAL = 20
export const THROTTLE_INCREMENT = 0.1; // DEFAULT_MIGRATE_CPU_THROTTLE_INCREMENT = 10
export const THROTTLE_MAX = 0.99; // DEFAULT_MIGRATE_MAX_CPU_THROTTLE = 99
/** ram.c: `++rs->dirty_rate_high_cnt >= 2` */
const TRIGGERS_BEFORE_THROTTLE = 2;

export interface ThrottleState {
  throttle: number;
  highDirtyPeriods: number;
}

export const UNTHROTTLED: ThrottleState = { throttle: 0, highDirtyPeriods: 0 };

/** The throttle after a period (one precopy round) that dirtied `dirtiedBytes` while sending `sentBytes`. */
export function nextThrottle(state: ThrottleState, dirtiedBytes: number, sentBytes: number): ThrottleState {
  if (!(dirtiedBytes > sentBytes * THROTTLE_TRIGGER_FRACTION)) return state;
  const highDirtyPeriods = state.highDirtyPeriods + 1;
  if (highDirtyPeriods < TRIGGERS_BEFORE_THROTTLE) return { ...state, highDirtyPeriods };
  const throttle = state.throttle === 0 ? THROTTLE_INITIAL : Math.min(THROTTLE_MAX, state.throttle + THROTTLE_INCREMENT);
  return { throttle, highDirtyPeriods: 0 };
}
