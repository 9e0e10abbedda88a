import { defineConfig } from "vitest/config";

// Five projects, run one after another by scripts/test.mjs (and in this order by a bare
// `vitest run`, through groupOrder): unit tests are fast and parallel; notebook and browser tests
// drive real kernels and a real browser, so they run one file at a time; the `npm start` smoke test
// runs set-up, which may rebuild dist/ or relink node_modules/.bin, so it runs alone, last, where
// it cannot pull files from under another suite.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          globalSetup: ["test/global-setup.ts"],
          // extension/test: the JupyterLab renderers (DOM tests under happy-dom, own tsconfig with DOM types).
          include: ["test/**/*.test.ts", "extension/test/**/*.test.ts"],
          exclude: ["test/notebooks/**", "test/browser/**", "test/install/**", "test/scripts/start.test.ts", "**/node_modules/**"],
          testTimeout: 30_000,
          typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: "notebooks",
          include: ["test/notebooks/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          poolOptions: { forks: { singleFork: true } },
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          poolOptions: { forks: { singleFork: true } },
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: "start",
          include: ["test/scripts/start.test.ts"],
          testTimeout: 120_000,
          poolOptions: { forks: { singleFork: true } },
          sequence: { groupOrder: 3 },
        },
      },
      {
        // Binder's postBuild replayed in a fresh clone, repo2docker's plan, and Lanes packed and installed
        // into a new folder: slow (npm and pip installs, from their caches), so last, one file at a time.
        test: {
          name: "install",
          include: ["test/install/**/*.test.ts"],
          testTimeout: 900_000,
          hookTimeout: 300_000,
          // Threads, not forks: a forked test worker's RPC to vitest has a fixed 60 s deadline that a single
          // test this long can miss ("Timeout calling onTaskUpdate", vitest#8164; seen here with the replay).
          pool: "threads",
          poolOptions: { threads: { singleThread: true } },
          sequence: { groupOrder: 4 },
        },
      },
    ],
  },
});
