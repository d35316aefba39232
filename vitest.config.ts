import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // builds dist/ once for the tests that spawn the built `mignet` (test/global-setup.ts)
    globalSetup: ['test/global-setup.ts'],
    // one fixed seed for every property test, FC_SEED to draw others (test/fast-check-seed.ts)
    setupFiles: ['test/fast-check-seed.ts'],
    testTimeout: 60_000,
    // every run in the suite checks its end-of-run invariants (src/engine/invariants.ts)
    env: { MIGNET_CHECKS: '1' },
  },
});
