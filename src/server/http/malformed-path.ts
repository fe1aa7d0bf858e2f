// A URL path whose percent-encoding does not decode (a stray `%`, a cut-off `%A`, bytes that are not
// UTF-8) names nothing: it is answered 400 here instead of failing inside the router (src/proxy.ts).

/** True when the path cannot be percent-decoded as UTF-8. */
export function hasMalformedPercentEncoding(pathname: string): boolean {
  if (!pathname.includes("%")) return false;
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

const MESSAGE = "The address has malformed percent-encoding (a % not followed by two hex digits of valid UTF-8), so it names no page.";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The 400 answer for a malformed path (JSON under /api, a page elsewhere), or null when the path is fine. */
export function malformedPathResponse(request: Request): Response | null {
  const { pathname } = new URL(request.url);
  if (!hasMalformedPercentEncoding(pathname)) return null;
  const headers = { "cache-control": "no-store" };
  if (pathname.startsWith("/api/")) {
    return Response.json({ error: { code: "validation_error", message: MESSAGE } }, { status: 400, headers });
  }
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad address · Holdfast</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2937">
<h1 style="font-size:1.5rem">This address is not valid</h1><p>${escapeHtml(MESSAGE)}</p>
<p>Check the link you followed, or <a href="/">go to the Holdfast home page</a>.</p></body></html>`;
  return new Response(page, { status: 400, headers: { ...headers, "content-type": "text/html; charset=utf-8" } });
}
