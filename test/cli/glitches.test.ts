// The glitches a capacity planner met (issue "a planner's workflow that can be trusted"), each as met.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FAT_TREE_K } from '../../src/config/index.js';
import { etaText } from '../../src/cli/sweep-progress.js';
import { runScenario } from '../../src/engine/run-scenario.js';
import { coreLinkIds } from '../../src/report/core-links.js';
import { reportPlots } from '../../src/report/plots.js';
import { formatSummary } from '../../src/report/summary-table.js';
import { parseScenarioDocument } from '../../src/config/index.js';
import { oddScenario } from '../report/helpers.js';
import { ROOT } from '../support/cli.js';

describe('glitches', () => {
  it("a refused migration's reason is not in the strategy column: the table keeps its width, the reason is below", () => {
    // One 8 GiB guest to a 4 GiB host: refused for room.
    const scenario = parseScenarioDocument(
      {
        topology: { kind: 'fat-tree', k: 2, link: { capacity: '10 Gbit/s', latency: '2 us' } },
        hosts: { overrides: { 'h1-0-0': { memory: '4 GiB' } } },
        vms: [{ id: 'big', host: 'h0-0-0', memory: '8 GiB' }],
        migrations: [{ vm: 'big', to: 'h1-0-0' }],
      },
      'refused.yaml',
    );
    const table = formatSummary(runScenario(scenario), scenario.schedule);
    const header = table.split('\n').find((line) => line.startsWith('vm '))!;
    const row = table.split('\n').find((line) => line.startsWith('big '))!;
    expect(row.length).toBeLessThanOrEqual(header.length + 2);
    expect(row).toMatch(/^big +h0-0-0 -> h1-0-0 +precopy +refused /);
    expect(table).toMatch(/^why\n {2}big refused: destination h1-0-0 is full: memory 8 GiB needed, 4 GiB of 4 GiB free$/m);
  });

  it('no raw float in a report caption', () => {
    const scenario = oddScenario();
    const results = runScenario(scenario);
    const captions = reportPlots(results, coreLinkIds(scenario)).map((section) => ('caption' in section ? section.caption : ''));
    for (const caption of captions) expect(caption).not.toMatch(/\d\.\d{5,}/);
  });

  it("the README's fat-tree k range is the validator's", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`\`k\` (even, 2..${MAX_FAT_TREE_K})`);
    expect(readme).not.toMatch(/k` \(even, 2\.\.(?!80)\d+\)/);
  });

  it('the sweep bar gives no estimate before the first run ends', () => {
    expect(etaText(0, 12, 0)).toBe('eta after the first run');
    expect(etaText(0, 12, 30)).toBe('eta after the first run');
    // 3 runs in 6 s: 2 s a run, 9 left.
    expect(etaText(3, 12, 6)).toBe('eta 18.00 s');
  });
});
