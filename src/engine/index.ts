export { EventQueue, type ScheduledEvent } from './event-queue.js';
export { Random } from './random.js';
export { SimulationError } from './simulation-error.js';
export { RunLimitError, type RunLimitName } from './run-limit-error.js';
export { Simulator, type SimulatorLimits } from './simulator.js';
