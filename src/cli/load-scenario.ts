// Reads a scenario for a command: a file, or the embedded default; `--seed` overrides the file's seed
// before validation so the override is checked like any other value. The scenario's warnings
// (src/config/warnings.ts) go to stderr, one line each, and the command goes on.
import type { Scenario } from '../config/scenario.js';
import { DEFAULT_SCENARIO_FILE, parseScenarioDocument, readDefaultScenarioDocument, readScenarioDocument } from '../config/index.js';
import { formatWarnings, scenarioWarnings } from '../config/warnings.js';

/** Reads, validates, and prints the warnings on stderr; `warnings` is how many there were. */
export function loadScenarioWithWarnings(file: string | undefined, seed?: number, options: { quiet?: boolean } = {}): { scenario: Scenario; warnings: number } {
  const document = file === undefined ? readDefaultScenarioDocument() : readScenarioDocument(file);
  if (seed !== undefined && typeof document === 'object' && document !== null && !Array.isArray(document)) {
    (document as Record<string, unknown>).seed = seed;
  }
  const name = file ?? DEFAULT_SCENARIO_FILE;
  const scenario = parseScenarioDocument(document, name);
  const warnings = scenarioWarnings(document, scenario);
  if (options.quiet !== true) process.stderr.write(formatWarnings(name, warnings));
  return { scenario, warnings: warnings.length };
}

export function loadScenario(file: string | undefined, seed?: number, options: { quiet?: boolean } = {}): Scenario {
  return loadScenarioWithWarnings(file, seed, options).scenario;
}
