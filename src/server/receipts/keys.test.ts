// The receipt keyset from configuration (issue 18): HOLDFAST_RECEIPT_KEYS (the newest key signs), a demo's
// key generated once and kept in the data directory across restarts, production refusing to run without keys,
// and malformed settings refused with the reason.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateReceiptJwk, loadReceiptKeyset, publicJwks, signingKey } from "./keys";

const dir = mkdtempSync(path.join(os.tmpdir(), "holdfast-keys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("receipt keys", () => {
  it("HOLDFAST_RECEIPT_KEYS: every key is published, the last one signs", async () => {
    const k1 = await generateReceiptJwk("2026-01");
    const k2 = await generateReceiptJwk("2026-06");
    const keyset = await loadReceiptKeyset({ HOLDFAST_RECEIPT_KEYS: JSON.stringify({ keys: [k1, k2] }), NODE_ENV: "production" }, dir);
    expect(signingKey(keyset).kid).toBe("2026-06");
    expect(publicJwks(keyset).keys.map((k) => k.kid)).toEqual(["2026-01", "2026-06"]);
    expect(JSON.stringify(publicJwks(keyset))).not.toContain(k1.d!);
  });

  it("a demo generates one key in the data directory and reuses it after a restart", async () => {
    const demoDir = path.join(dir, "demo");
    const first = await loadReceiptKeyset({ HOLDFAST_DEMO: "1", NODE_ENV: "production" }, demoDir);
    const file = path.join(demoDir, "receipt-keys.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await loadReceiptKeyset({ HOLDFAST_DEMO: "1", NODE_ENV: "production" }, demoDir);
    expect(publicJwks(again)).toEqual(publicJwks(first));
    expect(JSON.parse(readFileSync(file, "utf8")).keys).toHaveLength(1);
  });

  it("production without keys, and malformed settings, are refused with the reason", async () => {
    await expect(loadReceiptKeyset({ NODE_ENV: "production" }, path.join(dir, "prod"))).rejects.toThrow(/HOLDFAST_RECEIPT_KEYS is required in production/);
    await expect(loadReceiptKeyset({ HOLDFAST_RECEIPT_KEYS: "not json" }, dir)).rejects.toThrow(/not JSON/);
    const k = await generateReceiptJwk("a");
    const { d: _private, ...publicOnly } = k;
    await expect(loadReceiptKeyset({ HOLDFAST_RECEIPT_KEYS: JSON.stringify([publicOnly]) }, dir)).rejects.toThrow(/not an Ed25519 private JWK/);
    await expect(loadReceiptKeyset({ HOLDFAST_RECEIPT_KEYS: JSON.stringify([{ ...k, kid: undefined }]) }, dir)).rejects.toThrow(/no kid/);
    await expect(loadReceiptKeyset({ HOLDFAST_RECEIPT_KEYS: JSON.stringify([k, k]) }, dir)).rejects.toThrow(/appears twice/);
  });
});
