import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liuMigrationEnergyJ, strunkMigrationEnergyJ } from '../../src/power/migration-energy.js';

const GIB = 2 ** 30;

describe('Liu et al. 2011: E = α·V + β', () => {
  it('is linear in the data transferred', () => {
    // α = 2e-9 J/B, β = 20 J, V = 4 GiB = 4294967296 B: 2e-9 × 4294967296 + 20 = 8.589934592 + 20 = 28.589934592 J.
    expect(liuMigrationEnergyJ(4 * GIB, { alphaJPerByte: 2e-9, betaJ: 20 })).toBeCloseTo(28.589934592, 9);
    expect(liuMigrationEnergyJ(0, { alphaJPerByte: 2e-9, betaJ: 20 })).toBe(20);
  });

  it('grows with the bytes moved (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e12, noNaN: true }),
        fc.double({ min: 0, max: 1e12, noNaN: true }),
        fc.double({ min: 0, max: 1e-6, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (v1, v2, alphaJPerByte, betaJ) => {
          const [low, high] = v1 <= v2 ? [v1, v2] : [v2, v1];
          return liuMigrationEnergyJ(low, { alphaJPerByte, betaJ }) <= liuMigrationEnergyJ(high, { alphaJPerByte, betaJ });
        },
      ),
    );
  });

  it('refuses bad inputs and a negative estimate', () => {
    expect(() => liuMigrationEnergyJ(-1, { alphaJPerByte: 1, betaJ: 0 })).toThrow(/volume/);
    expect(() => liuMigrationEnergyJ(1, { alphaJPerByte: NaN, betaJ: 0 })).toThrow(/not finite/);
    expect(() => liuMigrationEnergyJ(1e9, { alphaJPerByte: 1e-9, betaJ: -5 })).toThrow(/negative/);
  });
});

describe('Strunk 2013: E = c0 + c_mem·M + c_bw·B', () => {
  it('is linear in memory size and bandwidth', () => {
    // c0 = 10 J, c_mem = 1e-8 J/B, c_bw = −1e-8 J per B/s; M = 2 GiB = 2147483648 B, B = 1 Gbit/s = 1.25e8 B/s:
    // 10 + 21.47483648 − 1.25 = 30.22483648 J.
    const coefficients = { constantJ: 10, perMemoryByteJ: 1e-8, perBandwidthJ: -1e-8 };
    expect(strunkMigrationEnergyJ(2 * GIB, 1.25e8, coefficients)).toBeCloseTo(30.22483648, 9);
  });

  it('refuses a non-positive bandwidth and a negative estimate', () => {
    const coefficients = { constantJ: 0, perMemoryByteJ: 0, perBandwidthJ: -1 };
    expect(() => strunkMigrationEnergyJ(GIB, 0, coefficients)).toThrow(/bandwidth/);
    expect(() => strunkMigrationEnergyJ(GIB, 1e9, coefficients)).toThrow(/outside the range/);
  });
});
