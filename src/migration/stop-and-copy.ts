// Stop-and-copy: suspend the guest, send all of its memory, resume it on the destination. Downtime equals
// the whole transfer time. The baseline of Clark et al., NSDI 2005, §3 (pure stop-and-copy).
// Assumes the device and CPU state is negligible next to memory.
import { NO_FAULTS, type MigrationContext, type MigrationStrategy, type Step } from './strategy.js';

export function createStopAndCopy({ vm }: MigrationContext): MigrationStrategy {
  return {
    begin: (): Step => ({
      kind: 'transfer',
      phase: 'stop-and-copy',
      guest: 'paused',
      memoryBytes: vm.memoryBytes,
      pages: 'first',
      throttle: 0,
      dirtyRateBytesPerS: 0,
    }),
    next: (): Step => NO_FAULTS,
  };
}
