// Every strategy by name, with the line that describes it and its source (SimGrid's network model
// registry is the pattern). names.ts lists the same names for the config layer; a test keeps them equal.
import type { StrategyName } from '../config/scenario.js';
import { createHybrid } from './hybrid.js';
import { STRATEGY_NAMES } from './names.js';
import { createPostcopy } from './postcopy.js';
import { createPrecopy } from './precopy.js';
import { createStopAndCopy } from './stop-and-copy.js';
import type { StrategyEntry } from './strategy.js';

type ImplementedStrategy = (typeof STRATEGY_NAMES)[number];

export const STRATEGIES: Record<ImplementedStrategy, StrategyEntry> = {
  'stop-and-copy': {
    name: 'stop-and-copy',
    description: 'suspend, send all memory, resume on the destination',
    citation: 'Clark et al., Live Migration of Virtual Machines, NSDI 2005, §3',
    create: createStopAndCopy,
  },
  precopy: {
    name: 'precopy',
    description: 'iterative rounds of dirty pages while the guest runs, then a short stop-and-copy',
    citation: 'Clark et al., NSDI 2005; QEMU migration/ram.c and migration.c',
    create: createPrecopy,
  },
  postcopy: {
    name: 'postcopy',
    description: 'resume on the destination at once, push pages in the background, fetch faulted pages on demand',
    citation: 'Hines & Gopalan, Post-copy based live virtual machine migration, VEE 2009',
    create: createPostcopy,
  },
  hybrid: {
    name: 'hybrid',
    description: 'a bounded precopy, then postcopy for the pages still dirty',
    citation: 'Hines & Gopalan, VEE 2009, §2; Svärd et al., The Noble Art of Live VM Migration',
    create: createHybrid,
  },
};

export function strategyEntry(name: StrategyName): StrategyEntry {
  const entry = (STRATEGIES as Partial<Record<StrategyName, StrategyEntry>>)[name];
  if (entry === undefined) throw new Error(`strategy "${name}" is not implemented`);
  return entry;
}
