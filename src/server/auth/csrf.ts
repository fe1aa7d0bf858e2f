// Cross-site request forgery protection for Holdfast's own state-changing
// endpoints (next-auth protects its routes with its double-submit token).
// A browser always sends Origin on a cross-site POST, and cannot add a custom
// header to one without a CORS preflight, which Holdfast never approves.

/** The header the web app's tRPC client sends with every request. */
export const CSRF_HEADER = "x-holdfast-csrf";
export const CSRF_HEADER_VALUE = "1";

/** True when the request comes from a page of this site (or from no browser at all, which has no cookies to abuse). */
export function isSameOrigin(request: Request, baseUrl: URL): boolean {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return false;
  const origin = request.headers.get("origin");
  if (origin === null) return fetchSite === null || fetchSite === "same-origin";
  return origin === baseUrl.origin || origin === new URL(request.url).origin;
}

/** A state-changing tRPC call: same origin and the custom header. */
export function isTrustedMutation(request: Request, baseUrl: URL): boolean {
  return request.headers.get(CSRF_HEADER) === CSRF_HEADER_VALUE && isSameOrigin(request, baseUrl);
}
