import { defineConfig } from "vitest/config";

// Three projects, run one after another by scripts/test.mjs: unit tests are fast and parallel;
// notebook and browser tests drive real kernels and a real browser, so they run one file at a time.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          globalSetup: ["test/global-setup.ts"],
          // extension/test: the JupyterLab renderers (DOM tests under happy-dom, own tsconfig with DOM types).
          include: ["test/**/*.test.ts", "extension/test/**/*.test.ts"],
          exclude: ["test/notebooks/**", "test/browser/**", "**/node_modules/**"],
          testTimeout: 30_000,
          typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
        },
      },
      {
        test: {
          name: "notebooks",
          include: ["test/notebooks/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          poolOptions: { forks: { singleFork: true } },
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
