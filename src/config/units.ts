// Quantities in scenario files: strings with units ("4 GiB", "10 Gbit/s", "300 ms", "250 W") or plain numbers
// in SI base units, parsed once here into plain numbers: bytes, bytes per second, seconds, watts, joules per byte
// (../shared/DESIGN.md, Units). This is the only file that touches mathjs.
//
// mathjs facts this relies on (checked against mathjs 15.2):
// - `B`/`bytes` and `b`/`bits` exist, with SI and IEC prefixes ("GB" = 1e9 B, "GiB" = 2^30 B, "Gib"), on a
//   base dimension counted in bits; `bit` exists but without prefixes and `bps` does not, so both are defined
//   below ("Gbit" = 1e9 bit, "Gbps" = 1e9 bit/s). Prefixes are case-sensitive: "kB" works, "KB" and "gib" do not.
// - In plain number mode "40 us" comes out as 3.9999999999999996e-5 s (40 × 1e-6 in floating point), so the
//   instance works in BigNumber mode: conversions are exact decimals and are rounded once, to the nearest double.
// - "1e400 GiB" is a valid BigNumber and becomes Infinity as a double: rejected as non-finite here.
// - "µs" is not understood; the micro sign is read as the "u" prefix.
// - Loading mathjs's ES modules takes over a second (about a thousand files); its single-file bundle, an exported
//   path of the same package and version, loads in about 0.15 s. Every `mignet` command pays this, so the bundle.
import { createRequire } from 'node:module';
import type * as MathJs from 'mathjs';
import type { BigNumber, FactoryFunctionMap, Unit } from 'mathjs';

export type Dimension = 'size' | 'rate' | 'time' | 'power' | 'energy per byte';

export type QuantityResult = { ok: true; value: number } | { ok: false; message: string };

interface DimensionInfo {
  /** the SI base unit a value of this dimension is returned in, as mathjs writes it */
  baseUnit: string;
  /** what a plain number means */
  plain: string;
  example: string;
}

const DIMENSIONS: Record<Dimension, DimensionInfo> = {
  size: { baseUnit: 'B', plain: 'bytes', example: '4 GiB' },
  rate: { baseUnit: 'B/s', plain: 'bytes per second', example: '10 Gbit/s' },
  time: { baseUnit: 's', plain: 'seconds', example: '300 ms' },
  power: { baseUnit: 'W', plain: 'watts', example: '250 W' },
  // network devices are rated in joules per bit ("10 nJ/bit" = 8e-8 J/B)
  'energy per byte': { baseUnit: 'J/B', plain: 'joules per byte', example: '10 nJ/bit' },
};

interface UnitMath {
  math: MathJs.MathJsInstance;
  /** the base unit of each dimension, to compare a parsed unit's dimension with */
  reference: Record<Dimension, Unit>;
}

let unitMath: UnitMath | undefined;

/** mathjs, made on the first unit string: a command that parses none (`--version`, `--help`) never loads it */
function loadUnitMath(): UnitMath {
  if (unitMath !== undefined) return unitMath;
  const { all, create } = createRequire(import.meta.url)('mathjs/lib/browser/math.js') as typeof MathJs;
  // mathjs's typings mark `all` as possibly undefined; it is the full factory map of the package.
  const math = create(all as FactoryFunctionMap);
  // Set after creation: the bundle's create() ignores a config argument (checked: it stays in number mode).
  math.config({ number: 'BigNumber', precision: 64 });
  // `bit` with SI and IEC prefixes (Gbit, Mibit), replacing mathjs's prefix-less `bit`.
  math.createUnit('bit', { definition: '1 b', prefixes: 'binary_short', aliases: ['bits'] }, { override: true });
  // bits per second, as network gear is rated ("1 Gbps" = 1e9 bit/s = 1.25e8 B/s).
  if (!math.Unit.isValuelessUnit('bps')) math.createUnit('bps', { definition: '1 bit/s', prefixes: 'binary_short' });
  const reference = {} as Record<Dimension, Unit>;
  for (const name of Object.keys(DIMENSIONS) as Dimension[]) reference[name] = math.unit(DIMENSIONS[name].baseUnit);
  unitMath = { math, reference };
  return unitMath;
}

/** Parsed unit strings: a scenario of thousands of VMs repeats a few dozen ("4 GiB"), and mathjs takes tens
 * of microseconds for each. Bounded: emptied when full. */
const parsedUnitStrings = new Map<string, QuantityResult>();
const MAX_PARSED_UNIT_STRINGS = 4096;

