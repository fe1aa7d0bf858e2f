// Cross-site request forgery protection for Holdfast's own state-changing
// endpoints (next-auth protects its routes with its double-submit token).
// A browser always sends Origin on a cross-site POST, and cannot add a custom
// header to one without a CORS preflight, which Holdfast never approves.

/** The header the web app's tRPC client sends with every request. */
export const CSRF_HEADER = "x-holdfast-csrf";
export const CSRF_HEADER_VALUE = "1";

/**
 * A host a page may have been opened at without being the configured base URL: an IP address
 * (`127.0.0.1:3000`, `[::1]:3000`, a LAN address) or `localhost`. Only these: a page on any
 * other name whose Origin matches the Host header it sent may be an attacker's domain
 * re-pointed at this server by DNS rebinding, and is same-origin only when it is the base URL.
 */
function isAddressHost(hostname: string): boolean {
  const name = hostname.toLowerCase();
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    /^\d{1,3}(\.\d{1,3}){3}$/.test(name) ||
    (name.startsWith("[") && name.endsWith("]"))
  );
}

/**
 * True when `origin` is the site the request was made to: the base URL, the URL the server
 * saw, or — for an address (isAddressHost) — the Host header the browser sent, so a page
 * opened at http://127.0.0.1:3000 can post to itself while the base URL says localhost.
 */
function isOwnOrigin(origin: string, request: Request, baseUrl: URL): boolean {
  if (origin === baseUrl.origin || origin === new URL(request.url).origin) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  if (parsed.origin !== origin) return false; // not a bare origin (a path, credentials, odd spelling)
  const host = request.headers.get("host")?.toLowerCase();
  return host !== undefined && parsed.host === host && isAddressHost(parsed.hostname);
}

/** True when the request comes from a page of this site (or from no browser at all, which has no cookies to abuse). */
export function isSameOrigin(request: Request, baseUrl: URL): boolean {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return false;
  const origin = request.headers.get("origin");
  if (origin === null) return fetchSite === null || fetchSite === "same-origin";
  return isOwnOrigin(origin, request, baseUrl);
}

/** A state-changing tRPC call: same origin and the custom header. */
export function isTrustedMutation(request: Request, baseUrl: URL): boolean {
  return request.headers.get(CSRF_HEADER) === CSRF_HEADER_VALUE && isSameOrigin(request, baseUrl);
}
