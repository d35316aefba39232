// The one source of randomness: a seeded xoroshiro128+ generator (pure-rand), passed to whoever needs it,
// so the same scenario and seed give the same run; src/ never draws on an unseeded source.
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export class Random {
  private readonly generator: RandomGenerator;

  constructor(seed: number) {
    this.generator = xoroshiro128plus(seed | 0);
  }

  /** uniform in [0, 1) */
  next(): number {
    return uniformFloat64(this.generator);
  }
}
