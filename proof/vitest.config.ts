import { defineConfig } from "vitest/config";

// Two suites: `faults` runs the built processes and crashes them for real, so
// its files run one at a time with long timeouts; `abuse` fuzzes in-process
// services over real HTTP.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "faults",
          include: ["faults/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "abuse",
          include: ["abuse/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
