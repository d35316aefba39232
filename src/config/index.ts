// The config layer's public API: read, validate and resolve scenario files into a Scenario; parse quantities.
export type { Scenario } from './scenario.js';
export type { ConfigIssue } from './issues.js';
export { formatPath } from './issues.js';
export { parseQuantity, describeDimension, type Dimension, type QuantityResult } from './units.js';
export {
  ConfigError,
  formatConfigError,
  loadScenarioFile,
  parseScenarioDocument,
  parseScenarioText,
  readScenarioDocument,
  type ParseOptions,
} from './load.js';
export { DEFAULT_STRATEGY, MAX_FAT_TREE_K, MAX_GRAPHML_HOSTS, MAX_LEAF_SPINE_HOSTS, scenarioDocumentSchema, type ScenarioDocument } from './schema.js';
export {
  DEFAULT_SCENARIO_FILE,
  DEFAULT_SCENARIO_NAME,
  DEFAULT_SCENARIO_YAML,
  readDefaultScenarioDocument,
} from './default-scenario.js';
