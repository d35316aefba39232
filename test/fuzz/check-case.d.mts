// Types of check-case.mjs (plain JavaScript, shared with scripts/fuzz-config.mjs).
import type { FuzzCase } from './arbitraries.mjs';

export interface FuzzApi {
  parseScenarioText(text: string, file: string): Record<string, unknown>;
  readScenarioDocument(file: string): Record<string, unknown>;
  parseScenarioDocument(document: unknown, file: string): unknown;
  runScenario(scenario: never, options: { clock?: () => number }): unknown;
  ConfigError: abstract new (...args: never[]) => { issues: { path: string; message: string }[] };
  RunLimitError: abstract new (...args: never[]) => Error;
}

export interface FuzzBudget {
  maxEvents: number;
  maxWallTimeS: number;
  /** a case taking longer than this is a hang */
  hangS: number;
  /** seconds from any origin */
  clock: () => number;
}

export type Outcome = 'ran' | 'limit' | 'config-error' | 'crash' | 'hang';

export function checkCase(testCase: FuzzCase, api: FuzzApi, budget: FuzzBudget): { outcome: Outcome; detail: string; seconds: number };
export function showCase(testCase: FuzzCase, max?: number): string;
