// The results JSON exactly as `mignet run --json` prints it and `--out DIR` writes it to results.json: the
// same text byte for byte, so either can be diffed against the other. Compact (one line) unless `pretty`
// (2-space indents, `--pretty`): the machine's form is the default, a quarter of the size of the indented one.
// It is produced in pieces (one per migration, link, host...), never as one string: a run with a million
// links would otherwise build a string past V8's limit (issue 17: `RangeError: Invalid string length`).
import type { Results } from '../engine/results.js';

/** Levels of the document written piece by piece; below them each value is one JSON.stringify. */
const STREAMED_DEPTH = 2;

/**
 * `value` as JSON.stringify(value, null, indent) would write it, in pieces: objects and arrays down to
 * `depth` levels are opened here, their items stringified one by one, and `prefix` is the indentation of
 * the line `value` starts on (JSON.stringify's own newlines are re-indented by it; strings hold no raw newline).
 */
export function* jsonChunks(value: unknown, indent: string, depth: number, prefix = ''): Generator<string> {
  if (depth === 0 || typeof value !== 'object' || value === null || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const text = JSON.stringify(value, null, indent) ?? 'null';
    yield indent === '' ? text : text.replaceAll('\n', `\n${prefix}`);
    return;
  }
  const inner = prefix + indent;
  const newline = indent === '' ? '' : '\n';
  if (Array.isArray(value)) {
    if (value.length === 0) return yield '[]';
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '[' : ','}${newline}${inner}`;
      const item: unknown = value[i];
      // As JSON.stringify: an absent item, or one JSON cannot hold, is null.
      yield* jsonChunks(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item, indent, depth - 1, inner);
    }
    return yield `${newline}${prefix}]`;
  }
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    yield `${first ? '{' : ','}${newline}${inner}${JSON.stringify(key)}:${indent === '' ? '' : ' '}`;
    first = false;
    yield* jsonChunks(item, indent, depth - 1, inner);
  }
  yield first ? '{}' : `${newline}${prefix}}`;
}

/** A JSON document in pieces (compact, or indented by 2 when `pretty`), ending with a newline. */
export function* jsonDocumentChunks(value: unknown, pretty = false): Generator<string> {
  yield* jsonChunks(value, pretty ? '  ' : '', STREAMED_DEPTH);
  yield '\n';
}

/** The results JSON in pieces, ending with a newline. */
export function resultsJsonChunks(results: Results, pretty = false): Generator<string> {
  return jsonDocumentChunks(results, pretty);
}

/** The results JSON as one string: for results known to be small (tests, a sweep's runs). */
export function formatResultsJson(results: Results, pretty = false): string {
  return [...resultsJsonChunks(results, pretty)].join('');
}
