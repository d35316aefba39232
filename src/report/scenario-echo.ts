// The scenario as the run saw it: the validated Scenario, every default applied and every quantity in SI
// base units, the unit in each key's name (memoryBytes, capacityBytesPerS, downtimeLimitS), printed as
// YAML. No limit is written .inf (YAML's infinity), e.g. maxBandwidthBytesPerS when the stream is uncapped.
import { stringify } from 'yaml';
import type { Scenario } from '../config/scenario.js';

export function scenarioYaml(scenario: Scenario): string {
  return stringify(scenario, { lineWidth: 0, aliasDuplicateObjects: false });
}
