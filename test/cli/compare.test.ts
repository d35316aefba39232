// `mignet compare FILE --vary KEY=V1,V2,...` in-process (src/cli/compare-command.ts, vary.ts): one run per
// value, set at the dotted key of the raw document and read as YAML; the table and --json; bad keys and
// values as `FILE: path: message` problems (ConfigError, which main.ts prints and exits 2 on, as for `run`)
// or usage errors. The spawned CLI's exit codes for those two error kinds are test/cli/cli.test.ts's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, formatConfigError } from '../../src/config/index.js';
import { buildProgram } from '../../src/cli/program.js';
import { compareScenarios, type ComparedResults } from '../../src/cli/compare-command.js';
import { parseVariation, withValueAt } from '../../src/cli/vary.js';
import { UsageError } from '../../src/cli/usage-error.js';

const B = 1.25e8;
const H = (4096 + 8) / 4096;
const F = (1460 + 78) / 1460;
const GIB = 2 ** 30;

// Two 1 GiB guests leave a for b over one 1 Gbit/s path (no latency), stop-and-copy.
const SCENARIO = `name: two
topology:
  kind: graph
  nodes: [{ id: a, kind: host }, { id: s, kind: switch }, { id: b, kind: host }]
  links:
    - { from: a, to: s, capacity: 1 Gbit/s, latency: 0 }
    - { from: s, to: b, capacity: 1 Gbit/s, latency: 0, core: true }
defaults: { migration: { strategy: stop-and-copy } }
vms: [{ id: v1, host: a, memory: 1 GiB }, { id: v2, host: a, memory: 1 GiB }]
migrations: [{ vm: v1, to: b }, { vm: v2, to: b }]
schedule: { policy: parallel }
`;

let dir = '';
let file = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mignet-compare-'));
  file = join(dir, 'two.yaml');
  writeFileSync(file, SCENARIO);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problems(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return formatConfigError(error);
    if (error instanceof UsageError) return `usage: ${error.message}`;
    throw error;
  }
  return '';
}

describe('one run per value', () => {
  it('schedule.policy: parallel and sequential give the same time and bytes, different downtimes', () => {
    // Each guest's stop-and-copy moves M·H·F wire bytes. Parallel: both at B/2, both end (and are paused
    // throughout) at 2·M·H·F/B. Sequential: M·H·F/B each, one after the other: the same total time, half
    // the summed downtime.
    const unit = (GIB * H * F) / B;
    const runs = compareScenarios(file, { vary: 'schedule.policy=parallel,sequential' });
    expect(runs.map((r) => r.vary)).toEqual([
      { key: 'schedule.policy', value: 'parallel' },
      { key: 'schedule.policy', value: 'sequential' },
    ]);
    const [parallel, sequential] = runs as [ComparedResults, ComparedResults];
    expect(parallel.summary.totalMigrationTime).toBeCloseTo(2 * unit, 9);
    expect(sequential.summary.totalMigrationTime).toBeCloseTo(2 * unit, 9);
    expect(parallel.summary.totalDowntime).toBeCloseTo(4 * unit, 9);
    expect(sequential.summary.totalDowntime).toBeCloseTo(2 * unit, 9);
    expect(parallel.summary.coreBytes).toBeCloseTo(2 * GIB * H * F, 0);
  });

  it('values are YAML scalars: numbers, strings with units', () => {
    const runs = compareScenarios(file, { vary: 'vms[0].memory=2 GiB, 512 MiB' });
    expect(runs.map((r) => r.migrations[0]!.bytes.memory)).toEqual([2 * GIB, GIB / 2]);
    const bounded = compareScenarios(file, { vary: 'schedule.maxConcurrent=1,2', seed: 9 });
    expect(bounded.map((r) => [(r.vary as { value: unknown }).value, r.seed, r.summary.maxInFlight])).toEqual([[1, 9, 1], [2, 9, 2]]);
  });

  it('prints a row per value, or with --json the array of results', () => {
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      buildProgram().parse(['node', 'mignet', 'compare', file, '--vary', 'defaults.migration.strategy=stop-and-copy,precopy']);
      const table = out.join('');
      expect(table).toMatch(/^scenario two, varying defaults\.migration\.strategy$/m);
      expect(table).toMatch(
        /^defaults\.migration\.strategy\s+migrations\s+total time\s+downtime \(sum\)\s+downtime \(max\)\s+downtime p95\s+over limit\s+degraded\s+stalled\s+wire\s+core\s+migration energy$/m,
      );
      expect(table).toMatch(/^stop-and-copy\s+2\s+/m);
      expect(table).toMatch(/^precopy\s+2\s+/m);
      out.length = 0;
      buildProgram().parse(['node', 'mignet', 'compare', file, '--vary', 'schedule.policy=gang', '--json']);
      const parsed = JSON.parse(out.join('')) as ComparedResults[];
      expect(parsed).toHaveLength(1);
      expect(parsed[0]!.vary).toEqual({ key: 'schedule.policy', value: 'gang' });
      expect(Object.keys(parsed[0]!)).toEqual(expect.arrayContaining(['scenario', 'seed', 'migrations', 'summary', 'traffic', 'links', 'hosts']));
    } finally {
      write.mockRestore();
    }
  });
});

