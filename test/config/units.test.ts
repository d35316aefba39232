// parseQuantity: every example of CONTRACT.md and the brief, bits vs bytes, 1000 vs 1024, wrong dimensions,
// and the values that must be refused (negative, NaN, Infinity, overflow, garbage).
import { describe, expect, test } from 'vitest';
import { parseQuantity, type Dimension } from '../../src/config/units.js';

function value(input: unknown, dimension: Dimension): number {
  const result = parseQuantity(input, dimension);
  if (!result.ok) throw new Error(`expected ${String(input)} to parse: ${result.message}`);
  return result.value;
}

function message(input: unknown, dimension: Dimension): string {
  const result = parseQuantity(input, dimension);
  if (result.ok) throw new Error(`expected ${String(input)} to be refused, got ${result.value}`);
  return result.message;
}

describe('parseQuantity: examples', () => {
  test.each<[string, Dimension, number]>([
    // sizes: IEC prefixes are powers of 2, SI prefixes powers of 10
    ['4 GiB', 'size', 4 * 2 ** 30],
    ['4 GB', 'size', 4e9],
    ['1e3 MB', 'size', 1e9],
    ['1 KiB', 'size', 1024],
    ['1 kB', 'size', 1000],
    ['100 MiB', 'size', 100 * 2 ** 20],
    ['1.5 GiB', 'size', 1.5 * 2 ** 30],
    // bits are an eighth of a byte: 1 Gbit = 1e9 / 8 B
    ['1 Gbit', 'size', 1.25e8],
    ['8 bit', 'size', 1],
    // energy per byte: network gear is rated per bit, 10 nJ/bit = 8 × 10 nJ per byte
    ['10 nJ/bit', 'energy per byte', 8e-8],
    ['80 nJ/B', 'energy per byte', 8e-8],
    ['2 pJ/bit', 'energy per byte', 1.6e-11],
    ['8 Kibit', 'size', 1024],
    // rates
    ['100 MiB/s', 'rate', 100 * 2 ** 20],
    ['10 Gbit/s', 'rate', 1.25e9],
    ['1 Gbps', 'rate', 1.25e8],
    ['1 Gbit/s', 'rate', 1.25e8],
    ['100 Mbps', 'rate', 1.25e7],
    ['10 Gb/s', 'rate', 1.25e9],
    ['1 GB/s', 'rate', 1e9],
    // times: 40 us must be exactly the double nearest 4e-5, not 40 × 1e-6 = 3.9999999999999996e-5
    ['300 ms', 'time', 0.3],
    ['40 us', 'time', 40e-6],
    ['2 us', 'time', 2e-6],
    ['2 µs', 'time', 2e-6],
    ['1 min', 'time', 60],
    ['0 s', 'time', 0],
    // power
    ['250 W', 'power', 250],
    ['1.2 kW', 'power', 1200],
  ])('%s is a %s of %d', (input, dimension, expected) => {
    expect(value(input, dimension)).toBe(expected);
  });

  test('plain numbers are SI base units, also as strings', () => {
    expect(value(1500, 'size')).toBe(1500);
    expect(value(0.3, 'time')).toBe(0.3);
    expect(value('1500', 'size')).toBe(1500);
    expect(value('1e3', 'rate')).toBe(1000);
  });

  test('spacing does not matter', () => {
    expect(value('10Gbit/s', 'rate')).toBe(1.25e9);
    expect(value('  4 GiB  ', 'size')).toBe(4 * 2 ** 30);
    expect(value('10 Gbit / s', 'rate')).toBe(1.25e9);
  });
});

describe('parseQuantity: refusals', () => {
  test('a quantity of the wrong dimension names both', () => {
    expect(message('4 GiB', 'rate')).toBe('"4 GiB" is a size (expected a rate such as "10 Gbit/s")');
    expect(message('10 Gbit/s', 'size')).toBe('"10 Gbit/s" is a rate (expected a size such as "4 GiB")');
    expect(message('300 ms', 'power')).toBe('"300 ms" is a time (expected a power such as "250 W")');
    expect(message('5 W', 'energy per byte')).toBe('"5 W" is a power (expected an energy per byte such as "10 nJ/bit")');
    expect(message('3 m', 'time')).toBe('"3 m" is not a size, rate, time, power or energy per byte (expected a time such as "300 ms")');
  });

  test('negative, NaN, Infinity and overflow are not finite non-negative', () => {
    expect(message('-3 GiB', 'size')).toMatch(/must be a finite, non-negative size.*negative/);
    expect(message(-1, 'time')).toMatch(/must be a finite, non-negative time/);
    expect(message(Number.NaN, 'size')).toMatch(/must be a finite, non-negative size/);
    expect(message(Infinity, 'rate')).toMatch(/must be a finite, non-negative rate/);
    expect(message('1e400 GiB', 'size')).toMatch(/"1e400 GiB" must be a finite, non-negative size: it is too large/);
    expect(message('1e400', 'size')).toMatch(/must be a finite, non-negative size/);
  });

  test('garbage, a missing number and wrong types say what is expected', () => {
    expect(message('banana', 'size')).toMatch(/"banana" is not a quantity.*\(expected a size such as "4 GiB"\)/);
    expect(message('NaN GiB', 'size')).toMatch(/is not a quantity/);
    expect(message('4 gib', 'size')).toMatch(/is not a quantity/); // prefixes and units are case-sensitive
    expect(message('GiB', 'size')).toMatch(/no number/);
    expect(message('', 'size')).toMatch(/empty/);
    expect(message(true, 'size')).toMatch(/true, a boolean \(expected a size such as "4 GiB", or a number of bytes\)/);
    expect(message(undefined, 'rate')).toBe('missing (expected a rate such as "10 Gbit/s")');
    expect(message([1], 'time')).toMatch(/a list/);
    expect(message('4 GiB + 1 MiB', 'size')).toMatch(/is not a quantity/); // no expressions
  });
});

describe('unit spellings users type', () => {
  test('GBps and MiBps are bytes per second; Gb/s is bits per second', () => {
    expect(parseQuantity('1 GBps', 'rate')).toEqual({ ok: true, value: 1e9 });
    expect(parseQuantity('128 MiBps', 'rate')).toEqual({ ok: true, value: 128 * 2 ** 20 });
    expect(parseQuantity('1 Gb/s', 'rate')).toEqual({ ok: true, value: 1.25e8 });
  });

  test('a unit in the wrong case, or another tool spelling, gets a did-you-mean', () => {
    const message = (text: string, dimension: Dimension): string => {
      const result = parseQuantity(text, dimension);
      return result.ok ? 'ok' : result.message;
    };
    expect(message('4 gib', 'size')).toBe('"4 gib" is not a quantity: Unit "gib" not found (did you mean "4 GiB"? expected a size such as "4 GiB")');
    expect(message('4 gb', 'size')).toMatch(/\(did you mean "4 GB" or "4 Gb"\? B is bytes, b bits, and prefixes are case-sensitive; expected a size/);
    expect(message('10 gbps', 'rate')).toMatch(/did you mean "10 Gbps" or "10 GBps"\?/);
    expect(message('10 gbit/s', 'rate')).toMatch(/did you mean "10 Gbit\/s"\?/);
    expect(message('3 msec', 'time')).toMatch(/did you mean "3 ms"\?/);
    expect(message('2 kw', 'power')).toMatch(/did you mean "2 kW"\?/);
    // Nothing close: no guess.
    expect(message('4 parsecs', 'size')).not.toMatch(/did you mean/);
  });
});
