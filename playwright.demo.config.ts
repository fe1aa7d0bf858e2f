// Browser tests against `npm start` itself: the real launcher with the demo
// seller agent running as its own process and the short demo windows on, on
// fresh data of its own (port 3102, data under .data/e2e-demo), in Debian's
// chromium. The customer is the seeded demo customer; the seller is the live
// demo agent, never driven by the tests (e2e-demo/).
import { defineConfig } from "@playwright/test";
import { chromiumUse } from "./e2e/fixtures/browser";

const PORT = Number(process.env.E2E_DEMO_PORT ?? 3102);

export default defineConfig({
  testDir: "./e2e-demo",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // The agent reacts through its event feed and the chat polls every 2 s, on a slow machine.
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [["list"]],
  use: chromiumUse(`http://localhost:${PORT}`),
  webServer: {
    // Exactly what a visitor runs: the demo agent and the demo windows stay on.
    command: "npm start",
    url: `http://localhost:${PORT}`,
    // `npm start` rebuilds the web app first when the code changed since the last build.
    timeout: 400_000,
    reuseExistingServer: false,
    // SIGTERM lets the launcher stop the agent, the web server and its embedded PostgreSQL in order.
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      HOLDFAST_DATA_DIR: ".data/e2e-demo",
      HOLDFAST_FRESH_DATA: "1",
      HOLDFAST_EMBEDDED_PG_PORT: process.env.E2E_DEMO_PG_PORT ?? "54340",
      HOLDFAST_BASE_URL: `http://localhost:${PORT}`,
      // The launcher's defaults, spelled out so a caller's environment cannot turn them off.
      HOLDFAST_DEMO_AGENT: "1",
      HOLDFAST_DEMO_WINDOWS: "1",
    },
  },
});
