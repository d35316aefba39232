// Benchmarks with fixed scenarios, printing figures (never asserted in tests). Run: npm run bench
// Each scenario is built in code, validated by the config layer like a file, and run from dist/.
import { performance } from 'node:perf_hooks';
import { parseScenarioDocument } from '../dist/config/index.js';
import { runScenario } from '../dist/engine/run-scenario.js';

/** `count` VMs spread over the hosts of the first half of the pods, each moving to the mirror host in the other half. */
function fatTreeEvacuation(k, count, strategy, extra = {}) {
  const half = k / 2;
  const hosts = [];
  for (let pod = 0; pod < k; pod++) for (let edge = 0; edge < half; edge++) for (let i = 0; i < half; i++) hosts.push([pod, edge, i]);
  const sources = hosts.filter(([pod]) => pod < half);
  const vms = [];
  const migrations = [];
  for (let v = 0; v < count; v++) {
    const [pod, edge, i] = sources[v % sources.length];
    vms.push({ id: `vm${v}`, host: `h${pod}-${edge}-${i}`, memory: `${1 + (v % 4)} GiB`, ...extra.vm });
    migrations.push({ vm: `vm${v}`, to: `h${pod + half}-${edge}-${i}`, at: `${(v % 10) * 0.1} s` });
  }
  return {
    name: `fat-tree k=${k}, ${count} ${strategy} migrations`,
    topology: { kind: 'fat-tree', k, link: { capacity: '10 Gbit/s', latency: '2 us' } },
    defaults: { migration: { strategy, ...extra.migration } },
    vms,
    migrations,
  };
}

const scenarios = [
  fatTreeEvacuation(8, 128, 'stop-and-copy'),
  fatTreeEvacuation(8, 500, 'stop-and-copy'),
  fatTreeEvacuation(16, 1000, 'stop-and-copy'),
  fatTreeEvacuation(16, 1000, 'precopy', {
    vm: { workload: { dirtyRate: '80 MiB/s', hotSet: '256 MiB', hotFraction: 0.9 } },
  }),
  fatTreeEvacuation(16, 1000, 'postcopy', {
    vm: { workload: { dirtyRate: '80 MiB/s', hotSet: '256 MiB', hotFraction: 0.9 } },
  }),
];

/** Timed runs per scenario after one warm-up; the median is printed (a shared 2-core machine is noisy). */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);

const rows = [];
for (const document of scenarios) {
  const scenario = parseScenarioDocument(document, '(bench)');
  let results = runScenario(scenario); // warm-up
  const wallsS = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    results = runScenario(scenario);
    wallsS.push((performance.now() - t0) / 1000);
  }
  const wallS = wallsS.sort((a, b) => a - b)[Math.floor(REPEATS / 2)];
  rows.push({
    scenario: document.name,
    'median wall s': wallS.toFixed(3),
    events: results.run.events,
    'events/s': Math.round(results.run.events / wallS),
    migrations: results.migrations.length,
    resolves: results.run.resolves,
    'resolves/s': Math.round(results.run.resolves / wallS),
    'simulated s': results.run.simulatedTime.toFixed(2),
  });
}
console.table(rows);
