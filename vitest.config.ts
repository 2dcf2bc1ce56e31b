import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // 2 cores: end-to-end suites start servers, so keep parallelism modest.
    maxWorkers: 2,
    globalSetup: ["tests/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
