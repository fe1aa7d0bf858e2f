// Issue 16, item 10e: /api/inngest answered 500 when this server runs its timers itself (no
// Inngest configured). It now says so: 503 with PROTOCOL-style JSON, for every method.
import { describe, expect, it } from "vitest";

describe("/api/inngest without Inngest", () => {
  it("answers 503 not_configured (GET, POST, PUT), reading no body", async () => {
    delete process.env.HOLDFAST_TIMERS;
    delete process.env.INNGEST_EVENT_KEY;
    delete process.env.INNGEST_SIGNING_KEY;
    const route = await import("./route");
    for (const [method, handler] of [["GET", route.GET], ["POST", route.POST], ["PUT", route.PUT]] as const) {
      let pulled = 0;
      const body =
        method === "GET"
          ? undefined
          : new ReadableStream<Uint8Array>({ pull: (c) => void (pulled++, c.enqueue(new Uint8Array(1024))) }, { highWaterMark: 0 });
      const request = new Request("http://localhost:3000/api/inngest", { method, ...(body ? { body, duplex: "half" } : {}) } as RequestInit);
      const response = await handler(request, {});
      expect(response.status, method).toBe(503);
      expect(await response.json()).toMatchObject({ error: { code: "not_configured" } });
      expect(pulled).toBe(0);
    }
  });
});
