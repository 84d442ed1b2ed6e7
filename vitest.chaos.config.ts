import { defineConfig } from 'vitest/config';

/**
 * `npm run test:chaos`: long reliability tests (kill -9 of real processes on the real clock). Not part of
 * `npm test` (whose config includes only test/**\/*.test.ts); each chaos test starts its own services.
 */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.chaos.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 12 * 60_000,
    hookTimeout: 3 * 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
