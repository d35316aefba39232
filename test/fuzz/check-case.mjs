// Runs one fuzz case (arbitraries.mjs) the way `mignet run` would, in-process, and says how it ended. What
// is allowed (issue 9, CONTRACT.md "Bad input"): the scenario validates and runs to the end, within the fuzz
// budget's limits ('ran'), or a run limit stops it with its RunLimitError ('limit'), or it is refused with a
// ConfigError whose every issue has a non-empty path and a non-empty one-line message ('config-error').
// Anything else is a 'crash': another exception, an issue without a path or message or one spanning lines,
// results holding NaN or an infinity. A case taking longer than the budget's hangS is a 'hang' (the script
// also kills a case that never returns: scripts/fuzz-config.mjs). Plain JavaScript, for the same reason as
// arbitraries.mjs; `api` is src/ (vitest) or dist/ (the script).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

let scratch;

/** Characters that would break the one-line-per-problem output or reorder it on a terminal. */
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function documentOf(testCase, api) {
  if (testCase.kind === 'document') return testCase.document;
  if (testCase.kind === 'text') return api.parseScenarioText(testCase.text, testCase.file);
  scratch ??= mkdtempSync(join(tmpdir(), 'mignet-fuzz-'));
  const file = join(scratch, basename(testCase.file));
  writeFileSync(file, testCase.bytes);
  return api.readScenarioDocument(file);
}

/** The path of the first number in `value` that is NaN or infinite, if any (iterative: results can be large). */
function nonFinite(value) {
  const stack = [[value, 'results']];
  while (stack.length > 0) {
    const [item, path] = stack.pop();
    if (typeof item === 'number' && !Number.isFinite(item)) return `${path} = ${item}`;
    if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) stack.push([child, Array.isArray(item) ? `${path}[${key}]` : `${path}.${key}`]);
    }
  }
  return undefined;
}

function describeError(error) {
  if (error instanceof Error) return `${error.name}: ${error.message.slice(0, 500)}\n${(error.stack ?? '').split('\n').slice(1, 8).join('\n')}`;
  return `a thrown ${typeof error}: ${String(error).slice(0, 500)}`;
}

function classify(error, api) {
  if (error instanceof api.RunLimitError) return { outcome: 'limit', detail: error.message };
  if (!(error instanceof api.ConfigError)) return { outcome: 'crash', detail: describeError(error) };
  const issues = error.issues;
  if (!Array.isArray(issues) || issues.length === 0) return { outcome: 'crash', detail: 'a ConfigError without issues' };
  for (const problem of issues) {
    const { path, message } = problem ?? {};
    if (typeof path !== 'string' || path === '' || typeof message !== 'string' || message.trim() === '') {
      return { outcome: 'crash', detail: `an issue without a path or a message: ${JSON.stringify(problem)}` };
    }
    if (UNPRINTABLE.test(path) || UNPRINTABLE.test(message)) {
      return { outcome: 'crash', detail: `an issue that is not one printable line: ${JSON.stringify(problem).slice(0, 500)}` };
    }
  }
  return { outcome: 'config-error', detail: `${issues[0].path}: ${issues[0].message}`.slice(0, 300) };
}

/**
 * Runs `testCase` through `api` ({ parseScenarioText, readScenarioDocument, parseScenarioDocument, runScenario,
 * ConfigError, RunLimitError }) under `budget` ({ maxEvents, maxWallTimeS, hangS, clock: () => seconds }): a
 * scenario that validates runs with its own limits lowered to the budget's. Returns { outcome, detail, seconds }.
 */
export function checkCase(testCase, api, budget) {
  const started = budget.clock();
  let result;
  try {
    const scenario = api.parseScenarioDocument(documentOf(testCase, api), testCase.file);
    scenario.limits = {
      ...scenario.limits,
      maxEvents: Math.min(scenario.limits.maxEvents, budget.maxEvents),
      maxWallTimeS: Math.min(scenario.limits.maxWallTimeS, budget.maxWallTimeS),
    };
    const results = api.runScenario(scenario, { clock: budget.clock });
    JSON.stringify(results);
    const bad = nonFinite(results);
    result = bad === undefined ? { outcome: 'ran', detail: '' } : { outcome: 'crash', detail: `results hold ${bad}` };
  } catch (error) {
    result = classify(error, api);
  }
  const seconds = budget.clock() - started;
  if (seconds > budget.hangS && result.outcome !== 'crash') return { outcome: 'hang', detail: `took ${seconds.toFixed(1)} s (${result.outcome})`, seconds };
  return { ...result, seconds };
}

/** A case as text for a report: the document or text it holds, cut to `max` characters. */
export function showCase(testCase, max = 2_000) {
  const body =
    testCase.kind === 'bytes'
      ? `bytes [${Array.from(testCase.bytes.slice(0, 64)).join(', ')}${testCase.bytes.length > 64 ? ', ...' : ''}] (${testCase.bytes.length})`
      : testCase.kind === 'text'
        ? JSON.stringify(testCase.text)
        : safeJson(testCase.document);
  return `${testCase.origin} (${testCase.kind}, ${testCase.file}): ${body.length > max ? `${body.slice(0, max)}... (${body.length} characters)` : body}`;
}

function safeJson(value) {
  try {
    return JSON.stringify(value, (_key, item) => (typeof item === 'number' && !Number.isFinite(item) ? String(item) : item)) ?? String(value);
  } catch (error) {
    return `(not printable as JSON: ${error instanceof Error ? error.message : String(error)})`;
  }
}
