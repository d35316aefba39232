// Settings that are valid one by one but together (or for their field) are very likely not what the user
// meant: the command prints each as `FILE: path: warning: what (what to do)` on stderr and runs on. Each was a
// silent trap a capacity planner met (issue "a planner's workflow that can be trusted"):
// - `schedule.maxConcurrent` with a policy it contradicts: it bounds `parallel` and `as-written` too, and
//   `sequential` ignores it (schedule.ts concurrencyLimit);
// - a VM with a local `disk` migrated with `storage: shared`: the disk stays on the source;
// - VMs placed on a host beyond its cores or memory: the file's placement is taken as written
//   (host-capacity.ts), while a migration to such a host is refused;
// - a plain number that is implausible for its field (`memory: 16` is 16 bytes, `latency: 2` is 2 s a hop):
//   plain numbers are SI base units (units.ts), so the unit the user most likely meant is suggested.
// Warnings never change the scenario: a study may mean every one of them.
import { issue, type ConfigIssue, type PathSegment } from './issues.js';
import type { Scenario } from './scenario.js';
import { concurrencyLimit } from '../migration/schedule.js';

const GIB = 2 ** 30;
const MIB = 2 ** 20;

function showBytes(bytes: number): string {
  return bytes >= GIB ? `${+(bytes / GIB).toFixed(2)} GiB` : `${+(bytes / MIB).toFixed(2)} MiB`;
}

function scheduleWarnings(scenario: Scenario): ConfigIssue[] {
  const { policy, maxConcurrent } = scenario.schedule;
  if (maxConcurrent === undefined) return [];
  const path = ['schedule', 'maxConcurrent'];
  if (policy === 'parallel' || policy === 'as-written') {
    const what = policy === 'parallel' ? 'starts every migration at once' : 'starts each migration at its own time';
    return [issue(path, `${maxConcurrent} holds the ${policy} policy, which otherwise ${what}, to ${maxConcurrent} migration${maxConcurrent === 1 ? '' : 's'} in flight (remove maxConcurrent for no bound, or use policy bounded to say the bound is meant)`)];
  }
  if (policy === 'sequential' && maxConcurrent !== concurrencyLimit(scenario.schedule)) {
    return [issue(path, `${maxConcurrent} is ignored: the sequential policy runs one migration at a time (use policy bounded for ${maxConcurrent} at a time)`)];
  }
  return [];
}

/** Each migration of a VM with a local disk whose storage mode moves nothing. */
function storageWarnings(scenario: Scenario): ConfigIssue[] {
  const vmIndex = new Map(scenario.vms.map((vm, i) => [vm.id, i]));
  const issues: ConfigIssue[] = [];
  scenario.migrations.forEach((migration, i) => {
    const index = vmIndex.get(migration.vm);
    const disk = index === undefined ? undefined : scenario.vms[index]?.disk;
    if (disk === undefined || migration.storage !== 'shared') return;
    issues.push(
      issue(['migrations', i, 'storage'], `${migration.vm} has a local disk of ${showBytes(disk.sizeBytes)} (vms[${index}].disk) that stays on its source with storage: shared (expected snapshot, dirty-block or mirror to move it, or no disk for a VM on shared storage)`),
    );
  });
  return issues;
}

/** Hosts that the file's placement fills beyond their cores or memory, at the first VM that overflows each. */
function placementWarnings(scenario: Scenario): ConfigIssue[] {
  const used = new Map<string, { cores: number; memory: number; vms: string[]; warned: boolean }>();
  const issues: ConfigIssue[] = [];
  scenario.vms.forEach((vm, i) => {
    const spec = scenario.hosts.overrides[vm.host] ?? scenario.hosts.defaults;
    const host = used.get(vm.host) ?? { cores: 0, memory: 0, vms: [], warned: false };
    used.set(vm.host, host);
    host.cores += vm.vcpus;
    host.memory += vm.memoryBytes;
    host.vms.push(vm.id);
    if (host.warned || (host.memory <= spec.memoryBytes && host.cores <= spec.cores)) return;
    host.warned = true;
    const over = [
      ...(host.memory > spec.memoryBytes ? [`${showBytes(host.memory)} of VM memory on ${showBytes(spec.memoryBytes)}`] : []),
      ...(host.cores > spec.cores ? [`${host.cores} vCPUs on ${spec.cores} cores`] : []),
    ];
    issues.push(
      issue(['vms', i, 'host'], `${vm.host} holds more than it has: ${over.join(', ')} (${host.vms.join(', ')}); the placement is run as written, but a migration to a host this full is refused (expected VMs that fit hosts.memory and hosts.cores, or a larger host in hosts.overrides)`),
    );
  });
  return issues;
}

