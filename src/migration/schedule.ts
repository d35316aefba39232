// Multi-VM schedules as plan generators: a policy decides only when each migration may start and how many
// run at once; the network decides the rest. `after` dependencies hold under every policy.
//   as-written  each migration starts at its `at` time, unbounded concurrency
//   parallel    all start at once (`at` ignored)
//   sequential  one at a time, in file order (`at` ignored)
//   bounded     at most `maxConcurrent` at a time, in file order (`at` ignored)
import type { MigrationSpec, ScheduleSpec } from '../config/scenario.js';
import type { Simulator } from '../engine/simulator.js';

export class Scheduler {
  private readonly started: boolean[];
  private readonly ended = new Set<string>();
  private inFlight = 0;
  private dispatching = false;
  private redispatch = false;
  private readonly concurrencyLimit: number;

  constructor(
    private readonly sim: Simulator,
    private readonly migrations: readonly MigrationSpec[],
    private readonly schedule: ScheduleSpec,
    private readonly launch: (index: number) => void,
  ) {
    this.started = migrations.map(() => false);
    this.concurrencyLimit =
      schedule.policy === 'sequential' ? 1 : schedule.policy === 'bounded' ? (schedule.maxConcurrent ?? 1) : Infinity;
  }

  start(): void {
    if (this.schedule.policy === 'as-written') {
      const times = [...new Set(this.migrations.map((m) => m.atS))].sort((a, b) => a - b);
      for (const t of times) this.sim.at(t, () => this.dispatch());
    } else {
      this.sim.at(0, () => this.dispatch());
    }
  }

  /** a migration ended (completed, failed or refused): its dependants may start */
  migrationEnded(index: number): void {
    this.ended.add(this.migrations[index]!.vm);
    this.inFlight--;
    this.dispatch();
  }

  private dispatch(): void {
    if (this.dispatching) {
      this.redispatch = true;
      return;
    }
    this.dispatching = true;
    do {
      this.redispatch = false;
      for (let i = 0; i < this.migrations.length && this.inFlight < this.concurrencyLimit; i++) {
        if (this.started[i] || !this.ready(this.migrations[i]!)) continue;
        this.started[i] = true;
        this.inFlight++;
        this.launch(i);
      }
    } while (this.redispatch);
    this.dispatching = false;
  }

  private ready(migration: MigrationSpec): boolean {
    if (this.schedule.policy === 'as-written' && migration.atS > this.sim.nowS) return false;
    return migration.after.every((vm) => this.ended.has(vm));
  }
}
