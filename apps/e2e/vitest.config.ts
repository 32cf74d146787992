import { defineConfig, mergeConfig } from "vitest/config";
import { sharedTestConfig } from "../../vitest.shared";

// The scenarios start real processes and a nats-server each; running files one at a time
// keeps a 2-core machine responsive and the timings honest.
export default mergeConfig(
  sharedTestConfig,
  defineConfig({ test: { fileParallelism: false, testTimeout: 90_000, hookTimeout: 90_000 } }),
);