/** A plain number below `below` or above `above` in a field named `key` is implausible; `unit` is what to add. */
interface Plausible {
  below?: number;
  above?: number;
  unit: string;
  what: string;
}

const SIZE_GIB: Plausible = { below: MIB, unit: 'GiB', what: 'bytes' };
const SIZE_MIB: Plausible = { below: 64 * 1024, unit: 'MiB', what: 'bytes' };

/** By key name, wherever it appears (a link's capacity in a graph, a WAN link or a fat-tree's `link`). */
const PLAUSIBLE: Record<string, Plausible> = {
  memory: SIZE_GIB,
  size: SIZE_GIB,
  hotSet: SIZE_MIB,
  xbzrleCache: SIZE_MIB,
  sharedPool: SIZE_MIB,
  tcpWindow: { below: 1024, unit: 'KiB', what: 'bytes' },
  // A link slower than 80 kbit/s, a guest writing less than 10 kB/s: almost certainly a missing unit.
  capacity: { below: 1e4, unit: 'Gbit/s', what: 'bytes per second' },
  maxBandwidth: { below: 1e4, unit: 'MiB/s', what: 'bytes per second' },
  diskWriteLimit: { below: 1e4, unit: 'MiB/s', what: 'bytes per second' },
  rate: { below: 1e4, unit: 'Mbit/s', what: 'bytes per second' },
  dirtyRate: { below: 1e4, unit: 'MiB/s', what: 'bytes per second' },
  writeRate: { below: 1e4, unit: 'MiB/s', what: 'bytes per second' },
  // Light crosses the Earth's circumference in 0.2 s in fibre: half a second on one hop is a missing unit.
  latency: { above: 0.5, unit: 'ms', what: 'seconds' },
  // QEMU's default downtime limit is 300 ms; 10 s and more is no live migration.
  downtimeLimit: { above: 10, unit: 'ms', what: 'seconds' },
  controllerRtt: { above: 1, unit: 'ms', what: 'seconds' },
  ruleUpdate: { above: 1, unit: 'ms', what: 'seconds' },
};

const PLAIN_NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;

function plainNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && PLAIN_NUMBER.test(value)) return Number(value);
  return undefined;
}

/** Every implausible plain number of the document, found by key name in one iterative walk. */
function unitWarnings(document: Record<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<object>();
  const stack: { value: unknown; path: PathSegment[] }[] = [{ value: document, path: [] }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path } = item;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    const entries = Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      const childPath = [...path, Array.isArray(value) ? Number(key) : key];
      const rule = Array.isArray(value) ? undefined : PLAUSIBLE[key];
      const number = rule === undefined ? undefined : plainNumber(child);
      if (rule !== undefined && number !== undefined && number > 0) {
        const low = rule.below !== undefined && number < rule.below;
        const high = rule.above !== undefined && number > rule.above;
        if (low || high) {
          issues.push(issue(childPath, `${number} is a plain number, so ${number} ${rule.what}: did you mean "${number} ${rule.unit}"? (write the unit: plain numbers are SI base units)`));
        }
      }
      stack.push({ value: child, path: childPath });
    }
  }
  return issues.reverse();
}

/** Every warning of a valid scenario: `document` is the file as read (plain numbers are only visible there). */
export function scenarioWarnings(document: Record<string, unknown>, scenario: Scenario): ConfigIssue[] {
  return [...scheduleWarnings(scenario), ...unitWarnings(document), ...placementWarnings(scenario), ...storageWarnings(scenario)];
}

/** One line per warning, as printed on stderr. */
export function formatWarnings(file: string, warnings: readonly ConfigIssue[]): string {
  return warnings.map((warning) => `${file}: ${warning.path}: warning: ${warning.message}\n`).join('');
}
