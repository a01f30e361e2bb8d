import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The machine's own zone must never matter: Nirdesh always converts with an explicit zone.
    env: { TZ: "UTC" },
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".ci/results.json" }]] : ["default"],
    // Generous: the CLI stories spawn the real binary many times, and these machines are shared.
    testTimeout: 60_000,
  },
});
