// Reads a scenario for a command: a file, or the embedded default; `--seed` overrides the file's seed
// before validation so the override is checked like any other value.
import type { Scenario } from '../config/scenario.js';
import { DEFAULT_SCENARIO_FILE, parseScenarioDocument, readDefaultScenarioDocument, readScenarioDocument } from '../config/index.js';

export function loadScenario(file: string | undefined, seed?: number): Scenario {
  const document = file === undefined ? readDefaultScenarioDocument() : readScenarioDocument(file);
  if (seed !== undefined && typeof document === 'object' && document !== null && !Array.isArray(document)) {
    (document as Record<string, unknown>).seed = seed;
  }
  return parseScenarioDocument(document, file ?? DEFAULT_SCENARIO_FILE);
}
