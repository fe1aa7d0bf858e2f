// Over real HTTP against the running app (issue 16 items 6 and 19): a return address after sign-in
// never leads to another site, however it is spelled, and the demo sign-in works from the address
// the browser actually used (http://127.0.0.1:<port>) while another site's form is still refused —
// with a page that says what to do.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_BASE_URL, E2E_PORT } from "./fixtures/stack";

const BY_ADDRESS = `http://127.0.0.1:${E2E_PORT}`;

/** Raw query values, exactly as typed into the address bar (the ones found, and their relatives). */
const HOSTILE_CALLBACKS = [
  "/%5Cevil.test",
  "/%09/evil.test",
  "//evil.test",
  "%2F%2Fevil.test",
  "/%2F%2Fevil.test",
  "%5C%5Cevil.test",
  "/%0A/evil.test",
  "https://evil.test",
  "http://localhost:" + E2E_PORT + "@evil.test",
  "javascript:alert(1)",
];

/** Where a browser goes with this Location, read against the page it came from. */
function destination(location: string | undefined, from = E2E_BASE_URL): URL {
  expect(location, "a Location header").toBeTruthy();
  return new URL(location!, from);
}

/** The one-time next-auth link of a demo sign-in, posted the way the sign-in page's form does. */
async function demoLink(api: APIRequestContext, origin: string, callbackUrl = "/market"): Promise<URL> {
  const response = await api.post("/api/demo-sign-in", {
    form: { account: "customer", callbackUrl },
    headers: { origin, "sec-fetch-site": "same-origin", "sec-fetch-mode": "navigate" },
    maxRedirects: 0,
  });
  expect(response.status(), await response.text()).toBe(303);
  return destination(response.headers().location);
}

test("the demo sign-in works opened at http://127.0.0.1:<port>, and another site's form is refused with a helpful page", async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: BY_ADDRESS });
  try {
    // Host 127.0.0.1:<port>, Origin http://127.0.0.1:<port>: the same site, as the browser sees it.
    const link = await demoLink(api, BY_ADDRESS, "/wallet");
    expect(link.pathname).toBe("/api/auth/callback/email");
    expect(link.searchParams.get("callbackUrl")).toBe("/wallet");

    // Another site's page posting the same form: refused, and the person is told what to do.
    const form = { account: "admin", callbackUrl: "/admin" };
    const page = await api.post("/api/demo-sign-in", {
      form,
      headers: { origin: "https://evil.test", "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate", accept: "text/html" },
      maxRedirects: 0,
    });
    expect(page.status()).toBe(403);
    expect(page.headers()["content-type"]).toContain("text/html");
    const html = await page.text();
    expect(html).toContain("<h1>Sign-in refused: the form came from another site</h1>");
    expect(html).toContain("https://evil.test");
    expect(html).toContain(`href="${E2E_BASE_URL}/sign-in"`);

    // An Origin on this address but another port is another site too.
    const otherPort = await api.post("/api/demo-sign-in", { form, headers: { origin: `http://127.0.0.1:${E2E_PORT + 7}` }, maxRedirects: 0 });
    expect(otherPort.status()).toBe(403);
    // An API client gets the same words as JSON.
    const json = await api.post("/api/demo-sign-in", { form, headers: { origin: "https://evil.test", accept: "application/json" }, maxRedirects: 0 });
    expect(json.status()).toBe(403);
    expect(await json.json()).toMatchObject({ error: { code: "forbidden", next: `${E2E_BASE_URL}/sign-in` } });
  } finally {
    await api.dispose();
  }
});

test("return addresses after sign-in stay on the site, however they are spelled", async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: E2E_BASE_URL });
  try {
    // next-auth's redirect after the sign-in link, with the callbackUrl swapped for a hostile one
    // (the token does not cover it): each lands on this site.
    for (const raw of HOSTILE_CALLBACKS) {
      const link = await demoLink(api, E2E_BASE_URL);
      const query = link.search.replace(/callbackUrl=[^&]*/, `callbackUrl=${raw}`);
      const response = await api.get(`${link.pathname}${query}`, { maxRedirects: 0 });
      expect(response.status(), raw).toBe(302);
      expect(destination(response.headers().location).origin, raw).toBe(E2E_BASE_URL);
    }

    // The same return address kept in next-auth's callback-url cookie (set by a sibling site on this
    // host, or by hand) and none in the query: still this site, never a 500.
    for (const raw of HOSTILE_CALLBACKS) {
      const link = await demoLink(api, E2E_BASE_URL);
      const query = link.search.replace(/&?callbackUrl=[^&]*/, "");
      const response = await api.get(`${link.pathname}${query}`, { maxRedirects: 0, headers: { cookie: `next-auth.callback-url=${raw}` } });
      expect(response.status(), raw).toBe(302);
      expect(destination(response.headers().location).origin, raw).toBe(E2E_BASE_URL);
    }

    // Signed in now: the sign-in page sends the person on at once (the 307 that went to /\evil.test).
    for (const raw of HOSTILE_CALLBACKS) {
      const response = await api.get(`/sign-in?callbackUrl=${raw}`, { maxRedirects: 0 });
      expect(response.status(), raw).toBe(307);
      const location = response.headers().location;
      expect(location, raw).not.toMatch(/^[\\/\s]{2}|^\/\s*[\\/]|^[a-z]+:/i);
      expect(destination(location).origin, raw).toBe(E2E_BASE_URL);
    }
    // The site's own paths still work.
    const own = await api.get(`/sign-in?callbackUrl=${encodeURIComponent("/wallet?tab=history")}`, { maxRedirects: 0 });
    expect(own.status()).toBe(307);
    expect(destination(own.headers().location).toString()).toBe(`${E2E_BASE_URL}/wallet?tab=history`);
  } finally {
    await api.dispose();
  }
});
