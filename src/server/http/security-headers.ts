// Security headers on every page and API response, set by next.config.mjs `headers()` (issue 16:
// no page of Holdfast may be framed by another site — clickjacking). No script-src: Next's inline
// bootstrap scripts would need nonces. The artifact download routes are left out of the app's CSP:
// they send their own, stricter sandbox policy (src/server/artifacts/http-response.ts), and Next
// keeps a config header over a route's header of the same name — so one CSP per response, theirs.

export const APP_CONTENT_SECURITY_POLICY = "frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

/** Routes that answer with their own Content-Security-Policy. */
export const OWN_CSP_ROUTE_PREFIXES = ["/api/artifacts/", "/api/admin/artifacts/"] as const;

export const COMMON_SECURITY_HEADERS = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

interface HeaderRule {
  source: string;
  headers: { key: string; value: string }[];
}

/** The rules for next.config.mjs `headers()` (path-to-regexp sources, as Next matches them). */
export function securityHeaders(): HeaderRule[] {
  const ownCsp = OWN_CSP_ROUTE_PREFIXES.map((p) => p.slice(1)).join("|");
  return [
    { source: "/:path*", headers: COMMON_SECURITY_HEADERS },
    { source: `/((?!${ownCsp}).*)`, headers: [{ key: "Content-Security-Policy", value: APP_CONTENT_SECURITY_POLICY }] },
  ];
}
