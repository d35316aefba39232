// Building blocks of the scenario schema (schema.ts): strict mappings that name unknown keys, quantities with
// units, whole numbers and fractions in ranges, names, choices, and fields of capabilities not built yet.
// Each produces exactly one issue per bad value, worded `what is wrong (what is expected)` (CONTRACT.md).
// Defaults are not set here but in schema.ts, next to their sources.
import { z } from 'zod';
import { describeKind, describeValue, unprintableAt } from './issues.js';
import { describeDimension, parseQuantity, type Dimension } from './units.js';

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment), for "did you mean". */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** Longest word "did you mean" looks for a typo in. */
const MAX_GUESSED_CHARS = 40;

/** The closest of `candidates` to `word`, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  // Keys and values are short words: a longer one is no typo of any, and measuring it would cost
  // length² per candidate (1 M unknown keys took 199 s, most of it here; issue 17).
  if (word.length > MAX_GUESSED_CHARS) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    // The distance is at least the difference in length, and at most 2 is a typo: skip the rest unmeasured
    // (a fuzzed document of long unknown keys spent seconds in editDistance).
    if (Math.abs(candidate.length - word.length) > 2) continue;
    const distance = candidate.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= (word.length >= 5 ? 2 : 1) ? best : undefined;
}

function expectedOneOf(values: readonly string[], given: string): string {
  const guess = closest(given, values);
  return `${guess === undefined ? '' : `did you mean "${guess}"? `}expected one of: ${values.join(', ')}`;
}

/** Unknown keys of one mapping reported one by one; the same number as load.ts prints problems. */
const MAX_UNKNOWN_KEYS_LISTED = 50;

/**
 * A mapping with exactly these keys: each unknown key is its own issue, at its own path, listing the keys
 * allowed there. (zod's strictObject reports all unknown keys of a mapping as one issue without the list.)
 */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const known = Object.keys(shape);
  return z.looseObject(shape).superRefine(
    (value, ctx) => {
      let unknown = 0;
      for (const key of Object.keys(value)) {
        if (Object.hasOwn(shape, key)) continue;
        // Each unknown key is measured and listed only up to the printed problems' cap (load.ts); past it
        // they are counted, so a mapping of a million keys costs one pass (issue 17).
        if (++unknown <= MAX_UNKNOWN_KEYS_LISTED) {
          ctx.addIssue({ code: 'custom', path: [key], message: `unknown key (${expectedOneOf(known, key)})`, input: value[key] });
        }
      }
      const more = unknown - MAX_UNKNOWN_KEYS_LISTED;
      if (more > 0) ctx.addIssue({ code: 'custom', path: [], message: `and ${more} more unknown keys (expected only: ${known.join(', ')})`, input: value });
    },
    // Unknown keys are reported even when other fields of the same mapping are wrong: every problem at once.
    { when: (payload) => isMapping(payload.value) },
  );
}

function fail(ctx: z.core.$RefinementCtx, input: unknown, message: string): never {
  ctx.issues.push({ code: 'custom', message, input });
  return z.NEVER;
}

/** The smallest positive size and rate: a byte, and a bit per second. Below them nothing real moves, and a
 * fuzzed capacity of 5e-324 B/s made transfer times overflow to Infinity. */
const SMALLEST_POSITIVE: Partial<Record<Dimension, { value: number; text: string }>> = {
  size: { value: 1, text: '1 B' },
  rate: { value: 0.125, text: '1 bit/s' },
};

/** A size, rate, time or power with units, or a plain number in SI base units (units.ts). */
export function quantity(dimension: Dimension, options: { positive?: boolean } = {}) {
  return z.unknown().transform((value, ctx): number => {
    const parsed = parseQuantity(value, dimension);
    if (!parsed.ok) return fail(ctx, value, parsed.message);
    if (options.positive === true && parsed.value === 0) {
      return fail(ctx, value, `${describeValue(value)} must be greater than zero (expected ${describeDimension(dimension)})`);
    }
    const smallest = SMALLEST_POSITIVE[dimension];
    if (options.positive === true && smallest !== undefined && parsed.value < smallest.value) {
      return fail(ctx, value, `${describeValue(value)} is too small (expected ${describeDimension(dimension)}, at least ${smallest.text})`);
    }
    return parsed.value;
  });
}

/** A rate, or "none" for no limit (Infinity). */
export function rateOrNone() {
  const rate = quantity('rate', { positive: true });
  return z.unknown().transform((value, ctx): number => {
    if (value === 'none') return Infinity;
    const parsed = rate.safeParse(value);
    if (parsed.success) return parsed.data;
    const message = parsed.error.issues[0]?.message ?? 'invalid';
    return fail(ctx, value, message.replace(/\)$/, ', or "none" for no limit)'));
  });
}

function rangeText(min: number, max: number): string {
  return max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
}

/** An integer in [min, max]; `note` is added to the expectation when the bound needs a reason. */
export function wholeNumber(min: number, max: number = Number.MAX_SAFE_INTEGER, note = '') {
  const expected = `expected a whole number ${rangeText(min, max)}${note}`;
  return z.unknown().transform((value, ctx): number => {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      const what = typeof value === 'number' ? `${describeValue(value)} is not a whole number` : describeKind(value);
      return fail(ctx, value, `${value === undefined ? 'missing' : what} (${expected})`);
    }
    if (value < min) return fail(ctx, value, `${value} is too small (${expected})`);
    if (value > max) return fail(ctx, value, `${value} is too large (${expected})`);
    return value;
  });
}

