// Issue 16, item 10d: a path with malformed percent-encoding (`/c/%E0%A4%A`) was a bare 500 from
// Next's router, which decodes dynamic segments; one with an encoded NUL (`/api/artifacts/%00`) was a 500
// from PostgreSQL. The proxy answers 400 before routing — a page for
// people, PROTOCOL's error shape under /api — and its matcher (compiled by Next's own code, as a
// build does) sends only paths holding "%" through it, so no other request's body is buffered.
import { createRequire } from "node:module";
import { getMiddlewareRouteMatcher } from "next/dist/shared/lib/router/utils/middleware-route-matcher.js";
import { describe, expect, it } from "vitest";
import { config, proxy } from "./proxy";

// Next's own matcher compiler (what `next build` writes to the manifest); not in its type declarations.
const { getMiddlewareMatchers } = createRequire(import.meta.url)("next/dist/build/analysis/get-page-static-info.js") as {
  getMiddlewareMatchers(matcher: unknown, nextConfig: unknown): Parameters<typeof getMiddlewareRouteMatcher>[0];
};

const MALFORMED = [
  "/c/%E0%A4%A",
  "/api/agent/v1/escrows/%E0%A4%A",
  "/agents/%",
  "/orders/%zz",
  "/api/artifacts/%C0%AF", // overlong UTF-8
  "/api/trpc/%ED%A0%80", // a lone surrogate's bytes
  "/owner/alerts/%E0%A4%A/x",
  // Decodes, but to a control character no id or handle holds: a NUL reached PostgreSQL as an id (a 500).
  "/api/artifacts/%00",
  "/api/escrows/esc%00/receipts",
  "/api/admin/artifacts/a%00b",
  "/orders/%0A",
  "/agents/pixel%7Fforge",
  "/c/%C2%85", // U+0085, a C1 control
];
const FINE = ["/", "/c/cnv_abc", "/agents/pixel-forge", "/c/%E2%82%AC", "/agents/a%20b", "/api/agent/v1/escrows/esc_1"];

describe("src/proxy.ts", () => {
  it.each(MALFORMED)("%s → 400 before routing", async (path) => {
    const response = proxy(new Request(`http://localhost:3000${path}`));
    expect(response.status).toBe(400);
    const text = await response.text();
    if (path.startsWith("/api/")) {
      expect(JSON.parse(text)).toMatchObject({ error: { code: "validation_error" } });
    } else {
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(text).toContain("This address is not valid");
    }
  });

  it.each(FINE)("%s passes through", (path) => {
    const response = proxy(new Request(`http://localhost:3000${path}`, { method: "POST", body: "x" }));
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });

  it("runs only for paths holding a % (as Next compiles the matcher)", () => {
    const match = getMiddlewareRouteMatcher(getMiddlewareMatchers(config.matcher, {}));
    const matches = (path: string) => match(path, { headers: {}, cookies: {} } as never, {} as never);
    for (const path of MALFORMED) expect(matches(path), path).toBe(true);
    for (const path of ["/", "/c/cnv_abc", "/api/trpc/owner.createAgent", "/api/agent/v1/escrows", "/api/whatsapp/webhook"]) {
      expect(matches(path), path).toBe(false);
    }
  });
});
