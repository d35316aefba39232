// The terminal summary of a run: one row per migration and the plan's totals, in human units.
import { printable } from '../config/issues.js';
import type { ScheduleSpec } from '../config/scenario.js';
import type { Results } from '../engine/results.js';
import { concurrencyLimit } from '../migration/schedule.js';
import { meanUtilization } from '../transport/utilization-bins.js';

/** Core bytes, and how full the core got: its busiest link at its peak, and all core links on average. */
function coreLine(results: Results): string {
  const s = results.summary;
  if (s.coreUtilization === undefined) return `${formatBytes(s.coreBytes)} (the topology has none)`;
  const percent = (fraction: number): string => `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)} %`;
  const average = meanUtilization(s.coreUtilization, results.run.simulatedTime);
  return `${formatBytes(s.coreBytes)}, peak ${percent(s.peakCoreUtilization)} (busiest link), mean ${percent(average)} (all core links)`;
}

export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0 s';
  if (seconds < 1e-3) return `${(seconds * 1e6).toFixed(1)} us`;
  if (seconds < 1) return `${(seconds * 1e3).toFixed(1)} ms`;
  if (seconds < 120) return `${seconds.toFixed(2)} s`;
  return `${(seconds / 60).toFixed(1)} min`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(2)} ${units[unit]}`;
}

/** J, kJ, MJ or GJ, three significant digits. */
export function formatEnergy(joules: number): string {
  const units = ['J', 'kJ', 'MJ', 'GJ'];
  let value = joules;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 && Number.isInteger(value) ? value.toFixed(0) : value.toPrecision(3)} ${units[unit]}`;
}

/** What the migrations' energy counts, beside the figure: it is the CPU work of the stream on its two hosts
 * (src/power/migration-cpu.ts) and nothing else, so per GiB it is orders of magnitude below whole-host
 * measurements such as Liu et al.'s (HPDC 2011; the README's "Migration energy" compares them). */
function migrationEnergyBasis(results: Results): string {
  const wire = results.summary.bytes.wire;
  if (wire === 0) return '';
  return ` (${formatEnergy((results.summary.energy.migration / wire) * 2 ** 30)} per GiB on the wire: the CPU work of copying only)`;
}

/** Lines for energy, its estimates and exposure, when there is something to say. */
function securityEnergyLines(results: Results): string[] {
  const s = results.summary;
  const lines = [`energy             ${formatEnergy(s.energy.total)} over all hosts to ${formatDuration(s.energy.horizon)}, ${formatEnergy(s.energy.migration)} of it by migrations${migrationEnergyBasis(results)}`];
  if (s.energy.network !== undefined) {
    lines.push(`switches           ${formatEnergy(s.energy.network)} over all switches and gateways to ${formatDuration(s.energy.horizon)}`);
  }
  const estimates = s.energy.estimates;
  if (estimates !== undefined) {
    const parts = [
      ...(estimates.liu === undefined ? [] : [`Liu ${formatEnergy(estimates.liu)}`]),
      ...(estimates.strunk === undefined ? [] : [`Strunk ${formatEnergy(estimates.strunk)}`]),
    ];
    lines.push(`estimates          ${parts.join(', ')} (the scenario's coefficients, not verified fits)`);
  }
  if (s.exposure.bytes > 0) {
    lines.push(`exposed            ${formatBytes(s.exposure.bytes)} unencrypted on untrusted links, by ${s.exposure.migrations} migration${s.exposure.migrations === 1 ? '' : 's'}`);
  }
  return lines;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c < 4 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** How many migrations ran at once, and the bound the schedule set (a maxConcurrent left over from a bounded
 * schedule also holds parallel and as-written: the line says so). */
function concurrencyLine(results: Results, schedule: ScheduleSpec): string {
  const limit = concurrencyLimit(schedule);
  const source = schedule.maxConcurrent === undefined ? schedule.policy : `${schedule.policy} with schedule.maxConcurrent`;
  const bound = Number.isFinite(limit) ? `bound ${limit} (${source})` : `no bound (${source})`;
  return `concurrency        ${results.summary.maxInFlight} at most in flight; ${bound}`;
}

/** The table and totals; with the scenario's schedule, also the concurrency reached and the schedule's bound. */
export function formatSummary(results: Results, schedule?: ScheduleSpec): string {
  // Ids hold no control characters (src/config/fields.ts name); escaped here all the same, as the table is
  // what a terminal shows.
  const rows = results.migrations.map((m) => [
    printable(m.vm),
    printable(`${m.from} -> ${m.to}`),
    m.strategy,
    m.status,
    formatDuration(m.start),
    formatDuration(m.totalTime),
    formatDuration(m.downtime),
    String(m.rounds),
    formatBytes(m.bytes.memory),
    formatBytes(m.bytes.wire),
  ]);
  // Reasons are sentences (a full destination, a policy rule): below the table, one line each, so the
  // table's columns keep their width.
  const reasons = results.migrations.flatMap((m) => (m.reason === undefined || m.status === 'completed' ? [] : [printable(`  ${m.vm} ${m.status}: ${m.reason}`)]));
  const s = results.summary;
  return [
    printable(`scenario ${results.scenario} (seed ${results.seed})`),
    '',
    table(['vm', 'route', 'strategy', 'status', 'start', 'time', 'downtime', 'rounds', 'memory', 'wire'], rows),
    ...(reasons.length === 0 ? [] : ['', 'why', ...reasons]),
    '',
    `migrations         ${s.completed} completed, ${s.refused} refused, ${s.failed} failed`,
    ...(schedule === undefined ? [] : [concurrencyLine(results, schedule)]),
    `total time         ${formatDuration(s.totalMigrationTime)}`,
    `downtime           ${formatDuration(s.totalDowntime)} in total, ${formatDuration(s.maxDowntime)} at most`,
    `bytes              ${formatBytes(s.bytes.memory)} memory, ${formatBytes(s.bytes.storage)} storage, ${formatBytes(s.bytes.wire)} on the wire`,
    `core links         ${coreLine(results)}`,
    ...securityEnergyLines(results),
  ].join('\n');
}
