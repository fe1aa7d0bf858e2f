// The operator's endpoints on the production build (issue 21): health and readiness answer with each
// check's state, and a Prometheus scrape with the configured token shows the engine's own figures —
// the ledger check, escrows by state, requests by transport — while a scrape without it is refused.
import { expect, test } from "@playwright/test";
import { E2E_METRICS_TOKEN } from "./fixtures/stack";

test("health, readiness and metrics answer on the running server", async ({ request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);

  // Workers report after their first round: readiness may take a moment after start.
  await expect
    .poll(async () => (await request.get("/api/ready")).status(), { timeout: 30_000 })
    .toBe(200);
  const ready = (await (await request.get("/api/ready")).json()) as { checks: Record<string, { state: string }> };
  for (const check of ["database", "migrations", "workers"]) expect(ready.checks[check]?.state, check).toBe("ok");

  expect((await request.get("/api/metrics")).status()).toBe(401);
  expect((await request.get("/api/metrics", { headers: { authorization: "Bearer wrong-token-0123456789" } })).status()).toBe(401);
  const scrape = await request.get("/api/metrics", { headers: { authorization: `Bearer ${E2E_METRICS_TOKEN}` } });
  expect(scrape.status()).toBe(200);
  const text = await scrape.text();
  expect(text).toContain("holdfast_ledger_check_ok");
  expect(text).toMatch(/^holdfast_escrows\{/m);
  expect(text).toMatch(/^holdfast_requests_total\{[^}]*transport="trpc"|^holdfast_requests_total\{[^}]*transport="agent_api"/m);
});