describe('bad keys and values', () => {
  it('a value the schema refuses, at the key: the other values still run; with none valid, the first problem', () => {
    expect(compareScenarios(file, { vary: 'schedule.policy=parallel,fastest' }).map((run) => run.vary)).toEqual([{ key: 'schedule.policy', value: 'parallel' }]);
    expect(problems(() => compareScenarios(file, { vary: 'schedule.policy=fastest' }))).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: schedule\\.policy: unknown schedule policy "fastest"`),
    );
    expect(problems(() => compareScenarios(file, { vary: 'vms.0.memory=-1 GiB' }))).toMatch(/: vms\[0\]\.memory: .*negative/);
  });

  it('an unknown key, a path through a scalar, an item past the end of a list', () => {
    expect(problems(() => compareScenarios(file, { vary: 'schedule.polcy=parallel' }))).toMatch(/: schedule\.polcy: unknown key \(did you mean "policy"\?/);
    expect(problems(() => compareScenarios(file, { vary: 'name.first=x' }))).toBe(`${file}: name: is a string (expected a mapping to set first in)`);
    expect(problems(() => compareScenarios(file, { vary: 'vms[5].memory=1 GiB' }))).toBe(
      `${file}: vms: the list has 2 items: no item 5 (expected an item number below 2)`,
    );
  });

  it('a malformed --vary is a usage error', () => {
    expect(problems(() => parseVariation('schedule.policy'))).toMatch(/^usage: --vary "schedule.policy": expected KEY=V1,V2,\.\.\./);
    expect(problems(() => parseVariation('a..b=1'))).toMatch(/^usage: /);
    expect(problems(() => parseVariation('seed=1,,2'))).toMatch(/a value is empty/);
    expect(problems(() => parseVariation('seed=[1'))).toMatch(/cannot read the value "\[1" as YAML/);
  });

  it('creates missing mappings on the way and never touches the document it was given', () => {
    const document = { schedule: { policy: 'parallel' } };
    const changed = withValueAt(document, ['defaults', 'migration', 'strategy'], 'postcopy', 'x.yaml');
    expect(changed).toEqual({ schedule: { policy: 'parallel' }, defaults: { migration: { strategy: 'postcopy' } } });
    expect(document).toEqual({ schedule: { policy: 'parallel' } });
    expect(parseVariation('vms[0].memory=4 GiB').path).toEqual(['vms', 0, 'memory']);
    expect(parseVariation('schedule.maxConcurrent=4,true,none').values).toEqual([4, true, 'none']);
  });
});
