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
    expect(checkResolvedAddress(open, "a.example", "93.184.216.34")).toBeNull();
  });
});
