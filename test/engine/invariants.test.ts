import { describe, expect, it } from 'vitest';
import { parseScenarioDocument, readDefaultScenarioDocument } from '../../src/config/index.js';
import { checkInvariants } from '../../src/engine/invariants.js';
import type { Results } from '../../src/engine/results.js';
import { runScenario } from '../../src/engine/run-scenario.js';

const baseline = (): Results => runScenario(parseScenarioDocument(readDefaultScenarioDocument(), '(default)'));

describe('end-of-run invariants', () => {
  it('hold for the default scenario', () => {
    expect(() => checkInvariants(baseline())).not.toThrow();
  });

  // Each case breaks one invariant of an otherwise valid result: the check must name it.
  const cases: Array<[string, (r: Results) => void, RegExp]> = [
    ['a migration that never ended', (r) => ((r.migrations[0] as { status: string }).status = 'running'), /ended as running/],
    ['an end before the start', (r) => (r.migrations[0]!.end = r.migrations[0]!.start - 1), /before it starts/],
    ['downtime longer than the migration', (r) => (r.migrations[0]!.downtime = r.migrations[0]!.totalTime + 1), /downtime/],
    ['a phase outside its migration', (r) => (r.migrations[0]!.phases[0]!.end = r.migrations[0]!.end + 1), /phase/],
    ['a link above capacity', (r) => (r.links[0]!.peakUtilization = 1.01), /peak utilization/],
    ['summary counts that do not add up', (r) => (r.summary.completed += 1), /summary counts/],
    ['summary bytes that are not the sum', (r) => (r.summary.bytes.wire *= 1.001), /summary.bytes.wire/],
    [
      'energy that is not the integral of power',
      (r) => {
        r.summary.energy.horizon = 10;
        r.hosts[0]!.power = { interval: 10, mean: [100], peak: [100] };
        r.hosts[0]!.energy = 999; // ∫ = 100 W × 10 s = 1000 J
      },
      /∫ power 1000 J/,
    ],
    [
      'a utilization bin whose mean exceeds its peak',
      (r) => {
        const series = r.links.find((l) => l.utilization !== undefined)!.utilization!;
        series.mean[0] = series.peak[0]! + 0.1;
      },
      /bin 0 has mean/,
    ],
    ['a utilization series that stops before the run ends', (r) => r.summary.coreUtilization!.mean.splice(-2), /do not end at the run's end/],
    [
      'switch energies that do not add up',
      (r) => {
        r.switches = [{ id: 'e0-0', ports: 4, forwarded: 0, energy: 5 }];
        r.summary.energy.network = 6;
      },
      /Σ switches 5 J/,
    ],
  ];
  for (const [name, breakIt, message] of cases) {
    it(`catch ${name}`, () => {
      const results = baseline();
      breakIt(results);
      expect(() => checkInvariants(results)).toThrow(message);
    });
  }
});
