// The config fuzz of issue 9 in the normal suite: a few hundred hostile and broken cases (arbitraries.mjs) from
// a fixed seed (MIGNET_FUZZ_SEED tries another), each read, validated and run in-process as `mignet run` does.
// Every case must run to the end, stop at a run limit, or be refused with config errors that each have a path
// and a one-line message (check-case.mjs); never another exception, never a hang. The dedicated script runs
// 10,000: `node scripts/fuzz-config.mjs --cases 10000`.
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as config from '../../src/config/index.js';
import { RunLimitError } from '../../src/engine/run-limit-error.js';
import { runScenario } from '../../src/engine/run-scenario.js';
import { builtInBases, fuzzCase, type Base } from './arbitraries.mjs';
import { checkCase, showCase, type FuzzApi, type FuzzBudget, type Outcome } from './check-case.mjs';

const ROOT = join(import.meta.dirname, '../..');
const api: FuzzApi = { ...config, runScenario, RunLimitError };
const budget: FuzzBudget = { maxEvents: 100_000, maxWallTimeS: 2, hangS: 10, clock: () => performance.now() / 1000 };
const SEED = Number(process.env.MIGNET_FUZZ_SEED ?? 9_2024);
const RUNS = 400;

function bases(): Base[] {
  const files = ['topologies/two-dc-wan.yaml', 'topologies/abilene.yaml'].map((path) => {
    const file = join(ROOT, path);
    return { name: path, file, document: config.readScenarioDocument(file) };
  });
  return [...builtInBases(), ...files];
}

describe('config fuzz', () => {
  test('the scenarios the cases start from are valid and run', () => {
    for (const base of bases()) {
      const result = checkCase({ kind: 'document', file: base.file ?? `${base.name}.yaml`, document: base.document, origin: base.name }, api, budget);
      expect(result, base.name).toMatchObject({ outcome: 'ran' });
    }
  });

  test(`${RUNS} cases (seed ${SEED}): each runs, stops at a limit, or is a config error`, () => {
    const counts: Record<Outcome, number> = { ran: 0, limit: 0, 'config-error': 0, crash: 0, hang: 0 };
    fc.assert(
      fc.property(fuzzCase(bases()), (testCase) => {
        const result = checkCase(testCase, api, budget);
        counts[result.outcome] += 1;
        if (result.outcome === 'crash' || result.outcome === 'hang') {
          throw new Error(`${result.outcome}: ${result.detail}\n${showCase(testCase)}`);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The mix is worth having: a good share of the cases get past validation and run.
    expect(counts.ran, JSON.stringify(counts)).toBeGreaterThan(RUNS / 10);
    expect(counts['config-error'], JSON.stringify(counts)).toBeGreaterThan(RUNS / 2);
  });
});
