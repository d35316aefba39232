// Every strategy by name, with the line that describes it and its source (SimGrid's network model
// registry is the pattern). names.ts lists the same names for the config layer; a test keeps them equal.
import type { StrategyName } from '../config/scenario.js';
import { createStopAndCopy } from './stop-and-copy.js';
import type { StrategyEntry } from './strategy.js';
import { STRATEGY_NAMES } from './names.js';

type ImplementedStrategy = (typeof STRATEGY_NAMES)[number];

export const STRATEGIES: Record<ImplementedStrategy, StrategyEntry> = {
  'stop-and-copy': {
    name: 'stop-and-copy',
    description: 'suspend, send all memory, resume on the destination',
    citation: 'Clark et al., Live Migration of Virtual Machines, NSDI 2005, §3',
    create: createStopAndCopy,
  },
};

export function strategyEntry(name: StrategyName): StrategyEntry {
  const entry = (STRATEGIES as Partial<Record<StrategyName, StrategyEntry>>)[name];
  if (entry === undefined) throw new Error(`strategy "${name}" is not implemented`);
  return entry;
}
