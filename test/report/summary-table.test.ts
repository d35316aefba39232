// The terminal summary's core line (src/report/summary-table.ts): the mean it prints is the core's bytes over
// its capacity and the run's length — an independent derivation from summary.coreBytes and the topology.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/engine/run-scenario.js';
import { formatBytes, formatSummary } from '../../src/report/summary-table.js';
import { buildTopology } from '../../src/topology/build.js';
import { defaultScenario } from './helpers.js';

describe('the summary table', () => {
  it('gives the core its bytes, the busiest core link’s peak and the mean over all core links and the run', () => {
    const scenario = defaultScenario();
    const results = runScenario(scenario);
    const { links } = buildTopology(scenario.topology);
    let coreCapacity = 0;
    links.core.forEach((core, i) => (coreCapacity += core * links.capacityBytesPerS[i]!));
    // default: 32 directed aggregation–core links of 10 Gbit/s carry coreBytes in run.simulatedTime
    const mean = results.summary.coreBytes / (coreCapacity * results.run.simulatedTime);
    const line = formatSummary(results).split('\n').find((l) => l.startsWith('core links'));
    const percent = (f: number): string => `${(f * 100).toFixed(f < 0.1 ? 1 : 0)} %`;
    expect(line).toBe(
      `core links         ${formatBytes(results.summary.coreBytes)}, peak ${percent(results.summary.peakCoreUtilization)} (busiest link), mean ${percent(mean)} (all core links)`,
    );
    // QEMU's max-bandwidth default (128 MiB/s a stream: src/migration/hypervisor.ts) paces the four streams: 1.5 %.
    expect(line).toContain('mean 1.5 %');
  });
});
