// Hostile addresses against the running production build (issue 16, round two): every page and every
// GET route, found from src/app itself so a new one is covered the day it lands, is requested by a
// visitor, a customer, an owner and a moderator with hostile path segments (an encoded NUL or control
// character, a malformed escape, prototype names) and hostile query strings (a NUL, `toString`,
// `__proto__`, repeated names). None may answer 5xx. Each of these was a 500 on the old code:
// `/market?q=a%00` (the NUL reached PostgreSQL through the page's tRPC call), `/api/artifacts/%00`
// and `/api/escrows/%00/receipts` (the NUL reached it as an id), `/sign-in/error?error=toString` (a
// prototype member rendered as the message), and a sign-in email holding a NUL.
import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { contextAs, type Role } from "./fixtures/roles";
import { mailboxForThisFile } from "./fixtures/mailbox";

const mailbox = mailboxForThisFile();

/** Every page and route under src/app, as a path with its dynamic segments marked. */
function appPaths(kind: "page.tsx" | "route.ts"): string[][] {
  const root = path.resolve("src/app");
  const found: string[][] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), [...segments, entry.name]);
      else if (entry.name === kind) found.push(segments.filter((s) => !/^\(.*\)$/.test(s))); // route groups are not in the URL
    }
  };
  walk(root, []);
  return found;
}

const HOSTILE_SEGMENTS = ["%00", "a%00b", "%0A", "%ZZ", "__proto__", "constructor", "toString", "x".repeat(3000)];
const HOSTILE_VALUES = ["a%00b", "%00", "toString", "__proto__", "constructor", "%ZZ", "%E0%A4%A", "x".repeat(3000)];
// The names pages and routes read (market q, sign-in callbackUrl and error, audit filters, become-owner's
// refused, artifacts' download) and names nobody reads.
const QUERY_NAMES = ["q", "error", "callbackUrl", "action", "moderator", "target", "refused", "download", "page", "cursor", "__proto__"];

function withSegment(segments: string[], value: string): string {
  return "/" + segments.map((s) => (/^\[.*\]$/.test(s) ? value : s)).join("/");
}

async function expectNo5xx(request: APIRequestContext, urls: string[], role: Role) {
  const failures: string[] = [];
  for (const url of urls) {
    const response = await request.get(url, { maxRedirects: 0 });
    if (response.status() >= 500) failures.push(`${response.status()} ${url.slice(0, 160)}`);
  }
  expect(failures, `as ${role}`).toEqual([]);
}

for (const role of ["visitor", "customer", "owner", "moderator"] as const) {
  test(`no page or GET route answers 5xx to a hostile address (${role})`, async ({ browser }) => {
    test.setTimeout(240_000);
    const { context } = await contextAs(browser, role, "desktop");
    const pages = appPaths("page.tsx");
    // Their GETs (POST bodies have their own tests: body caps, hostile input, NUL text). Inngest's endpoint
    // answers 503 not_configured by design when no Inngest is configured (src/app/api/inngest/route.test.ts).
    const routes = appPaths("route.ts").filter((segments) => segments.join("/") !== "api/inngest");
    expect(pages.length).toBeGreaterThan(20);

    const urls: string[] = [];
    for (const segments of [...pages, ...routes]) {
      const dynamic = segments.some((s) => s.startsWith("["));
      if (dynamic) for (const value of HOSTILE_SEGMENTS) urls.push(withSegment(segments, value));
      else for (const value of HOSTILE_VALUES) urls.push(`/${segments.join("/")}?${QUERY_NAMES.map((n) => `${n}=${value}`).join("&")}`);
    }
    urls.push("/market?q=a&q=b%00", "/admin/audit?target=a&target=%00", "/sign-in/error?error=EmailSignin&error=toString");
    await expectNo5xx(context.request, urls, role);
    await context.close();
  });
}

test("a sign-in address with a NUL, a control or an invisible character is refused, and nothing is mailed", async ({ request }) => {
  const csrfToken = async () => ((await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
  const signIn = async (email: string) =>
    request.post("/api/auth/signin/email", { form: { csrfToken: await csrfToken(), email, callbackUrl: "/" }, maxRedirects: 0 });
  const tag = Date.now();
  for (const email of [`a\u0000b-${tag}@example.com`, `nul-${tag}@example.com\u0000`, `cr-${tag}\r\n@example.com`, `ctl\u0001-${tag}@example.com`, `\u200b@x-${tag}.com`, `ip-${tag}@[127.0.0.1]`]) {
    const response = await signIn(email);
    expect(response.status(), JSON.stringify(email)).toBe(302);
    expect(response.headers().location, JSON.stringify(email)).toContain("error=EmailSignin");
  }
  // The page it lands on says what to do.
  const errorPage = await request.get("/sign-in/error?error=EmailSignin");
  expect(await errorPage.text()).toContain("Check the address");
  // A plain address in the same run is mailed (the refusals above were not a broken mailer).
  const fine = await signIn(`fine-${tag}@example.com`);
  expect(fine.headers().location).toContain("verify-request");
  await mailbox.mailTo(`fine-${tag}@example.com`);
  expect(mailbox.received.flatMap((m) => m.to).filter((to) => to.includes(String(tag)))).toEqual([`fine-${tag}@example.com`]);
});
