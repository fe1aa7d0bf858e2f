// The webhook-target rule on its own: every spelling of an internal address the URL parser accepts is
// refused, public ones pass, and the allow-list opens exactly what it lists.
import { describe, expect, it } from "vitest";
import { checkResolvedAddress, checkWebhookUrl, type WebhookTargetPolicy } from "./webhook-target";

const open: WebhookTargetPolicy = { allowedHosts: [], requireHttps: false };
const production: WebhookTargetPolicy = { allowedHosts: [], requireHttps: true };

const REFUSED_WEBHOOK_URLS = [
  "http://127.0.0.1:8080/hook",
  "http://127.1/hook",
  "http://2130706433/hook",
  "http://0x7f.1/hook",
  "http://0x7f000001/hook",
  "http://017700000001/hook",
  "http://0177.0.0.1/hook",
  "http://localhost:3000/hook",
  "http://LOCALHOST./hook",
  "http://api.localhost/hook",
  "http://[::1]/hook",
  "http://[::]/hook",
  "http://0.0.0.0/hook",
  "http://0/hook",
  "http://10.0.0.5/hook",
  "http://172.16.3.4/hook",
  "http://192.168.1.1/hook",
  "http://169.254.169.254/latest/meta-data/",
  "http://100.64.0.1/hook",
  "http://[fe80::1]/hook",
  "http://[fc00::1]/hook",
  "http://[fd12:3456::1]/hook",
  "http://[::ffff:127.0.0.1]/hook",
  "http://[::ffff:7f00:1]/hook",
  "http://[64:ff9b::7f00:1]/hook",
  // IPv6 outside 2000::/3 that ipaddr.js has no name for (it called them "unicast"): round three.
  "http://[::127.0.0.1]/hook",
  "http://[::a00:1]/hook",
  "http://[1::1]/hook",
  "http://[4000::1]/hook",
  "http://224.0.0.1/hook",
  "http://[ff02::1]/hook",
  "http://255.255.255.255/hook",
  "http://240.0.0.1/hook",
  "http://192.0.2.1/hook",
  "http://metadata.google.internal/computeMetadata/v1/",
  "http://intranet/hook",
  "https://user:pw@hooks.example.com/hook",
  "https://user@hooks.example.com/hook",
  "ftp://hooks.example.com/hook",
  "file:///etc/passwd",
  "not a url",
];

describe("webhook target policy", () => {
  it.each(REFUSED_WEBHOOK_URLS)("refuses %s", (url) => {
    expect(checkWebhookUrl(url, open).ok).toBe(false);
  });

  it("accepts public hosts and addresses", () => {
    expect(checkWebhookUrl("https://hooks.example.com/x", production)).toMatchObject({ ok: true, hostname: "hooks.example.com", literalAddress: null });
    expect(checkWebhookUrl("http://93.184.216.34/x", open)).toMatchObject({ ok: true, literalAddress: "93.184.216.34" });
    expect(checkWebhookUrl("https://[2606:4700::1111]/x", open)).toMatchObject({ ok: true });
  });

  it("requires https in production", () => {
    expect(checkWebhookUrl("http://hooks.example.com/x", production)).toMatchObject({ ok: false, reason: "must use https" });
  });

  it("opens only what the allow-list names", () => {
    const allow: WebhookTargetPolicy = { allowedHosts: ["127.0.0.1", "10.1.0.0/16", "hooks.internal"], requireHttps: false };
    expect(checkWebhookUrl("http://127.0.0.1:9000/x", allow).ok).toBe(true);
    expect(checkWebhookUrl("http://2130706433:9000/x", allow).ok).toBe(true); // the same address, spelled otherwise
    expect(checkWebhookUrl("http://127.0.0.2/x", allow).ok).toBe(false);
    expect(checkWebhookUrl("http://10.1.2.3/x", allow).ok).toBe(true);
    expect(checkWebhookUrl("http://10.2.0.1/x", allow).ok).toBe(false);
    expect(checkWebhookUrl("http://hooks.internal/x", allow).ok).toBe(true);
    expect(checkWebhookUrl("http://user:pw@127.0.0.1/x", allow).ok).toBe(false); // credentials never
    expect(checkResolvedAddress(allow, "hooks.internal", "10.9.9.9")).toBeNull();
    expect(checkResolvedAddress(allow, "other.example", "10.9.9.9")).toMatch(/private/);
  });

  it("checks resolved addresses in every family", () => {
    expect(checkResolvedAddress(open, "a.example", "127.0.0.1")).toMatch(/loopback/);
    expect(checkResolvedAddress(open, "a.example", "::ffff:10.0.0.1")).toMatch(/ipv4Mapped/);
    expect(checkResolvedAddress(open, "a.example", "fe80::1")).toMatch(/linkLocal/);
    expect(checkResolvedAddress(open, "a.example", "::7f00:1")).toBe("a.example resolves to ::7f00:1 is a reserved address (outside 2000::/3)");
    expect(checkResolvedAddress(open, "a.example", "2606:4700::1111")).toBeNull();
    expect(checkResolvedAddress(open, "a.example", "93.184.216.34")).toBeNull();
  });
});

