// Room on the hosts: cores and memory (`hosts`, `hosts.overrides`). A VM takes its vCPUs in cores and its
// memory in bytes on the host it runs on; a migration takes both on its destination from the moment it
// starts (the destination allocates the guest's memory before the first page arrives, as QEMU's incoming
// side does) and frees the source only when it completes (until then the guest runs, or may fall back, there).
// A migration that would overcommit its destination is refused, with the host and the resource in its
// reason, or waits for room when `schedule.onFull: wait` (schedule.ts asks at start).
// Assumptions: no overcommit of either resource, one vCPU per core (the conservative end: OpenStack's
// placement service, for one, allows CPU overcommit by default; memory overcommit by ballooning or page
// sharing is not modelled); the VMs as placed in the file are taken as they are, even on a full host.
import type { OnFullAction, Scenario, VmSpec } from '../config/scenario.js';
import type { Admission } from './schedule.js';

interface Usage {
  cores: number;
  memoryBytes: number;
}

const GIB = 2 ** 30;

function showBytes(bytes: number): string {
  return bytes >= GIB ? `${+(bytes / GIB).toFixed(2)} GiB` : `${+(bytes / 2 ** 20).toFixed(2)} MiB`;
}

export class HostCapacity {
  private readonly used = new Map<string, Usage>();

  constructor(
    private readonly hosts: Scenario['hosts'],
    vms: readonly VmSpec[],
    private readonly onFull: OnFullAction,
  ) {
    for (const vm of vms) this.add(vm.host, vm, 1);
  }

  /** Reserves room for `vm` on `host` if there is some; otherwise refuses or waits, as the schedule says. */
  admit(vm: VmSpec, host: string): Admission {
    const spec = this.hosts.overrides[host] ?? this.hosts.defaults;
    const used = this.usage(host);
    const problems: string[] = [];
    if (used.cores + vm.vcpus > spec.cores) {
      problems.push(`${vm.vcpus} cores needed, ${Math.max(0, spec.cores - used.cores)} of ${spec.cores} free`);
    }
    if (used.memoryBytes + vm.memoryBytes > spec.memoryBytes) {
      const free = Math.max(0, spec.memoryBytes - used.memoryBytes);
      problems.push(`memory ${showBytes(vm.memoryBytes)} needed, ${showBytes(free)} of ${showBytes(spec.memoryBytes)} free`);
    }
    if (problems.length === 0) {
      this.add(host, vm, 1);
      return { kind: 'start' };
    }
    const reason = `destination ${host} is full: ${problems.join('; ')}`;
    return this.onFull === 'wait' ? { kind: 'wait', reason } : { kind: 'refuse', reason };
  }

  /** A migration completed: the guest left `from`. */
  completed(vm: VmSpec, from: string): void {
    this.add(from, vm, -1);
  }

  /** A migration that had room on `to` did not complete: the guest stays where it was. */
  abandoned(vm: VmSpec, to: string): void {
    this.add(to, vm, -1);
  }

  usage(host: string): Usage {
    return this.used.get(host) ?? { cores: 0, memoryBytes: 0 };
  }

  private add(host: string, vm: VmSpec, sign: 1 | -1): void {
    const used = this.usage(host);
    this.used.set(host, { cores: used.cores + sign * vm.vcpus, memoryBytes: used.memoryBytes + sign * vm.memoryBytes });
  }
}
