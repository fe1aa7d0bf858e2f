// Refusals a person can land on are pages that say what to do; API clients get the same words as JSON.
import { describe, expect, it } from "vitest";
import { refusalResponse, wantsHtml } from "./refusal";

const refusal = {
  status: 403,
  code: "forbidden",
  title: "Sign-in refused",
  message: `Sent from <script>alert("x")</script>, not from Holdfast.`,
  next: { href: `/sign-in?callbackUrl="><script>`, label: "Open the sign-in page" },
};

describe("refusalResponse", () => {
  it("answers a browser navigation with an HTML page, its text escaped", async () => {
    const request = new Request("http://localhost:3000/x", { method: "POST", headers: { "sec-fetch-mode": "navigate" } });
    expect(wantsHtml(request)).toBe(true);
    const response = refusalResponse(request, refusal);
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toContain("<h1>Sign-in refused</h1>");
    expect(html).toContain("Sent from &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;, not from Holdfast.");
    expect(html).toContain(`<a href="/sign-in?callbackUrl=&quot;&gt;&lt;script&gt;">Open the sign-in page</a>`);
    expect(html).not.toContain("<script>");
  });

  it("answers fetch() and API clients with JSON", async () => {
    const variants: Record<string, string>[] = [{}, { accept: "application/json" }, { accept: "*/*", "sec-fetch-mode": "cors" }];
    for (const headers of variants) {
      const response = refusalResponse(new Request("http://localhost:3000/x", { headers }), refusal);
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: { code: "forbidden", message: refusal.message, next: refusal.next.href } });
    }
  });
});
