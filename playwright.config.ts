// End-to-end tests against the built app on a fresh embedded database of
// their own (port 3100, data under .data/e2e), in Debian's chromium.
import { resolve } from "node:path";
import { defineConfig } from "@playwright/test";
import { chromiumUse } from "./e2e/fixtures/browser";
import { E2E_METRICS_TOKEN } from "./e2e/fixtures/stack";

const PORT = Number(process.env.E2E_PORT ?? 3100);
// The tests run a real SMTP server on this loopback port and read sign-in links from the mail (e2e/fixtures/mailbox.ts).
const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 2526);

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  // The pages learn of what agents and jobs do by polling (the chat every 2 s, orders, wallets and the
  // moderation queue every 5 s): Playwright's default 5 s for an assertion sits at one or two polls, which
  // a loaded CI machine can miss. An assertion ends as soon as it holds, so this costs a passing test nothing.
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: chromiumUse(`http://localhost:${PORT}`),
  webServer: {
    command: "node --import tsx scripts/holdfast.ts start",
    url: `http://localhost:${PORT}`,
    timeout: 240_000,
    reuseExistingServer: false,
    // SIGTERM lets the launcher stop its embedded PostgreSQL cleanly.
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      HOLDFAST_DATA_DIR: ".data/e2e",
      HOLDFAST_FRESH_DATA: "1",
      HOLDFAST_EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? "54339",
      HOLDFAST_BASE_URL: `http://localhost:${PORT}`,
      HOLDFAST_SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
      HOLDFAST_EMAIL_FROM: "Holdfast <no-reply@holdfast.test>",
      // Every browser test signs in from 127.0.0.1: room above the per-client sign-in mail limit.
      HOLDFAST_SIGN_IN_MAILS_PER_CLIENT: "100",
      // The browser tests drive agents through the API themselves, on the standard windows.
      HOLDFAST_DEMO_AGENT: "0",
      HOLDFAST_DEMO_WINDOWS: "0",
      // e2e/ops.spec.ts: agent webhooks to an HTTPS endpoint on loopback, whose test certificate the server trusts.
      HOLDFAST_WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
      // /api/metrics is on (e2e/operations-endpoints.spec.ts scrapes the production server).
      HOLDFAST_METRICS_TOKEN: E2E_METRICS_TOKEN,
      NODE_EXTRA_CA_CERTS: resolve("e2e/fixtures/tls/loopback.crt"),
    },
  },
});
