// A refused browser request answers a page that says what happened and what
// to do; an API client gets the same words as JSON. Used where a person can
// land on the answer by navigating: the demo sign-in form, artifact links.

export interface Refusal {
  status: number;
  /** Machine-readable, for the JSON answer: "forbidden", "not_found", … */
  code: string;
  title: string;
  /** What happened, in a sentence a person understands. */
  message: string;
  /** What to do instead: a link on the page, and the URL in the JSON answer. */
  next?: { href: string; label: string };
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A browser navigation (a form post, a link) wants a page; fetch() and API clients want JSON. */
export function wantsHtml(request: Request): boolean {
  if (request.headers.get("sec-fetch-mode") === "navigate") return true;
  const accept = request.headers.get("accept") ?? "";
  return accept.includes("text/html");
}

export function refusalResponse(request: Request, refusal: Refusal): Response {
  const headers = { "cache-control": "no-store", "x-content-type-options": "nosniff" };
  if (!wantsHtml(request)) {
    const body = { error: { code: refusal.code, message: refusal.message, ...(refusal.next ? { next: refusal.next.href } : {}) } };
    return Response.json(body, { status: refusal.status, headers });
  }
  const next = refusal.next ? `<p><a href="${escapeHtml(refusal.next.href)}">${escapeHtml(refusal.next.label)}</a></p>` : "";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(refusal.title)} · Holdfast</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1c1917;line-height:1.5}h1{font-size:1.5rem}a{color:#1d4ed8}</style>
</head><body><main><h1>${escapeHtml(refusal.title)}</h1><p>${escapeHtml(refusal.message)}</p>${next}</main></body></html>
`;
  return new Response(html, { status: refusal.status, headers: { ...headers, "content-type": "text/html; charset=utf-8" } });
}
