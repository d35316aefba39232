// The results JSON exactly as `mignet run --json` prints it and `--out DIR` writes it to results.json: the
// same text byte for byte, so either can be diffed against the other.
import type { Results } from '../engine/results.js';

export function formatResultsJson(results: Results): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}
