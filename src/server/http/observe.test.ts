// Every transport's dispatch point (issue 21), not only the agent API: MCP over real HTTP, the tRPC
// route, the inbound Telegram and WhatsApp webhooks and both artifact downloads answer with an
// X-Request-Id and write one request line under that id — refusals included.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "~/test/agent-api-harness";
import { handleTelegramWebhook } from "../inbound/telegram";
import { handleWhatsAppWebhook } from "../inbound/whatsapp";
import { captureLogs } from "../log";

let h: Harness;
let lines: Record<string, unknown>[] = [];
let restore: () => void = () => undefined;

beforeAll(async () => {
  h = await startHarness();
  process.env.DATABASE_URL = h.tdb.url;
  process.env.NEXTAUTH_SECRET = "t".repeat(40);
  process.env.HOLDFAST_BASE_URL = "http://localhost:3000";
});
afterAll(async () => {
  const { getDb } = await import("../db/client");
  await getDb().$disconnect();
  await h.close();
});
beforeEach(() => {
  lines = [];
  restore = captureLogs({ write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
});
afterEach(() => restore());

async function expectObserved(transport: string, response: Response, status: number) {
  expect(response.status).toBe(status);
  const requestId = response.headers.get("x-request-id");
  expect(requestId).toMatch(/^req_[0-9a-f]{32}$/);
  expect(lines.filter((l) => l.msg === "request" && l.requestId === requestId)).toEqual([expect.objectContaining({ transport, status })]);
}

describe("every transport", () => {
  it("answers with X-Request-Id and logs one request line under it", async () => {
    await expectObserved("mcp", await fetch(`${h.url}/api/mcp`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } }), 401);

    const trpc = await import("~/app/api/trpc/[trpc]/route");
    const crossSite = new Request("http://localhost:3000/api/trpc/owner.createAgent", { method: "POST", headers: { origin: "https://evil.example" }, body: "{}" });
    await expectObserved("trpc", await trpc.POST(crossSite), 403);

    const ctx = h.deps.engine;
    await expectObserved("webhook-inbound", await handleTelegramWebhook(new Request("http://localhost:3000/api/telegram/webhook", { method: "POST", body: "{}" }), ctx, { secretToken: undefined }), 404);
    await expectObserved(
      "webhook-inbound",
      await handleWhatsAppWebhook(new Request("http://localhost:3000/api/whatsapp/webhook", { method: "POST", body: "{}" }), ctx, { appSecret: undefined, verifyToken: undefined }),
      404,
    );

    const params = { params: Promise.resolve({ id: "art_nothing" }) };
    const artifacts = await import("~/app/api/artifacts/[id]/route");
    await expectObserved("artifacts", await artifacts.GET(new Request("http://localhost:3000/api/artifacts/art_nothing"), params), 401);
    const adminArtifacts = await import("~/app/api/admin/artifacts/[id]/route");
    await expectObserved("artifacts", await adminArtifacts.GET(new Request("http://localhost:3000/api/admin/artifacts/art_nothing"), params), 401);
  });
});