const DIMENSION_NAMES = Object.keys(DIMENSIONS) as Dimension[];

const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** An example of a valid value, for messages: `a rate such as "10 Gbit/s"`. */
export function describeDimension(dimension: Dimension): string {
  return `${/^[aeiou]/.test(dimension) ? 'an' : 'a'} ${dimension} such as "${DIMENSIONS[dimension].example}"`;
}

function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * The largest value of each dimension: far beyond any real machine, link or plan, and small enough that the
 * model's products (bytes × overheads, rate × time, watts × seconds) and sums (path latencies) stay finite.
 * Finite is not enough: a fuzzed link latency of 1e308 s made the round-trip time Infinity and the flow's
 * window-limited rate 0, and the run ended with its migration still running.
 */
const LARGEST: Record<Dimension, { value: number; text: string }> = {
  size: { value: 2 ** 70, text: '1 ZiB (2^70 B)' },
  rate: { value: 1.25e17, text: '1 Ebit/s (1.25e17 B/s)' },
  time: { value: 1e12, text: '1e12 s (about 31,700 years)' },
  power: { value: 1e9, text: '1 GW' },
  'energy per byte': { value: 1, text: '1 J/B' },
};

function checkRange(value: number, input: unknown, dimension: Dimension): QuantityResult {
  if (Number.isFinite(value) && value > LARGEST[dimension].value) {
    return { ok: false, message: `${quote(input)} is too large (expected ${describeDimension(dimension)}, at most ${LARGEST[dimension].text})` };
  }
  if (Number.isFinite(value) && value >= 0) return { ok: true, value };
  const why = Number.isNaN(value) ? 'it is not a number' : value < 0 ? 'it is negative' : 'it is too large';
  return {
    ok: false,
    message: `${quote(input)} must be a finite, non-negative ${dimension}: ${why} (expected ${describeDimension(dimension)})`,
  };
}

function parseUnitString(text: string, dimension: Dimension): QuantityResult {
  const key = `${dimension}\u0000${text}`;
  const known = parsedUnitStrings.get(key);
  if (known !== undefined) return known;
  const result = parseUnitStringOnce(text, dimension);
  if (parsedUnitStrings.size >= MAX_PARSED_UNIT_STRINGS) parsedUnitStrings.clear();
  parsedUnitStrings.set(key, result);
  return result;
}

function parseUnitStringOnce(text: string, dimension: Dimension): QuantityResult {
  const info = DIMENSIONS[dimension];
  const { math, reference } = loadUnitMath();
  let unit: Unit;
  try {
    unit = math.unit(text.replace(/[\u00b5\u03bc]/g, 'u'));
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
    return { ok: false, message: `${quote(text)} is not a quantity: ${reason} (expected ${describeDimension(dimension)})` };
  }
  if (unit.value === null) {
    return { ok: false, message: `${quote(text)} has a unit but no number (expected ${describeDimension(dimension)})` };
  }
  if (!unit.equalBase(reference[dimension])) {
    const actual = DIMENSION_NAMES.find((name) => unit.equalBase(reference[name]));
    const names = `${DIMENSION_NAMES.slice(0, -1).join(', ')} or ${DIMENSION_NAMES[DIMENSION_NAMES.length - 1]}`;
    const what = actual === undefined ? `not a ${names}` : `${/^[aeiou]/.test(actual) ? 'an' : 'a'} ${actual}`;
    return { ok: false, message: `${quote(text)} is ${what} (expected ${describeDimension(dimension)})` };
  }
  const converted = unit.toNumeric(info.baseUnit) as BigNumber;
  return checkRange(math.number(converted) as number, text, dimension);
}

/**
 * Parses a quantity of the given dimension into SI base units: bytes, bytes per second, seconds, watts.
 * A number, or a string holding only a number, is taken as already in those units.
 */
export function parseQuantity(value: unknown, dimension: Dimension): QuantityResult {
  const info = DIMENSIONS[dimension];
  if (typeof value === 'number') return checkRange(value, value, dimension);
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return { ok: false, message: `is an empty string (expected ${describeDimension(dimension)})` };
    if (PLAIN_NUMBER.test(text)) return checkRange(Number(text), value, dimension);
    return parseUnitString(text, dimension);
  }
  if (value === undefined) return { ok: false, message: `missing (expected ${describeDimension(dimension)})` };
  const what =
    value === null ? 'empty (null)' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `${quote(value)}, a ${typeof value}`;
  return { ok: false, message: `is ${what} (expected ${describeDimension(dimension)}, or a number of ${info.plain})` };
}
