// Runs a validated scenario end to end: the entry point of a run. The run itself — building the topology and
// the flow network, launching each migration as the schedule says, running the event loop, gathering the
// results — is scenario-run.ts (ScenarioRun) and migration-launcher.ts.
import type { Scenario } from '../config/scenario.js';
import type { Results } from './results.js';
import { ScenarioRun } from './scenario-run.js';

/** How a run is carried out, beyond the scenario. */
export interface RunOptions {
  /** a wall clock in seconds from any origin (the CLI passes performance.now), which `limits.maxWallTime` is
   * measured by; without one the run's wall-clock time is not limited (src/ never reads the system clock) */
  clock?: () => number;
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): Results {
  return new ScenarioRun(scenario, options).run();
}
