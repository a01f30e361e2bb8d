import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The machine's own zone must never matter: Nirdesh always converts with an explicit zone.
    env: { TZ: "UTC" },
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".ci/results.json" }]] : ["default"],
    testTimeout: 20_000,
  },
});
