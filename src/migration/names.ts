// The names a scenario may use for strategies and schedule policies: the config layer validates against
// these lists, the registry and the scheduler implement exactly them.
import type { SchedulePolicy, StrategyName } from '../config/scenario.js';

export const STRATEGY_NAMES = ['stop-and-copy', 'precopy', 'postcopy', 'hybrid'] as const satisfies readonly StrategyName[];

export const SCHEDULE_POLICIES = [
  'as-written',
  'sequential',
  'parallel',
  'bounded',
  'smallest-first',
  'largest-first',
  'rack-grouped',
  'gang',
] as const satisfies readonly SchedulePolicy[];
