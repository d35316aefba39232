/**
 * A run stopped by one of its limits (the scenario's `limits` section, src/config/limits.ts): not a broken
 * invariant but a run longer than allowed, which the CLI reports as bad input (exit 2), naming the limit.
 */
export type RunLimitName = 'maxEvents' | 'maxSimulatedTime' | 'maxWallTime';

export class RunLimitError extends Error {
  constructor(
    /** the limit, as the scenario names it under `limits` */
    readonly limit: RunLimitName,
    /** its value: a count of events, or seconds */
    readonly value: number,
    what: string,
  ) {
    super(`run stopped: ${what}`);
    this.name = 'RunLimitError';
  }
}
