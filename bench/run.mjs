// The scaling table of issue 14, printed (never asserted in tests). Run: npm run bench
// Each case runs in a fresh process (bench/scale-case.mjs) so that its peak RSS is its own; a case that
// runs past BENCH_CASE_LIMIT_S (default 600 s) is stopped and shown as such. BENCH_CASES="at-once 1k,poisson 1k"
// runs only those. Columns: wall time; events per second; re-solves; flows re-solved per event (mean)
// beside rate changes per event (the flows whose rate actually changed: the floor for an exact engine);
// peak RSS; the makespan (simulated time of the last delivery).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ALL = [
  'at-once 1k', 'at-once 3k', 'at-once 10k',
  'poisson 1k', 'poisson 10k', 'poisson 100k',
  'migrations 1k k=16', 'migrations 4k k=32', 'migrations 10k k=48',
  'k=16 1k migrations + 500 flows',
];
const cases = process.env.BENCH_CASES ? process.env.BENCH_CASES.split(',').map((name) => name.trim()) : ALL;
const limitS = Number(process.env.BENCH_CASE_LIMIT_S ?? 600);
const script = fileURLToPath(new URL('./scale-case.mjs', import.meta.url));

const rows = [];
for (const name of cases) {
  const child = spawnSync(process.execPath, [script, name], { encoding: 'utf8', timeout: limitS * 1000 });
  if (child.error !== undefined || child.status !== 0) {
    const why = child.error?.code === 'ETIMEDOUT' || child.signal === 'SIGTERM' ? `> ${limitS} s` : `failed: ${child.stderr.trim().split('\n').pop()}`;
    rows.push({ case: name, 'wall s': why });
    continue;
  }
  const r = JSON.parse(child.stdout.trim().split('\n').pop());
  rows.push({
    case: name,
    'wall s': r.wallS.toFixed(2),
    'cpu s': r.cpuS.toFixed(2),
    'events/cpu s': Math.round(r.events / r.cpuS),
    resolves: r.resolves,
    'flows re-solved/event': (r.resolvedFlows / r.events).toFixed(1),
    'rate changes/event': (r.rateChanges / r.events).toFixed(1),
    'peak RSS MB': Math.round(r.peakRssBytes / 1e6),
    'makespan s': r.makespanS.toPrecision(6),
  });
  console.error(`${name}: ${rows.at(-1)['wall s']} s`);
}
console.table(rows);
