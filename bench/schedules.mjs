// Evacuating one pod of a k=16 fat-tree with each schedule policy (issue 5): 256 precopy migrations, 4 VMs on
// each of pod 0's 64 hosts, each to the host with the same rack and position in pod 1. Prints the wall time of
// each run and the plan's figures. Run: npm run build && node bench/schedules.mjs
// The VMs: 2, 4, 6 or 8 GiB; writes at 20 to 80 MiB/s, 90 % of them into a 256 MiB hot set; one image whose
// pages the VMs share 30 % of (for IRLM, which only the rows that say so turn on).
import { performance } from 'node:perf_hooks';
import { parseScenarioDocument } from '../dist/config/index.js';
import { runScenario } from '../dist/engine/run-scenario.js';

const K = 16;
const HALF = K / 2;
const PER_HOST = 4;

function podEvacuation(schedule, irlm = false) {
  const vms = [];
  const migrations = [];
  let v = 0;
  for (let edge = 0; edge < HALF; edge++) {
    for (let i = 0; i < HALF; i++) {
      for (let j = 0; j < PER_HOST; j++, v++) {
        vms.push({
          id: `vm${v}`,
          host: `h0-${edge}-${i}`,
          memory: `${2 * (1 + (v % 4))} GiB`,
          workload: { dirtyRate: `${20 * (1 + ((v * 7) % 4))} MiB/s`, hotSet: '256 MiB', hotFraction: 0.9 },
          content: { image: 'base', sharedFraction: 0.3 },
        });
        migrations.push({ vm: `vm${v}`, to: `h1-${edge}-${i}` });
      }
    }
  }
  return {
    name: `pod evacuation, ${schedule.policy}`,
    topology: { kind: 'fat-tree', k: K, link: { capacity: '10 Gbit/s', latency: '2 us' } },
    defaults: { migration: { strategy: 'precopy', optimizations: { irlm } } },
    vms,
    migrations,
    schedule,
  };
}

const plans = [
  [{ policy: 'parallel' }],
  [{ policy: 'sequential' }],
  [{ policy: 'bounded', maxConcurrent: 16 }],
  [{ policy: 'smallest-first', maxConcurrent: 16 }],
  [{ policy: 'largest-first', maxConcurrent: 16 }],
  [{ policy: 'smallest-first', maxConcurrent: 16, orderBy: 'bytes' }],
  [{ policy: 'rack-grouped' }],
  [{ policy: 'rack-grouped' }, true],
  [{ policy: 'gang' }],
];

const GIB = 2 ** 30;
const rows = [];
for (const [schedule, irlm] of plans) {
  const scenario = parseScenarioDocument(podEvacuation(schedule, irlm), '(bench)');
  const t0 = performance.now();
  const results = runScenario(scenario);
  const wallS = (performance.now() - t0) / 1000;
  const s = results.summary;
  rows.push({
    policy: `${schedule.policy}${schedule.maxConcurrent ? ` ${schedule.maxConcurrent}` : ''}${schedule.orderBy ? ` by ${schedule.orderBy}` : ''}${irlm ? ' + irlm' : ''}`,
    'wall s': wallS.toFixed(2),
    'total time s': s.totalMigrationTime.toFixed(1),
    'downtime sum s': s.totalDowntime.toFixed(2),
    'downtime max s': s.maxDowntime.toFixed(3),
    'wire GiB': (s.bytes.wire / GIB).toFixed(0),
    'core GiB': (s.coreBytes / GIB).toFixed(0),
    'peak core': s.peakCoreUtilization.toFixed(2),
    'max in flight': s.maxInFlight,
    events: results.run.events,
  });
}
console.table(rows);
