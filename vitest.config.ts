import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Every test that reads a time zone-free clock gets Dhaka, as the offices do.
    env: { TZ: "UTC" },
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".ci/results.json" }]] : ["default"],
    testTimeout: 20_000,
  },
});
