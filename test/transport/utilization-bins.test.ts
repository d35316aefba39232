// Utilization bins (src/transport/utilization-bins.ts): hand-worked series, then a property against a direct
// binning at the final width — the doubling merges must lose nothing but resolution.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BINS, UtilizationBins } from '../../src/transport/utilization-bins.js';

const FIRST_WIDTH_S = 2 ** -10;

describe('UtilizationBins', () => {
  it('keeps a short run at the first width, ~1 ms', () => {
    // 0.5 from 0 to 0.1 s: 0.1 < 128 × 2^-10 = 0.125 s, so the width stays 2^-10 s and there are
    // ceil(0.1 / 2^-10) = ceil(102.4) = 103 bins, the last cut at 0.1 s, each at mean and peak 0.5.
    const bins = new UtilizationBins(1);
    bins.add(0, 0, 0.1, 0.5);
    const series = bins.series(0, 0.1);
    expect(series.interval).toBe(FIRST_WIDTH_S);
    expect(series.mean).toEqual(new Array(103).fill(0.5));
    expect(series.peak).toEqual(new Array(103).fill(0.5));
  });

  it('doubles the width as the run grows and merges neighbours', () => {
    // 1 from 0 to 1 s, then 0.25 to 2 s: the width doubles from 2^-10 until 128 w ≥ 2 s, w = 2^-6 s;
    // 128 bins, the first 64 at 1 and the next 64 at 0.25.
    const bins = new UtilizationBins(2);
    bins.add(0, 0, 1, 1);
    bins.add(0, 1, 2, 0.25);
    const series = bins.series(0, 2);
    expect(series.interval).toBe(2 ** -6);
    expect(series.mean).toEqual([...new Array(64).fill(1), ...new Array(64).fill(0.25)]);
    expect(series.peak).toEqual(series.mean);
    // a channel never busy reads as zeros over the same bins
    expect(bins.series(1, 2)).toEqual({ interval: 2 ** -6, mean: new Array(128).fill(0), peak: new Array(128).fill(0) });
  });

  it('gives a bin the mean over its time and the highest level held in it', () => {
    // width 2^-10 s; in bin 0, 1.0 for a quarter of it and 0.2 for the rest: mean 0.25 + 0.15 = 0.4, peak 1
    const w = FIRST_WIDTH_S;
    const bins = new UtilizationBins(1);
    bins.add(0, 0, w / 4, 1);
    bins.add(0, w / 4, w, 0.2);
    const series = bins.series(0, w);
    expect(series.mean).toHaveLength(1);
    expect(series.mean[0]).toBeCloseTo(0.4, 15);
    expect(series.peak).toEqual([1]);
  });

  it('ignores empty and idle segments', () => {
    const bins = new UtilizationBins(1);
    // a zero-length burst at full load and a second at zero load: nothing to record; 0.5 s needs w = 2^-8 s
    bins.add(0, 0.25, 0.25, 1);
    bins.add(0, 0, 0.5, 0);
    const zeros = new Array(128).fill(0);
    expect(bins.series(0, 0.5)).toEqual({ interval: 2 ** -8, mean: zeros, peak: zeros });
  });

  it('equals a direct binning at the final width, and keeps the integral (fast-check)', () => {
    const segment = fc.record({ duration: fc.double({ min: 0, max: 3, noNaN: true }), utilization: fc.double({ min: 0, max: 1, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 40 }), fc.double({ min: 0, max: 2, noNaN: true }), (segments, tailS) => {
        const bins = new UtilizationBins(1);
        const timed: { from: number; to: number; u: number }[] = [];
        let t = 0;
        for (const { duration, utilization } of segments) {
          bins.add(0, t, t + duration, utilization);
          timed.push({ from: t, to: t + duration, u: utilization });
          t += duration;
        }
        const endS = t + tailS;
        const series = bins.series(0, endS);
        const w = series.interval;
        // the width is the smallest power of two from 2^-10 with 128 bins reaching the end
        expect(endS <= MAX_BINS * w).toBe(true);
        if (w > FIRST_WIDTH_S) expect(endS > (MAX_BINS / 2) * w).toBe(true);
        expect(series.mean).toHaveLength(Math.max(1, Math.ceil(endS / w)));
        let integral = 0;
        let expectedIntegral = 0;
        series.mean.forEach((mean, bin) => {
          const start = bin * w;
          const end = Math.min(endS, start + w);
          let area = 0;
          let peak = 0;
          for (const s of timed) {
            const overlap = Math.min(end, s.to) - Math.max(start, s.from);
            if (overlap > 0 && s.u > 0) {
              area += s.u * overlap;
              peak = Math.max(peak, s.u);
            }
          }
          expect(Math.abs(mean - (end > start ? area / (end - start) : 0))).toBeLessThanOrEqual(1e-9);
          expect(series.peak[bin]).toBe(peak);
          expect(mean).toBeLessThanOrEqual(peak + 1e-12);
          integral += mean * (end - start);
        });
        for (const s of timed) expectedIntegral += s.u * (s.to - s.from);
        expect(Math.abs(integral - expectedIntegral)).toBeLessThanOrEqual(1e-9 * Math.max(1, expectedIntegral));
      }),
      { numRuns: 300 },
    );
  });
});
