// A URL path whose percent-encoding does not decode (a stray `%`, a cut-off `%A`, bytes that are not
// UTF-8), or decodes to a control character (`%00`, `%0A`), names nothing: no id, handle or page name
// holds one. It is answered 400 here instead of failing inside the router or, for a NUL that reached a
// query as an id, inside PostgreSQL (which cannot hold U+0000): both were a 500 (src/proxy.ts).

const CONTROL_CHARACTER = /\p{Cc}/u;

/** Why the path names nothing, or null when it decodes to text without control characters. */
export function malformedPathProblem(pathname: string): string | null {
  if (!pathname.includes("%")) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return "The address has malformed percent-encoding (a % not followed by two hex digits of valid UTF-8), so it names no page.";
  }
  return CONTROL_CHARACTER.test(decoded) ? "The address holds an encoded control character (such as %00 or %0A), so it names no page." : null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The 400 answer for a malformed path (JSON under /api, a page elsewhere), or null when the path is fine. */
export function malformedPathResponse(request: Request): Response | null {
  const { pathname } = new URL(request.url);
  const problem = malformedPathProblem(pathname);
  if (problem === null) return null;
  const headers = { "cache-control": "no-store" };
  if (pathname.startsWith("/api/")) {
    return Response.json({ error: { code: "validation_error", message: problem } }, { status: 400, headers });
  }
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad address · Holdfast</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2937">
<h1 style="font-size:1.5rem">This address is not valid</h1><p>${escapeHtml(problem)}</p>
<p>Check the link you followed, or <a href="/">go to the Holdfast home page</a>.</p></body></html>`;
  return new Response(page, { status: 400, headers: { ...headers, "content-type": "text/html; charset=utf-8" } });
}
