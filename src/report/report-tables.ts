// The report's tables in human units (the terminal summary's formatting, summary-table.ts): the run's
// totals, one row per migration, one row per application flow. The exact SI numbers are in the CSV files.
import type { Results } from '../engine/results.js';
import { htmlTable } from './html.js';
import { formatBytes, formatDuration } from './summary-table.js';

export function formatEnergy(joules: number): string {
  if (joules >= 1e6) return `${(joules / 1e6).toFixed(2)} MJ`;
  if (joules >= 1e3) return `${(joules / 1e3).toFixed(2)} kJ`;
  return `${joules.toFixed(1)} J`;
}

export function totalsTable(results: Results): string {
  const s = results.summary;
  const rows: [string, string][] = [
    ['scenario', `${results.scenario} (seed ${results.seed})`],
    ['migrations', `${s.completed} completed, ${s.refused} refused, ${s.failed} failed`],
    ['total migration time', `${formatDuration(s.totalMigrationTime)} (first start to last end)`],
    ['downtime', `${formatDuration(s.totalDowntime)} in total, ${formatDuration(s.maxDowntime)} at most`],
    ['bytes', `${formatBytes(s.bytes.memory)} memory, ${formatBytes(s.bytes.storage)} storage, ${formatBytes(s.bytes.wire)} on the wire`],
    ['shared pages', `${formatBytes(s.sharedPages.referenced)} sent as references, ${formatBytes(s.sharedPages.saved)} kept off the wire`],
    [
      'core links',
      `${formatBytes(s.coreBytes)} (wire bytes summed over core links: ${formatBytes(s.coreBytesByClass.migration)} migration, ` +
        `${formatBytes(s.coreBytesByClass.traffic)} traffic), peak utilization ${(s.peakCoreUtilization * 100).toFixed(0)} %`,
    ],
    ['concurrency', `at most ${s.maxInFlight} migrations in flight`],
    [
      'application traffic',
      `${s.traffic.flows} flow${s.traffic.flows === 1 ? '' : 's'}, ${formatBytes(s.traffic.payload)} payload, ${formatBytes(s.traffic.wire)} on the wire, ` +
        `${formatDuration(s.traffic.stalledTime)} stalled`,
    ],
    ['energy', `${formatEnergy(s.energy.total)} in total, ${formatEnergy(s.energy.migration)} for migration`],
    ['simulation', `${formatDuration(results.run.simulatedTime)} simulated, ${results.run.events} events`],
  ];
  return htmlTable(['', ''], rows);
}

export function migrationsTable(results: Results): string {
  const rows = results.migrations.map((m) => [
    m.vm,
    m.from,
    m.to,
    m.strategy,
    m.reason === undefined ? m.status : `${m.status}: ${m.reason}`,
    formatDuration(m.start),
    formatDuration(m.totalTime),
    formatDuration(m.downtime),
    String(m.rounds),
    formatBytes(m.bytes.memory),
    formatBytes(m.bytes.wire),
    formatDuration(m.degradedTime),
    m.precopyStop ?? '',
  ]);
  const header = ['vm', 'from', 'to', 'strategy', 'status', 'start', 'time', 'downtime', 'rounds', 'memory', 'wire', 'degraded', 'precopy stop'];
  return htmlTable(header, rows, new Set([5, 6, 7, 8, 9, 10, 11]));
}

/** The application flows, or undefined when the scenario has none. */
export function trafficTable(results: Results): string | undefined {
  if (results.traffic.length === 0) return undefined;
  const rows = results.traffic.map((t) => [
    t.from,
    t.to,
    formatDuration(t.start),
    formatDuration(t.end),
    formatBytes(t.bytes.payload),
    formatBytes(t.bytes.wire),
    formatDuration(t.stalledTime),
  ]);
  return htmlTable(['from', 'to', 'start', 'end', 'payload', 'wire', 'stalled'], rows, new Set([2, 3, 4, 5, 6]));
}
