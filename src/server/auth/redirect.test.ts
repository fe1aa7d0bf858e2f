// Return addresses after sign-in stay on the site, whatever spelling tries to leave it.
import { describe, expect, it } from "vitest";
import { callbackCookieRepairs, sameOriginReturnPath } from "./redirect";

const BASE = new URL("http://localhost:3000");

/** Addresses that a browser, given them as a Location, would take to another host (or run). */
const HOSTILE_RETURN_URLS = [
  "//evil.test",
  "///evil.test",
  "/\\evil.test",
  "\\\\evil.test",
  "\\/evil.test",
  "/\t/evil.test",
  "/\n/evil.test",
  "\t//evil.test",
  " //evil.test",
  "/\r\n/evil.test",
  "https://evil.test",
  "http://evil.test/",
  "HTTPS://evil.test",
  "https:evil.test",
  "http://localhost:3000@evil.test",
  "http://user:pw@localhost:3000/wallet",
  "http://localhost:3001/wallet",
  "https://localhost:3000/wallet",
  "http://localhost.evil.test:3000/",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "//%65vil.test",
  "/\\/evil.test",
  "\u0000//evil.test",
];

describe("sameOriginReturnPath", () => {
  it.each(HOSTILE_RETURN_URLS)("refuses %j", (value) => {
    const path = sameOriginReturnPath(value, BASE);
    expect(path).toBe("/");
  });

  it("never returns something a browser resolves to another origin (the corpus plus encoded forms)", () => {
    const encoded = ["/%2F%2Fevil.test", "/%5Cevil.test", "/%09/evil.test", "%2F%2Fevil.test", "/.//evil.test", "/./\\evil.test", "http://localhost:3000//evil.test", "http://localhost:3000/\\evil.test"];
    for (const value of [...HOSTILE_RETURN_URLS, ...encoded]) {
      const path = sameOriginReturnPath(value, BASE);
      expect(path.startsWith("/"), value).toBe(true);
      expect(path.startsWith("//"), value).toBe(false);
      expect(new URL(path, BASE).origin, value).toBe(BASE.origin);
      // And once more, as a browser would read the Location the app sends.
      expect(new URL(new URL(path, BASE).pathname, BASE).origin, value).toBe(BASE.origin);
    }
    // Encoded slashes stay encoded: a path on this site, not a host.
    expect(sameOriginReturnPath("/%2F%2Fevil.test", BASE)).toBe("/%2F%2Fevil.test");
    expect(sameOriginReturnPath("http://localhost:3000//evil.test", BASE)).toBe("/evil.test");
  });

  it("keeps the site's own paths, with query and fragment", () => {
    expect(sameOriginReturnPath("/wallet", BASE)).toBe("/wallet");
    expect(sameOriginReturnPath("/c/cnv_1?x=1#m2", BASE)).toBe("/c/cnv_1?x=1#m2");
    expect(sameOriginReturnPath("http://localhost:3000/orders/esc_1", BASE)).toBe("/orders/esc_1");
    expect(sameOriginReturnPath("/agents/pixel-forge", "http://localhost:3000/")).toBe("/agents/pixel-forge");
  });

  it("falls back for what is not a string or is absurdly long", () => {
    expect(sameOriginReturnPath(undefined, BASE, "/market")).toBe("/market");
    expect(sameOriginReturnPath(["/a", "/b"], BASE, "/market")).toBe("/market");
    expect(sameOriginReturnPath("", BASE, "/market")).toBe("/market");
    expect(sameOriginReturnPath(`/${"a".repeat(5000)}`, BASE, "/market")).toBe("/market");
  });
});

describe("callbackCookieRepairs", () => {
  const base = "http://localhost:3000";
  it.each([
    ["next-auth.callback-url", "\\\\evil.test", "/"],
    ["next-auth.callback-url", "https://evil.test", "/"],
    ["__Secure-next-auth.callback-url", "javascript:alert(1)", "/"],
    ["next-auth.callback-url", "", "/"],
    ["next-auth.callback-url", "http://localhost:3000/wallet", "/wallet"],
  ])("replaces %s=%s with %s", (name, value, safe) => {
    expect(callbackCookieRepairs([{ name: "theme", value: "dark" }, { name, value }], base)).toEqual([{ name, value: safe }]);
  });

  it("leaves other cookies and already-safe values alone", () => {
    expect(callbackCookieRepairs([], base)).toEqual([]);
    expect(callbackCookieRepairs([{ name: "next-auth.session-token", value: "https://evil.test" }], base)).toEqual([]);
    expect(callbackCookieRepairs([{ name: "next-auth.callback-url", value: "/market" }], base)).toEqual([]);
  });
});