describe("webhook target policy, the exact answers", () => {
  it("gives the owner the reason for each refusal", () => {
    expect(checkWebhookUrl("not a url", open)).toEqual({ ok: false, reason: "a full http(s) URL" });
    expect(checkWebhookUrl("ftp://hooks.example.com/x", open)).toEqual({ ok: false, reason: "a full http(s) URL" });
    expect(checkWebhookUrl("https://user@hooks.example.com/x", open)).toEqual({ ok: false, reason: "must not carry a user name or password" });
    expect(checkWebhookUrl("https://:pw@hooks.example.com/x", open)).toEqual({ ok: false, reason: "must not carry a user name or password" });
    expect(checkWebhookUrl("http://10.0.0.5/x", open)).toEqual({ ok: false, reason: "must be a public address (10.0.0.5 is a private address)" });
    expect(checkWebhookUrl("http://LocalHost./x", open)).toEqual({ ok: false, reason: "must be a public host name (localhost is local)" });
    expect(checkWebhookUrl("http://intranet/x", open)).toEqual({ ok: false, reason: "must be a public host name (intranet is local)" });
  });

  it("accepts https in production and trims what the owner pasted", () => {
    const verdict = checkWebhookUrl("  https://Hooks.Example.com./x  ", production);
    expect(verdict).toMatchObject({ ok: true, hostname: "hooks.example.com", literalAddress: null });
    expect(verdict.ok && verdict.url.href).toBe("https://hooks.example.com./x");
  });

  it("answers a public IPv6 literal in its short form", () => {
    expect(checkWebhookUrl("https://[2606:4700:0:0:0:0:0:1111]/x", open)).toMatchObject({
      ok: true,
      hostname: "2606:4700::1111",
      literalAddress: "2606:4700::1111",
    });
  });

  it("treats only whole local labels as local: names that merely contain them are public", () => {
    for (const url of [
      "http://x.notlocalhost/x",
      "http://hooks.localhost.example.com/x",
      "http://hooks.internal.example/x",
      "http://x.nothome.arpa/x",
      "http://x.homexarpa/x",
      "http://mylocal.example/x",
    ]) {
      expect(checkWebhookUrl(url, open), url).toMatchObject({ ok: true });
    }
    for (const url of ["http://a.local/x", "http://b.home.arpa/x", "http://c.localdomain/x", "http://localdomain/x", "http://internal/x"]) {
      expect(checkWebhookUrl(url, open).ok, url).toBe(false);
    }
  });

  it("reads allow-list entries case- and space-insensitively, skipping blanks", () => {
    const allow: WebhookTargetPolicy = { allowedHosts: ["", "  ", " Hooks.Internal ", " 10.1.0.0/16 "], requireHttps: false };
    expect(checkWebhookUrl("http://hooks.internal/x", allow).ok).toBe(true);
    expect(checkWebhookUrl("http://HOOKS.INTERNAL./x", allow).ok).toBe(true);
    expect(checkWebhookUrl("http://10.1.200.1/x", allow).ok).toBe(true);
    expect(checkWebhookUrl("http://other.internal/x", allow).ok).toBe(false);
  });

  it("matches an allowed range only against addresses of its own family", () => {
    const allow: WebhookTargetPolicy = { allowedHosts: ["10.0.0.0/8", "fd00::/8", "::1"], requireHttps: false };
    expect(checkResolvedAddress(allow, "a.example", "fe80::1")).toBe("a.example resolves to fe80::1 is a linkLocal address");
    expect(checkResolvedAddress(allow, "a.example", "fd12::1")).toBeNull();
    expect(checkResolvedAddress(allow, "a.example", "[::1]")).toBeNull();
    expect(checkResolvedAddress(allow, "a.example", "0:0:0:0:0:0:0:1")).toBeNull();
    expect(checkResolvedAddress(allow, "a.example", "127.0.0.1")).toBe("a.example resolves to 127.0.0.1 is a loopback address");
    expect(checkResolvedAddress(allow, "a.example", "192.168.0.1")).toMatch(/private/);
    // a bare address entry is not a range
    expect(checkResolvedAddress({ allowedHosts: ["10.0.0.1"], requireHttps: false }, "a.example", "10.0.0.2")).toMatch(/private/);
    expect(checkResolvedAddress({ allowedHosts: ["not/a-cidr"], requireHttps: false }, "a.example", "10.0.0.2")).toMatch(/private/);
  });

  it("names the host as the owner knows it when a resolved address is refused", () => {
    expect(checkResolvedAddress(open, "HOOKS.Example.", "10.0.0.1")).toBe("hooks.example resolves to 10.0.0.1 is a private address");
    expect(checkResolvedAddress(open, "a.example", "not-an-ip")).toBe('a.example resolves to "not-an-ip" is not an IP address');
    // an allow-listed host name opens every address it resolves to
    expect(checkResolvedAddress({ allowedHosts: ["a.example"], requireHttps: false }, "A.Example", "10.0.0.1")).toBeNull();
  });
});