/** A number in [0, 1], or (0, 1] with `aboveZero`. */
export function fraction(options: { aboveZero?: boolean } = {}) {
  const expected = options.aboveZero === true ? 'expected a number greater than 0 and at most 1' : 'expected a number from 0 to 1';
  return z.unknown().transform((value, ctx): number => {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      return fail(ctx, value, `${value === undefined ? 'missing' : describeKind(value)} (${expected})`);
    }
    const low = options.aboveZero === true ? value <= 0 : value < 0;
    if (low || value > 1) return fail(ctx, value, `${value} is out of range (${expected})`);
    return value;
  });
}

/** A finite number greater than zero. */
export function positiveNumber() {
  const expected = 'expected a number greater than 0';
  return z.unknown().transform((value, ctx): number => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return fail(ctx, value, `${value === undefined ? 'missing' : describeKind(value)} (${expected})`);
    }
    if (value <= 0) return fail(ctx, value, `${value} is too small (${expected})`);
    return value;
  });
}

/** A non-empty string naming something: `what` says what, e.g. `a VM id`. */
export function name(what: string) {
  return z.unknown().transform((value, ctx): string => {
    if (typeof value !== 'string') return fail(ctx, value, `${value === undefined ? 'missing' : describeKind(value)} (expected ${what})`);
    if (value.trim() === '') return fail(ctx, value, `is empty (expected ${what})`);
    // Ids reach terminals, CSV files and reports as they are: one holding ESC could recolour a terminal, CR
    // or LF forge a table line, NUL cut a C string (issue 17). Refused rather than escaped everywhere.
    const at = unprintableAt(value);
    if (at >= 0) {
      const code = `U+${value.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')}`;
      return fail(ctx, value, `holds the control character ${code} at position ${at + 1} (expected ${what} without control characters: no NUL, tab, line break, ESC or bidirectional mark)`);
    }
    return value;
  });
}

export function flag() {
  return z.unknown().transform((value, ctx): boolean => {
    if (typeof value !== 'boolean') return fail(ctx, value, `${value === undefined ? 'missing' : describeKind(value)} (expected true or false)`);
    return value;
  });
}

/** One of a fixed list of names. */
export function oneOf<const T extends string>(values: readonly T[]) {
  return z.unknown().transform((value, ctx): T => {
    if ((values as readonly unknown[]).includes(value)) return value as T;
    if (typeof value !== 'string') {
      return fail(ctx, value, `${value === undefined ? 'missing' : describeKind(value)} (expected one of: ${values.join(', ')})`);
    }
    return fail(ctx, value, `${describeValue(value)} is not allowed (${expectedOneOf(values, value)})`);
  });
}

/**
 * A name from `known` (every name CONTRACT.md lists) of which only `supported` is implemented: the others are
 * refused as "not supported yet", never silently replaced (../shared/STYLE.md, Errors).
 */
export function implemented<const T extends string>(label: string, supported: readonly T[], known: readonly string[]) {
  return z.unknown().transform((value, ctx): T => {
    if ((supported as readonly unknown[]).includes(value)) return value as T;
    const list = supported.join(', ');
    if (typeof value !== 'string') return fail(ctx, value, `${value === undefined ? 'missing' : describeKind(value)} (expected a ${label}: ${list})`);
    if (known.includes(value)) return fail(ctx, value, `${label} "${value}" is not supported yet (supported: ${list})`);
    return fail(ctx, value, `unknown ${label} ${describeValue(value)} (${expectedOneOf(supported, value)})`);
  });
}

/** A field of a capability not built yet that must be left out: any value is refused. */
export function absent(what: string, supported: string) {
  return z
    .unknown()
    .transform((value, ctx): never => fail(ctx, value, `${what} is not supported yet (supported: ${supported})`))
    .optional();
}

/** A list of a capability not built yet: only the empty list is accepted. */
export function emptyList(what: string) {
  return z.unknown().transform((value, ctx): [] => {
    if (!Array.isArray(value)) return fail(ctx, value, `${describeKind(value)} (expected a list)`);
    if (value.length > 0) return fail(ctx, value, `${what} is not supported yet (supported: an empty list [])`);
    return [];
  });
}

/** A mapping of a capability not built yet: only the empty mapping is accepted; each key is refused. */
export function emptyMapping(what: string) {
  return z.unknown().transform((value, ctx): Record<string, never> => {
    if (!isMapping(value)) return fail(ctx, value, `${describeKind(value)} (expected a mapping)`);
    for (const key of Object.keys(value)) {
      ctx.issues.push({ code: 'custom', path: [key], message: `${what} is not supported yet (supported: an empty mapping {})`, input: value[key] });
    }
    return {};
  });
}

/** Refuses a list where `schema` expects a mapping, saying the list form is not supported yet. */
export function mappingNotList<T extends z.ZodType>(schema: T, listMessage: string) {
  return z
    .unknown()
    .check((ctx) => {
      if (Array.isArray(ctx.value)) ctx.issues.push({ code: 'custom', message: listMessage, input: ctx.value });
    })
    .pipe(schema);
}
