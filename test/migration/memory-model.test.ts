import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorkloadSpec, WritePattern } from '../../src/config/scenario.js';
import {
  PAGE_BYTES,
  dirtiableBytes,
  dirtiedBytesWhileSending,
  effectiveDirtyRate,
  timeToDirtyBytes,
  uniqueDirtiedBytes,
  uniqueDirtyRate,
} from '../../src/migration/memory-model.js';

const MIB = 2 ** 20;
const GIB = 2 ** 30;

function workload(
  dirtyRateBytesPerS: number,
  hotSetBytes: number,
  hotFraction: number,
  pattern: WritePattern = 'random',
): WorkloadSpec {
  return { dirtyRateBytesPerS, hotSetBytes, hotFraction, pattern };
}

describe('uniqueDirtiedBytes, random writes', () => {
  it('is zero at t = 0', () => {
    expect(uniqueDirtiedBytes(workload(100 * MIB, 64 * MIB, 0.9), GIB, 0)).toBe(0);
  });

  it('matches the closed form at a hand-computed point', () => {
    // M = 1 GiB, H = 64 MiB, f = 0.75, D = 128 MiB/s, t = 1 s: hot writes 96 MiB, cold writes 32 MiB into
    // C = 960 MiB. Unique = 64·(1 − e^(−1.5)) + 960·(1 − e^(−1/30)) MiB
    //                    = 64·0.776870 + 960·0.032784 = 49.7197 + 31.4725 = 81.1922 MiB.
    const expected = (64 * (1 - Math.exp(-1.5)) + 960 * (1 - Math.exp(-1 / 30))) * MIB;
    expect(expected / MIB).toBeCloseTo(81.1922, 3);
    expect(uniqueDirtiedBytes(workload(128 * MIB, 64 * MIB, 0.75), GIB, 1)).toBeCloseTo(expected, 3);
  });

  it('approaches H + C = M as t → ∞ when 0 < f < 1', () => {
    // Both sets receive writes, so both fill: H + C = M = 1 GiB.
    const w = workload(1 * GIB, 100 * MIB, 0.5);
    expect(uniqueDirtiedBytes(w, GIB, 1e6)).toBeCloseTo(GIB, 0);
    expect(dirtiableBytes(w, GIB)).toBe(GIB);
  });

  it('saturates at H when every write hits the hot set', () => {
    // f = 1: the cold set gets no writes; unique = H·(1 − e^(−D·t/H)) → H = 64 MiB.
    const w = workload(1 * GIB, 64 * MIB, 1);
    expect(uniqueDirtiedBytes(w, GIB, 1e4)).toBeCloseTo(64 * MIB, 0);
    expect(uniqueDirtiedBytes(w, GIB, 1e4)).toBeLessThanOrEqual(64 * MIB);
    expect(dirtiableBytes(w, GIB)).toBe(64 * MIB);
  });

  it('keeps its digits at tiny intervals (expm1): unique ≈ written when D·t ≪ H', () => {
    // D·t = 1 B into sets of MiBs: unique = H·(1 − e^(−x)) with x ~ 1e-8, i.e. 1 B to ~1e-8 relative.
    const w = workload(1e9, 64 * MIB, 0.5);
    expect(uniqueDirtiedBytes(w, GIB, 1e-9)).toBeCloseTo(1, 7);
  });

  it('treats an empty hot set as contributing nothing', () => {
    // H = 0, f = 0.5: only the cold half of the writes counts: C·(1 − e^(−0.5·D·t/C)) with C = M.
    const w = workload(100 * MIB, 0, 0.5);
    const expected = GIB * -Math.expm1((-0.5 * 100 * MIB * 2) / GIB);
    expect(uniqueDirtiedBytes(w, GIB, 2)).toBeCloseTo(expected, 3);
  });
});

