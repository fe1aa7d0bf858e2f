// Issue 16, item 12: every page and API response forbids framing (CSP frame-ancestors 'none' and
// X-Frame-Options DENY), and the artifact routes keep their own sandbox CSP as the only one. The
// rules are matched with Next's own path matcher, as the server matches next.config.mjs headers():
// Next keeps a config header over a route's header of the same name, so the artifact routes must
// get no CSP from the config, or their sandbox would be dropped.
import { getPathMatch } from "next/dist/shared/lib/router/utils/path-match";
import { modifyRouteRegex } from "next/dist/lib/redirect-status";
import { describe, expect, it } from "vitest";
import { artifactResponse } from "../artifacts/http-response";
import { APP_CONTENT_SECURITY_POLICY, securityHeaders } from "./security-headers";

/** The headers next.config.mjs adds to a response for this path (Next's header-route matching). */
function configHeadersFor(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of securityHeaders()) {
    const match = getPathMatch(rule.source, { strict: true, removeUnnamedParams: true, regexModifier: (r) => modifyRouteRegex(r) });
    if (match(path)) for (const h of rule.headers) out[h.key.toLowerCase()] = h.value;
  }
  return out;
}

describe("security headers", () => {
  it.each(["/", "/market", "/c/cnv_abc", "/owner/alerts/alr_1", "/sign-in", "/api/trpc/market.agents", "/api/agent/v1/escrows", "/api/mcp", "/api/auth/session"])(
    "%s: no framing, no sniffing, a referrer policy",
    (path) => {
      const headers = configHeadersFor(path);
      expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(headers["content-security-policy"]).not.toContain("script-src"); // Next's inline scripts need nonces
      expect(headers["x-frame-options"]).toBe("DENY");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    },
  );

  it.each(["/api/artifacts/art_1", "/api/admin/artifacts/art_1", "/api/artifacts/art_1/"])(
    "%s: the config adds no CSP, so the artifact's own sandbox policy is the only one",
    async (path) => {
      const headers = configHeadersFor(path);
      expect(headers["content-security-policy"]).toBeUndefined();
      expect(headers["x-frame-options"]).toBe("DENY");
      const response = await artifactResponse(
        { kind: "data", storageKey: null, data: { a: 1 }, mimeType: "application/json", name: "a.json", sha256: "0".repeat(64) },
        false,
      );
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("sandbox");
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toBe(APP_CONTENT_SECURITY_POLICY);
    },
  );

  it("next.config.mjs serves these rules", async () => {
    const configFor = (await import("../../../next.config.mjs")).default as (phase: string) => { headers(): Promise<unknown> };
    expect(await configFor("phase-production-server").headers()).toEqual(securityHeaders());
  });
});
