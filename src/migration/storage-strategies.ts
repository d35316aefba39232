// How a local disk moves, as decision objects behind the memory strategies' interface (strategy.ts); the
// storage process (storage-process.ts) carries their steps out. After Mashtizadeh et al., The design and
// evolution of live storage migration in VMware ESX, USENIX ATC 2011, and Bradford et al., VEE 2007:
//   snapshot     (ESX 3.5) copy the disk while a snapshot takes the writes, then each snapshot delta in turn
//                while a newer one takes them, until a delta is small; the last one while the guest is paused.
//                A delta holds the unique blocks written while the previous one was copied: the rounds of a
//                precopy over the disk (precopy-rounds.ts through disk-model.ts), with its stop rules.
//   dirty-block  (ESX 4.x) one pass, then passes over the blocks a dirty bitmap marked, the often-written (hot)
//                blocks held back to the final copy; may not converge when the writes outpace the copy: the
//                same rounds and stop rules, with hot deferral (defersHotBlocks).
//   mirror       (ESX 5.x) one bulk pass while the guest's writes to already-copied regions are mirrored
//                synchronously to the destination (mirror-stream.ts); nothing is left to copy at the pause, so
//                it always converges.
// Snapshot and dirty-block copy the same unique blocks; they differ in hot-block deferral and in what a
// cancelled migration leaves behind (a snapshot chain on the source: storage-process.ts abort()).
import type { DiskSpec, StorageMode } from '../config/scenario.js';
import { defersHotBlocks, diskAsMemory } from './disk-model.js';
import { createPrecopy } from './precopy.js';
import { NO_FAULTS, type MigrationContext, type MigrationStrategy, type Step, type TransferStep } from './strategy.js';

export type MovingStorageMode = Exclude<StorageMode, 'shared'>;

export interface StorageModeEntry {
  /** one line for `--help` and the README */
  description: string;
  citation: string;
  create(context: MigrationContext, disk: DiskSpec): MigrationStrategy;
}

/** `shared`, the default, for `mignet models`: it moves nothing and has no process. */
export const SHARED_STORAGE: Pick<StorageModeEntry, 'description' | 'citation'> = {
  description: 'the disk is on storage both hosts reach (SAN, NFS): nothing of it moves',
  citation: 'Clark et al., NSDI 2005: network-attached storage assumed',
};

/** Every mode that moves a disk, by name ('shared' moves nothing and has no process). */
export const STORAGE_MODES: Record<MovingStorageMode, StorageModeEntry> = {
  snapshot: {
    description: 'copy the disk, then snapshot deltas until one is small; the last while the guest is paused',
    citation: 'Mashtizadeh et al., The design and evolution of live storage migration in VMware ESX, USENIX ATC 2011, §3',
    create: (context, disk) => createPrecopy(diskAsMemory(context, disk, false)),
  },
  'dirty-block': {
    description: 'copy the disk, then the blocks a dirty bitmap marked, hot blocks last; may not converge',
    citation: 'Mashtizadeh et al., USENIX ATC 2011, §4',
    create: (context, disk) => createPrecopy(diskAsMemory(context, disk, defersHotBlocks(disk))),
  },
  mirror: {
    description: 'one bulk pass while writes to copied regions are mirrored synchronously; always converges',
    citation: 'Mashtizadeh et al., USENIX ATC 2011, §5; Bradford et al., VEE 2007 (write throttling)',
    create: createMirror,
  },
};

/** The decision object that moves `disk` by `mode`; `context.switchoverReady` tells it when the guest may pause. */
export function createStorageStrategy(mode: MovingStorageMode, context: MigrationContext, disk: DiskSpec): MigrationStrategy {
  return STORAGE_MODES[mode].create(context, disk);
}

/** The bulk pass, then nothing but the pause: mirroring kept the destination in step (storage-process.ts). */
function createMirror(context: MigrationContext, disk: DiskSpec): MigrationStrategy {
  const ready = context.switchoverReady ?? (() => true);
  const step = (memoryBytes: number, guest: TransferStep['guest'], pages: TransferStep['pages']): TransferStep => ({
    kind: 'transfer',
    phase: guest === 'paused' ? 'stop-and-copy' : 'precopy',
    guest,
    memoryBytes,
    pages,
    throttle: 0,
    dirtyRateBytesPerS: 0,
  });
  let phase: 'bulk' | 'mirroring' | 'final' = 'bulk';
  const afterBulk = (): Step => {
    if (!ready()) return { kind: 'hold', maxS: Infinity };
    phase = 'final';
    return step(0, 'paused', 'resend');
  };
  return {
    begin: (): Step => step(disk.sizeBytes, 'running-on-source', 'first'),
    next: (): Step => {
      switch (phase) {
        case 'bulk':
          phase = 'mirroring';
          return afterBulk();
        case 'mirroring':
          return afterBulk();
        case 'final':
          return NO_FAULTS;
      }
    },
  };
}
