// Runs for the commands, under the scenario's run-length limits (src/config/limits.ts): the CLI gives each run
// the process's monotonic clock for `limits.maxWallTime` (src/ itself never reads the system clock), and
// reports a run stopped by a limit as bad input, `FILE: limits.maxEvents: run stopped: ...`, exit 2.
import { performance } from 'node:perf_hooks';
import { ConfigError } from '../config/load.js';
import type { Scenario } from '../config/scenario.js';
import type { Results } from '../engine/results.js';
import { RunLimitError } from '../engine/run-limit-error.js';
import { runScenario } from '../engine/run-scenario.js';

/** Seconds from an arbitrary origin, monotonic: what `limits.maxWallTime` is measured by. */
export function wallClockS(): number {
  return performance.now() / 1000;
}

/** A stopped run as a problem of the scenario `file`, at the limit that stopped it. */
export function limitProblem(error: RunLimitError, file: string): ConfigError {
  const value = error.limit === 'maxEvents' ? `${error.value}` : `${error.value} s`;
  const message = `${error.message} (expected a run within limits.${error.limit} = ${value}; raise it in the scenario if the run is meant to go on)`;
  return new ConfigError(file, [{ path: `limits.${error.limit}`, message }]);
}

/** runScenario with the wall clock; a run stopped by a limit throws a ConfigError for `file`. */
export function runWithLimits(scenario: Scenario, file: string): Results {
  try {
    return runScenario(scenario, { clock: wallClockS });
  } catch (error) {
    if (error instanceof RunLimitError) throw limitProblem(error, file);
    throw error;
  }
}
