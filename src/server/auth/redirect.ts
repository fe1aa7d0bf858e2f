// Where a person may be sent back to after signing in. Every return address
// taken from a request (a `callbackUrl` query or form field, next-auth's
// redirect callback) goes through here, so a crafted value cannot send a
// signed-in person to another site. Pure: no framework imports.

/** Longer return addresses are not ours (the app's own paths are short). */
const MAX_RETURN_URL_CHARS = 2048;

/**
 * The path (with query and fragment) of `value` when, resolved the way a browser resolves a
 * Location header against `base`, it stays on `base`'s origin; otherwise `fallback`.
 *
 * WHATWG URL parsing is what browsers do, so the tricks that make a string look like a path
 * but lead elsewhere are caught by resolving rather than by pattern: `//evil`, `/\evil` and
 * `\\evil` (backslash is a slash in http URLs), tabs and newlines (removed before parsing, so
 * `/<TAB>/evil` is `//evil`), `https://evil`, `javascript:…`, `http://localhost:3000@evil`.
 * The result is rebuilt from the parsed URL with exactly one leading slash, so it cannot
 * itself be read as a protocol-relative address (`http://base//evil` → `/evil`).
 */
export function sameOriginReturnPath(value: unknown, base: URL | string, fallback = "/"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_RETURN_URL_CHARS) return fallback;
  const baseUrl = new URL(base);
  let resolved: URL;
  try {
    resolved = new URL(value, baseUrl);
  } catch {
    return fallback;
  }
  if (resolved.origin !== baseUrl.origin || resolved.username !== "" || resolved.password !== "") return fallback;
  const path = `/${resolved.pathname.replace(/^\/+/, "")}${resolved.search}${resolved.hash}`;
  return path;
}

/** next-auth's return-address cookie, plain and `__Secure-` prefixed. */
const CALLBACK_COOKIE = /^(?:__Secure-)?next-auth\.callback-url$/;

/**
 * next-auth also keeps the return address in a cookie and reads it back unchecked: one set by another
 * site on the same host (cookies ignore ports) or by hand could lead elsewhere, and one it cannot parse
 * (`\\evil.test`, `javascript:…`) makes it answer 500. Returns, for each such cookie whose value is
 * not already a same-origin path, the value to put in its place.
 */
export function callbackCookieRepairs(
  cookies: ReadonlyArray<{ name: string; value: string }>,
  base: URL | string,
): Array<{ name: string; value: string }> {
  return cookies
    .filter(({ name }) => CALLBACK_COOKIE.test(name))
    .map(({ name, value }) => ({ name, value, safe: sameOriginReturnPath(value, base) }))
    .filter(({ value, safe }) => value !== safe)
    .map(({ name, safe }) => ({ name, value: safe }));
}
