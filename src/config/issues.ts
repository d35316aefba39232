// Config problems as values (../shared/STYLE.md, Errors): `{ path, message }`, every one collected. This file
// turns paths into the text users see (`vms[0].memory`, `hosts.overrides["a/h1"]`, `(document)` for the root)
// and turns zod's issues into messages of the form `what is wrong (what is expected)` (CONTRACT.md).
import type { z } from 'zod';

export interface ConfigIssue {
  /** where in the document, as printed: `vms[0].memory`; `(document)` for the whole file */
  path: string;
  /** what is wrong (what is expected) */
  message: string;
}

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && PLAIN_KEY.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text === '' ? '(document)' : text;
}

/** Control, line-separator and bidirectional-override characters: written as they are, a value holding one
 * would split a problem over lines or reorder it on a terminal (a fuzzed VM id "\u202eh0" did). */
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Where `text` holds its first unprintable character, or -1: names may hold none (fields.ts name). */
export function unprintableAt(text: string): number {
  return text.search(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
}

/** `text` with every unprintable character escaped (`\n`, `\u202e`): one line, shown as written. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => (char === '\n' ? '\\n' : char === '\r' ? '\\r' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Longest path or message printed whole. Past it the middle is left out, keeping the start (what) and the
 * end (what is expected): a 1 MB VM id made a 2 MB line, echoed twice (issue 17). */
export const MAX_PRINTED_CHARS = 400;

/** `text` at most about MAX_PRINTED_CHARS long: the middle of a longer one replaced by a count. */
export function shortened(text: string): string {
  if (text.length <= MAX_PRINTED_CHARS) return text;
  const keep = MAX_PRINTED_CHARS / 2;
  return `${text.slice(0, keep)}… (${text.length - 2 * keep} characters left out) …${text.slice(-keep)}`;
}

export function issue(path: readonly PropertyKey[], message: string): ConfigIssue {
  return { path: shortened(printable(formatPath(path))), message: shortened(printable(message)) };
}

/** A value as a message names it: `"blue"`, `3`, `a list`, `a mapping`, `empty (null)`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'empty (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > MAX_ECHOED_CHARS ? `${value.slice(0, MAX_ECHOED_CHARS)}…` : value);
  return String(value);
}

/** Longest string value a message quotes whole. */
const MAX_ECHOED_CHARS = 60;

/** `is "4", a string` / `is a list` / `is empty (null)`: what a wrongly typed value is. */
export function describeKind(value: unknown): string {
  if (value === null || typeof value === 'object') return `is ${describeValue(value)}`;
  return `is ${describeValue(value)}, a ${typeof value}`;
}

const EXPECTED: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  int: 'a whole number',
};

/** Zod's issues in our words. Unknown keys and custom checks carry their message already. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const raw of issues) {
    const input: unknown = (raw as { input?: unknown }).input;
    switch (raw.code) {
      case 'invalid_type': {
        const expected = EXPECTED[raw.expected] ?? raw.expected;
        const what = input === undefined ? 'missing' : describeKind(input);
        out.push(issue(raw.path, `${what} (expected ${expected})`));
        break;
      }
      case 'unrecognized_keys':
        for (const key of raw.keys) out.push(issue([...raw.path, key], 'unknown key'));
        break;
      case 'invalid_value':
        out.push(issue(raw.path, `${describeValue(input)} is not allowed (expected one of: ${raw.values.map(String).join(', ')})`));
        break;
      default:
        out.push(issue(raw.path, raw.message));
    }
  }
  return out;
}
