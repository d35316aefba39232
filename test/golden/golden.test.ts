// Golden scenarios, in the manner of SimGrid's .tesh files: every test/golden/<name>.yaml is run and its
// results compared with test/golden/<name>.expected.json, the output of `mignet run <name>.yaml --json`
// (test/cli checks that the CLI prints exactly what runScenario returns) pretty-printed, with each array of
// plain numbers (a utilization series) on one line so the files stay short enough to review.
// Numbers are compared with a relative tolerance of 1e-9: a last-bit float change passes, any model change
// fails, with the path of every field that differs. The engine's work counters (run.events, run.resolves)
// are kept in the files but not compared: they measure the solver's effort, not the model's answer.
//
// To (re)write the expected files after an intended model change, then review the diff:
//   UPDATE_GOLDEN=1 npx vitest run test/golden
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/config/index.js';
import { runScenario } from '../../src/engine/run-scenario.js';
import { compareGolden } from './compare.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
/** Fields of the results JSON left out of the comparison (paths as compareGolden prints them). */
const IGNORED = ['run.events', 'run.resolves'];

/** JSON.stringify(value, null, 2), but arrays holding only numbers on one line. */
function formatGolden(value: unknown): string {
  const pretty = JSON.stringify(value, null, 2);
  return `${pretty.replace(/\[\s*(-?[\d.eE+-]+(?:,\s*-?[\d.eE+-]+)*)\s*\]/g, (_, items: string) => `[${items.split(/,\s*/).join(', ')}]`)}\n`;
}

const scenarios = readdirSync(HERE)
  .filter((file) => file.endsWith('.yaml'))
  .sort();

describe('golden scenarios', () => {
  it('has scenarios to check, and an expected file only beside its scenario', () => {
    expect(scenarios.length).toBeGreaterThan(0);
    const orphans = readdirSync(HERE)
      .filter((file) => file.endsWith('.expected.json'))
      .filter((file) => !scenarios.includes(file.replace(/\.expected\.json$/, '.yaml')));
    expect(orphans, 'expected files without a scenario').toEqual([]);
  });

  for (const file of scenarios) {
    const name = basename(file, '.yaml');
    const expectedFile = join(HERE, `${name}.expected.json`);
    it(name, () => {
      const text = formatGolden(runScenario(loadScenarioFile(join(HERE, file))));
      if (UPDATE) {
        writeFileSync(expectedFile, text);
        return;
      }
      expect(existsSync(expectedFile), `${expectedFile} is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden`).toBe(true);
      const differences = compareGolden(JSON.parse(readFileSync(expectedFile, 'utf8')), JSON.parse(text), { ignore: IGNORED });
      const report = [`${name}: results differ from ${name}.expected.json (UPDATE_GOLDEN=1 rewrites it):`, ...differences].join('\n  ');
      expect(differences, report).toEqual([]);
    });
  }
});

describe('compareGolden', () => {
  it('accepts last-bit differences and names every field that really differs', () => {
    const expected = { a: 9.048868905819177, b: [1, { c: 'x' }], d: 0, e: { events: 3 } };
    expect(compareGolden(expected, { ...expected, a: 9.048868905819178 })).toEqual([]);
    const differences = compareGolden(expected, { a: 9.05, b: [1, { c: 'y' }, 2], d: 1e-3, f: true, e: { events: 4 } }, { ignore: ['e.events'] });
    expect(differences).toEqual([
      'a: expected 9.048868905819177, got 9.05 (relative difference 1.2e-4)',
      'b: expected 2 items, got 3',
      'b[1].c: expected "x", got "y"',
      'd: expected 0, got 0.001 (relative difference 1.0e+0)',
      'f: unexpected field (got true)',
    ]);
    expect(compareGolden({ g: 1 }, {})).toEqual(['g: missing (expected 1)']);
    expect(compareGolden({ h: null }, { h: 0 })).toEqual(['h: expected null, got 0']);
  });
});