describe('uniqueDirtiedBytes, sequential sweep', () => {
  it('grows linearly then saturates set by set: min(H, f·D·t) + min(C, (1−f)·D·t)', () => {
    // M = 256 MiB, H = 64 MiB, f = 0.5, D = 32 MiB/s. At t = 2 s: min(64, 32) + min(192, 32) = 64 MiB.
    // At t = 5 s: min(64, 80) + min(192, 80) = 144 MiB. At t = 20 s: 64 + min(192, 320) = 256 MiB = M.
    const w = workload(32 * MIB, 64 * MIB, 0.5, 'sequential');
    expect(uniqueDirtiedBytes(w, 256 * MIB, 2)).toBe(64 * MIB);
    expect(uniqueDirtiedBytes(w, 256 * MIB, 5)).toBe(144 * MIB);
    expect(uniqueDirtiedBytes(w, 256 * MIB, 20)).toBe(256 * MIB);
  });

  it('dirties more unique bytes than random writes at the same rate (no page is hit twice)', () => {
    // Same workload, t = 5 s: random = 64·(1 − e^(−80/64)) + 192·(1 − e^(−80/192)) = 45.66 + 65.43 = 111.09 MiB
    // against 144 MiB for the sweep.
    const random = uniqueDirtiedBytes(workload(32 * MIB, 64 * MIB, 0.5), 256 * MIB, 5);
    const sweep = uniqueDirtiedBytes(workload(32 * MIB, 64 * MIB, 0.5, 'sequential'), 256 * MIB, 5);
    expect(random / MIB).toBeCloseTo(64 * -Math.expm1(-80 / 64) + 192 * -Math.expm1(-80 / 192), 6);
    expect(random / MIB).toBeCloseTo(111.09, 2);
    expect(sweep).toBeGreaterThan(random);
  });

  it('matches the QEMU run of DESIGN.md: a 64 MiB set swept at 16 MiB/s is dirty after 4 s', () => {
    // 256 MiB guest, 64 MiB set (all writes there, f = 1) at 16 MiB/s: min(64, 16·t) reaches 64 MiB at t = 4 s.
    const w = workload(16 * MIB, 64 * MIB, 1, 'sequential');
    expect(uniqueDirtiedBytes(w, 256 * MIB, 1)).toBe(16 * MIB);
    expect(uniqueDirtiedBytes(w, 256 * MIB, 4)).toBe(64 * MIB);
    expect(uniqueDirtiedBytes(w, 256 * MIB, 100)).toBe(64 * MIB);
    expect(timeToDirtyBytes(w, 256 * MIB, 64 * MIB)).toBeCloseTo(4, 9);
  });
});

describe('throttle', () => {
  it('scales the write rate: a throttle θ over t equals no throttle over (1 − θ)·t', () => {
    // D' = D·(1 − θ): with θ = 0.2 (QEMU's initial auto-converge step), 10 s dirty what 8 s did.
    for (const pattern of ['random', 'sequential'] as const) {
      const w = workload(200 * MIB, 128 * MIB, 0.8, pattern);
      expect(uniqueDirtiedBytes(w, 4 * GIB, 10, 0.2)).toBeCloseTo(uniqueDirtiedBytes(w, 4 * GIB, 8), 3);
    }
    expect(effectiveDirtyRate(workload(200 * MIB, 0, 0), 0.2)).toBeCloseTo(160 * MIB, 6);
  });

  it('stops all dirtying at θ = 1', () => {
    expect(uniqueDirtiedBytes(workload(GIB, 64 * MIB, 0.5), GIB, 100, 1)).toBe(0);
  });

  it('rejects a throttle outside 0..1', () => {
    expect(() => uniqueDirtiedBytes(workload(GIB, 0, 0), GIB, 1, 1.5)).toThrow(/uniqueDirtiedBytes: throttle/);
  });
});

describe('helpers', () => {
  it('dirtiedBytesWhileSending is the dirtying over send bytes / rate', () => {
    // Sending 1 GiB at 125 MB/s takes 8.589934592 s.
    const w = workload(50 * MIB, 256 * MIB, 0.9);
    expect(dirtiedBytesWhileSending(w, 8 * GIB, GIB, 125e6)).toBe(uniqueDirtiedBytes(w, 8 * GIB, GIB / 125e6));
  });

  it('uniqueDirtyRate is the time derivative of uniqueDirtiedBytes', () => {
    // At t = 0 it is the whole write rate D (every write hits a clean page).
    for (const pattern of ['random', 'sequential'] as const) {
      const w = workload(100 * MIB, 64 * MIB, 0.7, pattern);
      expect(uniqueDirtyRate(w, GIB, 0)).toBeCloseTo(100 * MIB, 3);
      const t = 0.37; // before the sweep saturates the hot set (0.7·100·0.37 = 25.9 MiB < 64 MiB)
      const h = 1e-4;
      const numeric = (uniqueDirtiedBytes(w, GIB, t + h) - uniqueDirtiedBytes(w, GIB, t - h)) / (2 * h);
      expect(uniqueDirtyRate(w, GIB, t) / numeric).toBeCloseTo(1, 6);
    }
  });

  it('timeToDirtyBytes inverts uniqueDirtiedBytes and is Infinity beyond what can be dirtied', () => {
    const w = workload(100 * MIB, 64 * MIB, 1);
    const t = timeToDirtyBytes(w, GIB, 32 * MIB);
    // Random hot set only: 64·(1 − e^(−100·t/64)) = 32 → t = 0.64·ln 2 = 0.443614 s.
    expect(t).toBeCloseTo(0.64 * Math.LN2, 9);
    expect(timeToDirtyBytes(w, GIB, 64 * MIB)).toBe(Infinity); // the asymptote is never reached
    expect(timeToDirtyBytes(w, GIB, 65 * MIB)).toBe(Infinity);
    expect(timeToDirtyBytes(w, GIB, 0)).toBe(0);
  });
});

