// Property tests (fast-check) draw from one fixed seed, so `npm test` is reproducible and CI cannot fail by the
// luck of a draw; `FC_SEED=<integer> npm test` explores another draw (a failure prints the seed and path that
// replay it). A subnormal byte count found that way once failed CI at random (test/migration/page-cost.test.ts).
import fc from 'fast-check';

const seedText = process.env['FC_SEED'];
const seed = seedText === undefined ? 20261202 : Number.parseInt(seedText, 10);
if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be a decimal integer, got "${seedText}"`);
fc.configureGlobal({ seed });
