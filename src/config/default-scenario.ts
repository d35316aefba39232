// The scenario `mignet run` uses when given no file: small enough to read at a glance and to run in a blink,
// yet with contention (four VMs leave pod 0 at once and share its uplinks) and two VMs that dirty memory.
// Every default it leaves out comes from schema.ts (e.g. the strategy: QEMU's precopy once implemented).
import { parseScenarioText } from './load.js';

export const DEFAULT_SCENARIO_NAME = 'default';

/** What error messages about the embedded scenario name as its file. */
export const DEFAULT_SCENARIO_FILE = '(default scenario)';

export const DEFAULT_SCENARIO_YAML = `# mignet's default scenario: four VMs of 1 to 8 GiB move from pod 0 of a k=4 fat-tree
# (Al-Fares et al., SIGCOMM 2008) to the three other pods, all at once.
name: ${DEFAULT_SCENARIO_NAME}
seed: 1
topology:
  kind: fat-tree
  k: 4
  link: { capacity: 10 Gbit/s, latency: 2 us }
vms:
  - { id: vm1, host: h0-0-0, memory: 1 GiB }
  - { id: vm2, host: h0-0-1, memory: 2 GiB,
      workload: { dirtyRate: 50 MiB/s, hotSet: 128 MiB, hotFraction: 0.8 } }
  - { id: vm3, host: h0-1-0, memory: 4 GiB,
      workload: { dirtyRate: 100 MiB/s, hotSet: 256 MiB, hotFraction: 0.9 } }
  - { id: vm4, host: h0-1-1, memory: 8 GiB }
migrations:
  - { vm: vm1, to: h1-0-0, at: 0 s }
  - { vm: vm2, to: h2-0-0, at: 0 s }
  - { vm: vm3, to: h3-0-0, at: 0 s }
  - { vm: vm4, to: h1-1-0, at: 0 s }
schedule: { policy: parallel }
`;

/** The default scenario's raw document, to validate with parseScenarioDocument like a file's. */
export function readDefaultScenarioDocument(): Record<string, unknown> {
  return parseScenarioText(DEFAULT_SCENARIO_YAML, DEFAULT_SCENARIO_FILE);
}
