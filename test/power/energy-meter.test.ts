import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnergyMeter, attributeMigrationPower, hostUtilization } from '../../src/power/energy-meter.js';
import { HP_PROLIANT_ML110_G4_XEON3040_W, hostPowerW, type HostPowerModel } from '../../src/power/host-power.js';

describe('EnergyMeter', () => {
  it('integrates a piecewise-constant power exactly: Σ P_i·Δt_i', () => {
    // 100 W on [0, 10), 250 W on [10, 15), 0 W on [15, 18), 175 W on [18, 20]:
    // 100·10 + 250·5 + 0·3 + 175·2 = 1000 + 1250 + 0 + 350 = 2600 J.
    const meter = new EnergyMeter(0, 100);
    meter.setPower(10, 250);
    meter.setPower(15, 0);
    meter.setPower(18, 175);
    expect(meter.energyJ(20)).toBe(2600);
    expect(meter.energyJ(18)).toBe(2250);
    expect(meter.powerW).toBe(175);
    expect(meter.timeS).toBe(18);
  });

  it('gives P_idle·T for an idle host', () => {
    // 86 W (ML110 G4 idle) over one hour: 86 × 3600 = 309600 J.
    expect(new EnergyMeter(0, 86).energyJ(3600)).toBe(309600);
  });

  it('starts at any time and counts nothing before it', () => {
    // 50 W from t = 100 s: at 130 s, 50 × 30 = 1500 J.
    expect(new EnergyMeter(100, 50).energyJ(130)).toBe(1500);
  });

  it('asserts that time never goes backwards', () => {
    const meter = new EnergyMeter(0, 100);
    meter.setPower(5, 200);
    expect(() => meter.setPower(4, 100)).toThrow(/EnergyMeter.setPower: time 4 s is before the last power change at 5 s/);
    expect(() => meter.energyJ(4.5)).toThrow(/EnergyMeter.energyJ/);
    meter.setPower(5, 300); // a second change at the same instant is allowed: a zero-length interval
    expect(meter.energyJ(6)).toBe(100 * 5 + 300 * 1);
  });

  it('refuses negative or non-finite power and time', () => {
    expect(() => new EnergyMeter(0, -1)).toThrow(/not a finite non-negative power/);
    const meter = new EnergyMeter();
    expect(() => meter.setPower(1, Infinity)).toThrow(/not a finite/);
    expect(() => meter.setPower(NaN, 1)).toThrow(/not finite/);
  });

  it('keeps 1e-12 relative accuracy over 200000 intervals', () => {
    // Alternating 100 W and 250 W every 0.1 s for 20000 s: 100000 × 0.1 × (100 + 250) = 3.5e6 J.
    const meter = new EnergyMeter(0, 100);
    for (let k = 1; k <= 200_000; k++) meter.setPower(k / 10, k % 2 === 0 ? 100 : 250);
    expect(Math.abs(meter.energyJ(20_000) - 3.5e6) / 3.5e6).toBeLessThan(1e-12);
  });

  const profile = fc.array(fc.record({ dt: fc.double({ min: 0, max: 1000, noNaN: true }), watts: fc.double({ min: 0, max: 1000, noNaN: true }) }), {
    minLength: 1,
    maxLength: 40,
  });

  it('is additive over split intervals (property)', () => {
    // E(0, T) = E(0, t) + E(t, T): splitting any step in two (a setPower at t with the same power) changes
    // nothing, and the energy at t plus a second meter started at t with the power then adds up.
    fc.assert(
      fc.property(profile, fc.double({ min: 0, max: 1, noNaN: true }), (steps, fraction) => {
        const whole = new EnergyMeter(0, 0);
        let t = 0;
        const times: Array<[number, number]> = [];
        for (const { dt, watts } of steps) {
          t += dt;
          whole.setPower(t, watts);
          times.push([t, watts]);
        }
        const end = t + 10;
        const split = end * fraction;
        // Meter 1: the profile up to `split`; meter 2: from `split` on, at the power in force there.
        const first = new EnergyMeter(0, 0);
        let powerAtSplit = 0;
        for (const [time, watts] of times) {
          if (time > split) break;
          first.setPower(time, watts);
          powerAtSplit = watts;
        }
        const second = new EnergyMeter(split, powerAtSplit);
        for (const [time, watts] of times) if (time > split) second.setPower(time, watts);
        const total = whole.energyJ(end);
        const parts = first.energyJ(split) + second.energyJ(end);
        return Math.abs(total - parts) <= 1e-9 * Math.max(1, total);
      }),
    );
  });

  it('equals Σ P_i·Δt_i computed directly (property)', () => {
    fc.assert(
      fc.property(profile, (steps) => {
        const meter = new EnergyMeter(0, 0);
        let t = 0;
        let direct = 0;
        let power = 0;
        for (const { dt, watts } of steps) {
          direct += power * dt;
          t += dt;
          meter.setPower(t, watts);
          power = watts;
        }
        direct += power * 5;
        return Math.abs(meter.energyJ(t + 5) - direct) <= 1e-9 * Math.max(1, direct);
      }),
    );
  });
});