describe('properties', () => {
  const arbitraryCase = fc
    .record({
      memoryPages: fc.integer({ min: 1, max: 2 ** 26 }), // up to 256 GiB
      hotShare: fc.double({ min: 0, max: 1, noNaN: true }),
      hotFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      rate: fc.double({ min: 0, max: 1e11, noNaN: true }),
      pattern: fc.constantFrom<WritePattern>('random', 'sequential'),
      t1: fc.double({ min: 0, max: 1e4, noNaN: true }),
      t2: fc.double({ min: 0, max: 1e4, noNaN: true }),
      throttle: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map((c) => {
      const memoryBytes = c.memoryPages * PAGE_BYTES;
      return { ...c, memoryBytes, w: workload(c.rate, Math.floor(c.hotShare * c.memoryPages) * PAGE_BYTES, c.hotFraction, c.pattern) };
    });

  it('stays within 0..M and never decreases in t', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ w, memoryBytes, t1, t2, throttle }) => {
        const [early, late] = t1 <= t2 ? [t1, t2] : [t2, t1];
        const a = uniqueDirtiedBytes(w, memoryBytes, early, throttle);
        const b = uniqueDirtiedBytes(w, memoryBytes, late, throttle);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(memoryBytes);
        expect(b).toBeGreaterThanOrEqual(a);
        // never more unique bytes than bytes written
        expect(a).toBeLessThanOrEqual(effectiveDirtyRate(w, throttle) * early * (1 + 1e-12) + 1e-9);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Page-level Monte-Carlo reference: 4096 pages, each write picks the hot set with probability f, then a
// page uniformly in that set (random) or the set's next page in address order (sequential). The closed
// forms give the expected count; averaging R runs leaves a noise of a few pages.

/** mulberry32: a tiny seeded generator, enough for a reference simulation. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function simulatePages(
  pages: number,
  hotPages: number,
  hotFraction: number,
  writes: number,
  pattern: WritePattern,
  random: () => number,
): number {
  const dirty = new Uint8Array(pages);
  const coldPages = pages - hotPages;
  let hotCursor = Math.floor(random() * hotPages); // a sweep may start anywhere in its set
  let coldCursor = Math.floor(random() * coldPages);
  let unique = 0;
  for (let i = 0; i < writes; i++) {
    const hot = random() < hotFraction;
    let page: number;
    if (hot) {
      if (hotPages === 0) continue;
      page = pattern === 'random' ? Math.floor(random() * hotPages) : hotCursor++ % hotPages;
    } else {
      if (coldPages === 0) continue;
      page = hotPages + (pattern === 'random' ? Math.floor(random() * coldPages) : coldCursor++ % coldPages);
    }
    if (dirty[page] === 0) {
      dirty[page] = 1;
      unique++;
    }
  }
  return unique;
}

describe('closed forms against a page-level Monte-Carlo simulation (4096 pages)', () => {
  const PAGES = 4096;
  const RUNS = 8;
  const cases: Array<{ f: number; hotPages: number; writes: number }> = [
    { f: 0.9, hotPages: 512, writes: 600 }, // hot set about 2/3 dirty, cold barely touched
    { f: 0.9, hotPages: 512, writes: 4000 }, // hot set saturated, cold ~10 %
    { f: 0.5, hotPages: 1024, writes: 3000 },
    { f: 0.2, hotPages: 256, writes: 8000 }, // most writes cold, cold set ~40 % dirty
    { f: 1, hotPages: 2048, writes: 2048 }, // hot only: 1 − 1/e of the set
    { f: 0, hotPages: 0, writes: 5000 }, // uniform over all memory
  ];
  const random = mulberry32(20240613);

  for (const pattern of ['random', 'sequential'] as const) {
    for (const { f, hotPages, writes } of cases) {
      it(`${pattern}: f = ${f}, H = ${hotPages} pages, ${writes} page writes`, () => {
        // One page write per PAGE_BYTES written: D·t = writes·PAGE_BYTES with D = PAGE_BYTES B/s and t = writes s.
        const w = workload(PAGE_BYTES, hotPages * PAGE_BYTES, f, pattern);
        const expectedPages = uniqueDirtiedBytes(w, PAGES * PAGE_BYTES, writes) / PAGE_BYTES;
        let sum = 0;
        for (let r = 0; r < RUNS; r++) sum += simulatePages(PAGES, hotPages, f, writes, pattern, random);
        const simulated = sum / RUNS;
        // within 3 % (the closed forms use e^(−w/S) for (1 − 1/S)^w and expected splits of the writes)
        expect(Math.abs(simulated - expectedPages)).toBeLessThanOrEqual(0.03 * expectedPages);
      });
    }
  }
});
