import { defineConfig } from "vitest/config";

// The slow proofs of issue 8 (crashes at random points, 10,000+ fuzzed inputs each, the load test):
// `npm run test:stress`. `npm test` runs the fast ones.
export default defineConfig({
  test: {
    include: ["test/stress/**/*.stress.ts"],
    env: { TZ: "UTC" },
    testTimeout: 30 * 60_000,
    hookTimeout: 5 * 60_000,
    fileParallelism: false,
  },
});