describe('host utilization', () => {
  it('adds the VMs load and the migration work, over the cores', () => {
    // 32 cores; VMs: 0.5 × 4 + 1 × 8 = 10 cores; migration work 2 core-s/s: demand 12, u = 12 / 32 = 0.375.
    const load = hostUtilization(32, [{ cpuLoad: 0.5, vcpus: 4 }, { cpuLoad: 1, vcpus: 8 }], 2);
    expect(load).toEqual({ utilization: 0.375, vmCores: 10, migrationCores: 2, demandCores: 12, excessCores: 0 });
  });

  it('clamps at 1 and reports the excess demand', () => {
    // 8 cores; VMs 1 × 10 = 10 cores; migration 1: demand 11, u = 1, excess 11 − 8 = 3 cores.
    const load = hostUtilization(8, [{ cpuLoad: 1, vcpus: 10 }], 1);
    expect(load.utilization).toBe(1);
    expect(load.excessCores).toBe(3);
  });

  it('refuses a load outside 0..1 and non-positive cores', () => {
    expect(() => hostUtilization(8, [{ cpuLoad: 1.5, vcpus: 1 }])).toThrow(/outside 0..1/);
    expect(() => hostUtilization(0, [])).toThrow(/positive/);
    expect(() => hostUtilization(8, [], -1)).toThrow(/migration work/);
  });
});

describe('migration power attribution', () => {
  it('splits P(u_all) − P(u_vms) by core demand (linear model)', () => {
    // 10 cores, 100..250 W; VMs 2 cores, migrations 1 and 3 cores: u 0.2 → 0.6, extra = 150 × 0.4 = 60 W,
    // split 1 : 3 = 15 W and 45 W.
    const linear: HostPowerModel = { kind: 'linear', idleW: 100, maxW: 250 };
    const [a, b] = attributeMigrationPower(linear, 10, 2, [1, 3]);
    expect(a).toBeCloseTo(15, 12);
    expect(b).toBeCloseTo(45, 12);
    expect(attributeMigrationPower(linear, 10, 2, [0, 0])).toEqual([0, 0]);
  });

  it('uses the table where the load falls (ML110 G4)', () => {
    // 10 cores, VMs 1 core (10 %), one migration of 0.5 core → 15 %: 91.0 − 89.4 = 1.6 W.
    const [watts] = attributeMigrationPower({ kind: 'table', wattsAtLoad: HP_PROLIANT_ML110_G4_XEON3040_W }, 10, 1, [0.5]);
    expect(watts).toBeCloseTo(1.6, 12);
  });

  it('adds up with the VMs power to the host power (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.double({ min: 0, max: 64, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 8, noNaN: true }), { maxLength: 5 }),
        (cores, vmCores, migrations) => {
          const model: HostPowerModel = { kind: 'table', wattsAtLoad: HP_PROLIANT_ML110_G4_XEON3040_W };
          const parts = attributeMigrationPower(model, cores, vmCores, migrations);
          const total = migrations.reduce((sum, demand) => sum + demand, 0);
          const expected = hostPowerW(model, (vmCores + total) / cores) - hostPowerW(model, vmCores / cores);
          return Math.abs(parts.reduce((sum, w) => sum + w, 0) - expected) < 1e-9;
        },
      ),
    );
  });
});

describe('host energy over a horizon', () => {
  it('rises by exactly 100 W × horizon when idle and max rise by 100 W', () => {
    // Same utilization profile (0 on [0, 50), 0.4 on [50, 80), 1 on [80, 100]) on two linear models, 100..250 W
    // and 200..350 W: the second uses 100 W × 100 s = 10000 J more.
    const profile: Array<[number, number]> = [
      [0, 0],
      [50, 0.4],
      [80, 1],
    ];
    const energy = (model: HostPowerModel): number => {
      const meter = new EnergyMeter(0, hostPowerW(model, 0));
      for (const [time, u] of profile) meter.setPower(time, hostPowerW(model, u));
      return meter.energyJ(100);
    };
    const low = energy({ kind: 'linear', idleW: 100, maxW: 250 });
    const high = energy({ kind: 'linear', idleW: 200, maxW: 350 });
    // low = 100·50 + (100 + 150·0.4)·30 + 250·20 = 5000 + 4800 + 5000 = 14800 J.
    expect(low).toBe(14800);
    expect(high - low).toBe(10000);
  });
});
