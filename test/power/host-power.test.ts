import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HP_PROLIANT_ML110_G4_XEON3040_W,
  HP_PROLIANT_ML110_G5_XEON3075_W,
  clampUtilization,
  hostPowerW,
  linearPower,
  powerRange,
  tablePower,
  type HostPowerModel,
} from '../../src/power/host-power.js';

const G4 = HP_PROLIANT_ML110_G4_XEON3040_W;
const G5 = HP_PROLIANT_ML110_G5_XEON3075_W;

/** CloudSim PowerModelSpecPower.getPower, transcribed: the independent reference for the tables. */
function cloudSimSpecPower(table: readonly number[], utilization: number): number {
  if (utilization % 0.1 === 0) return table[Math.trunc(utilization * 10)] ?? NaN;
  const utilization1 = Math.floor(utilization * 10);
  const utilization2 = Math.ceil(utilization * 10);
  const power1 = table[utilization1] ?? NaN;
  const power2 = table[utilization2] ?? NaN;
  const delta = (power2 - power1) / 10;
  return power1 + delta * (utilization - utilization1 / 10) * 100;
}

describe('linear power', () => {
  it('is P_idle at 0, halfway at 0.5, P_max at 1', () => {
    // P = 100 + (250 − 100)·u: 100 W, 100 + 75 = 175 W, 250 W.
    expect(linearPower(100, 250, 0)).toBe(100);
    expect(linearPower(100, 250, 0.5)).toBe(175);
    expect(linearPower(100, 250, 1)).toBe(250);
  });

  it('clamps utilization to 0..1 and refuses NaN', () => {
    expect(linearPower(100, 250, -0.25)).toBe(100);
    expect(linearPower(100, 250, 1.7)).toBe(250);
    expect(clampUtilization(2)).toBe(1);
    expect(() => linearPower(100, 250, NaN)).toThrow(/NaN/);
  });

  it('refuses max below idle and negative watts', () => {
    expect(() => linearPower(250, 100, 0.5)).toThrow(/below idle/);
    expect(() => linearPower(-1, 100, 0.5)).toThrow(/not a finite non-negative power/);
  });

  it('is monotone in utilization (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: -1, max: 2, noNaN: true }),
        fc.double({ min: -1, max: 2, noNaN: true }),
        (a, b, u1, u2) => {
          const [idle, max] = a <= b ? [a, b] : [b, a];
          const [low, high] = u1 <= u2 ? [u1, u2] : [u2, u1];
          return linearPower(idle, max, low) <= linearPower(idle, max, high);
        },
      ),
    );
  });

  it('adds exactly 100 W at every load when idle and max both rise by 100 W (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), (a, extra, u) => {
        const idle = a;
        const max = a + extra;
        return Math.abs(linearPower(idle + 100, max + 100, u) - linearPower(idle, max, u) - 100) < 1e-9;
      }),
    );
  });
});

describe('SPECpower tables (CloudSim)', () => {
  it('holds the ML110 G4 and G5 tables from CloudSim', () => {
    expect([...G4]).toEqual([86, 89.4, 92.6, 96, 99.5, 102, 106, 108, 112, 114, 117]);
    expect([...G5]).toEqual([93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135]);
  });

  it('interpolates linearly between 10 % steps', () => {
    // G4 at 15 %: halfway between 89.4 W (10 %) and 92.6 W (20 %) = 89.4 + 0.5 × 3.2 = 91.0 W.
    expect(tablePower(G4, 0.15)).toBeCloseTo(91.0, 12);
    // G5 at 15 %: (97 + 101) / 2 = 99 W; at 95 %: (133 + 135) / 2 = 134 W; at 33 %: 105 + 0.3 × 5 = 106.5 W.
    expect(tablePower(G5, 0.15)).toBeCloseTo(99, 12);
    expect(tablePower(G5, 0.95)).toBeCloseTo(134, 12);
    expect(tablePower(G5, 0.33)).toBeCloseTo(106.5, 12);
  });

  it('gives the table entries at the steps and clamps outside 0..1', () => {
    expect(tablePower(G4, 0)).toBe(86);
    expect(tablePower(G4, 0.1)).toBeCloseTo(89.4, 12);
    expect(tablePower(G4, 1)).toBe(117);
    expect(tablePower(G4, 1.5)).toBe(117);
    expect(tablePower(G4, -0.5)).toBe(86);
  });

  it('agrees with CloudSim PowerModelSpecPower.getPower (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(G4, G5), (u, table) => {
        return Math.abs(tablePower(table, u) - cloudSimSpecPower(table, u)) < 1e-9;
      }),
    );
  });

  it('is monotone in utilization for both tables (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(G4, G5), (u1, u2, table) => {
        const [low, high] = u1 <= u2 ? [u1, u2] : [u2, u1];
        return tablePower(table, low) <= tablePower(table, high) + 1e-12;
      }),
    );
  });

  it('with two entries is the linear model (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (u) => Math.abs(tablePower([100, 250], u) - linearPower(100, 250, u)) < 1e-9),
    );
  });

  it('refuses a table of fewer than two entries or with a negative entry', () => {
    expect(() => tablePower([100], 0.5)).toThrow(/needs watts at 0 and 100 %/);
    expect(() => tablePower([100, -1], 0.5)).toThrow(/entry 1/);
  });
});

describe('host power model', () => {
  it('dispatches on the kind', () => {
    const linear: HostPowerModel = { kind: 'linear', idleW: 100, maxW: 250 };
    const table: HostPowerModel = { kind: 'table', wattsAtLoad: G4 };
    expect(hostPowerW(linear, 0.5)).toBe(175);
    expect(hostPowerW(table, 0.15)).toBeCloseTo(91, 12);
    expect(powerRange(table)).toEqual({ idleW: 86, maxW: 117 });
    expect(powerRange(linear)).toEqual({ idleW: 100, maxW: 250 });
  });
});
