// Upload attacks over real HTTP (issue 10): oversized bodies, a claimed type
// that is not what the bytes are, zip and gzip bombs, and path traversal in
// file names. The designed behaviour (src/server/artifacts): the type comes
// from the bytes, never from the name or Content-Type; archives are stored as
// the bytes sent, never expanded; names are labels, never paths — the store
// only ever holds content-addressed files under its own directory.
import { readdirSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { crc32, deflateRawSync, gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalDiskStorage } from "../artifacts/storage";
import { checkDatabaseLedger } from "../ledger/check";
import { call, createWorld, dataSnapshot, PNG_BYTES, startHarness, TEST_SETTINGS, type Harness, type World } from "~/test/agent-api-harness";

let h: Harness;
let w: World;
let storeRoot: string;

beforeAll(async () => {
  h = await startHarness();
  w = await createWorld(h);
  storeRoot = (h.deps.storage as LocalDiskStorage).root;
});
afterAll(() => h.close());

function multipart(name: string, bytes: Uint8Array, type: string): FormData {
  const form = new FormData();
  form.set("file", new Blob([Buffer.from(bytes)], { type }), name);
  return form;
}

/** Every file under the store, relative to its root. */
function storeFiles(dir = storeRoot, prefix = ""): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    const rel = prefix ? `${prefix}/${entry}` : entry;
    return statSync(full).isDirectory() ? storeFiles(full, rel) : [rel];
  });
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** A one-entry .zip whose entry inflates to `inflatedBytes` zero bytes. */
function zipBomb(entryName: string, inflatedBytes: number): Uint8Array {
  const plain = Buffer.alloc(inflatedBytes);
  const compressed = deflateRawSync(plain, { level: 9 });
  const crc = crc32(plain);
  const name = Buffer.from(entryName, "utf8");
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0, 6);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc >>> 0, 14);
  local.writeUInt32LE(compressed.length, 18);
  local.writeUInt32LE(inflatedBytes, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc >>> 0, 16);
  central.writeUInt32LE(compressed.length, 20);
  central.writeUInt32LE(inflatedBytes, 24);
  central.writeUInt16LE(name.length, 28);
  const centralOffset = local.length + name.length + compressed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return new Uint8Array(Buffer.concat([local, name, compressed, central, name, end]));
}

describe("oversized uploads", () => {
  it("a multipart file over the limit is 413 and writes nothing", async () => {
    const before = await dataSnapshot(h);
    const filesBefore = storeFiles();
    const r = await call(h, w.key.key, "POST", "/artifacts", { body: multipart("big.png", new Uint8Array(TEST_SETTINGS.maxArtifactBytes + 1).fill(1), "image/png") });
    expect({ status: r.status, code: (r.body as { error: { code: string } }).error.code }).toEqual({ status: 413, code: "payload_too_large" });
    expect(await dataSnapshot(h)).toBe(before);
    expect(storeFiles()).toEqual(filesBefore);
  });

  it("a streamed body with no Content-Length is cut off at the limit: 413", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x41);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Far more than the limit (4 MB against 256 KB); the server stops reading long before.
        if (sent >= 4 * 1024 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${h.url}/api/agent/v1/artifacts`, {
      method: "POST",
      headers: { authorization: `Bearer ${w.key.key}`, "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit).catch((error: unknown) => ({ status: -1, error }));
    // Either the 413 arrives, or the server closes the connection on the unread rest: never a 2xx or 5xx.
    if (response instanceof Response) expect(response.status).toBe(413);
    expect(await h.tdb.db.artifact.count({ where: { agentId: w.agentId, sizeBytes: { gt: TEST_SETTINGS.maxArtifactBytes } } })).toBe(0);
  });

  it("a base64 payload decoding to more than the limit is 413", async () => {
    const r = await call(h, w.key.key, "POST", "/artifacts", { json: { name: "big.bin", content_base64: Buffer.alloc(TEST_SETTINGS.maxArtifactBytes + 10, 7).toString("base64") } });
    expect(r.status).toBe(413);
  });
});

describe("claimed type versus bytes", () => {
  const cases: { name: string; claimed: string; fileName: string; bytes: Uint8Array; recorded: { kind: string; mime_type: string } }[] = [
    { name: "text claimed as PNG", claimed: "image/png", fileName: "logo.png", bytes: new TextEncoder().encode("just some words"), recorded: { kind: "file", mime_type: "text/plain" } },
    { name: "HTML claimed as PNG", claimed: "image/png", fileName: "logo.png", bytes: new TextEncoder().encode("<html><script>alert(1)</script></html>"), recorded: { kind: "file", mime_type: "text/plain" } },
    { name: "PNG claimed as PDF", claimed: "application/pdf", fileName: "report.pdf", bytes: PNG_BYTES, recorded: { kind: "image", mime_type: "image/png" } },
    { name: "JSON claimed as audio", claimed: "audio/wav", fileName: "clip.wav", bytes: new TextEncoder().encode('{"a":1}'), recorded: { kind: "file", mime_type: "application/json" } },
    { name: "SVG with a script claimed as PNG", claimed: "image/png", fileName: "x.png", bytes: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), recorded: { kind: "image", mime_type: "image/svg+xml" } },
    { name: "random binary claimed as JPEG", claimed: "image/jpeg", fileName: "photo.jpg", bytes: new Uint8Array([0x00, 0xff, 0x10, 0x80, 0x00, 0x01, 0xfe]), recorded: { kind: "file", mime_type: "application/octet-stream" } },
  ];
  it.each(cases.map((c) => [c.name, c] as const))("%s: recorded as what the bytes are", async (_n, c) => {
    const r = await call(h, w.key.key, "POST", "/artifacts", { body: multipart(c.fileName, c.bytes, c.claimed) });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ ...c.recorded, size: c.bytes.byteLength, sha256: sha256(c.bytes), name: c.fileName });
    // A delivery contract for PNG images is not met by a renamed file.
    const { url } = r.body as { url: string };
    const download = await call(h, w.key.key, "GET", url.replace(/^.*\/api\/agent\/v1/, ""));
    expect(download.headers.get("content-type")).toBe(c.recorded.mime_type);
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("archive bombs", () => {
  it("a 64 MB-inflating .zip is stored as the small archive it is, never expanded", async () => {
    const bomb = zipBomb("[Content_Types].xml", 64 * 1024 * 1024);
    expect(bomb.byteLength).toBeLessThan(TEST_SETTINGS.maxArtifactBytes);
    const r = await call(h, w.key.key, "POST", "/artifacts", { body: multipart("bomb.zip", bomb, "application/zip") });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: "file", mime_type: "application/zip", size: bomb.byteLength, sha256: sha256(bomb) });
    // The store holds exactly the archive's bytes under its hash, nothing inflated beside it.
    const stored = storeFiles().filter((f) => f.endsWith(sha256(bomb)));
    expect(stored).toHaveLength(1);
    expect(statSync(path.join(storeRoot, stored[0] as string)).size).toBe(bomb.byteLength);
    expect(storeFiles().every((f) => statSync(path.join(storeRoot, f)).size <= TEST_SETTINGS.maxArtifactBytes)).toBe(true);
  });

  it("a zip bomb named mimetype (the entry type detection reads) is typed without inflating it", async () => {
    const bomb = zipBomb("mimetype", 32 * 1024 * 1024);
    const r = await call(h, w.key.key, "POST", "/artifacts", { json: { name: "book.epub", content_base64: Buffer.from(bomb).toString("base64") } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ size: bomb.byteLength });
  });

  it("a 64 MB-inflating .gz is stored as sent", async () => {
    const bomb = new Uint8Array(gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }));
    const r = await call(h, w.key.key, "POST", "/artifacts", { body: multipart("data.gz", bomb, "application/gzip") });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ mime_type: "application/gzip", size: bomb.byteLength, sha256: sha256(bomb) });
  });
});

describe("path traversal in file names", () => {
  const NAMES: [string, string][] = [
    ["../../etc/passwd", "passwd"],
    ["/etc/passwd", "passwd"],
    ["..\\..\\windows\\win.ini", "win.ini"],
    ["....//....//tmp/holdfast-pwned", "holdfast-pwned"],
    ["../", "artifact"],
    ["..", "artifact"],
    ["logo\u0000.png", "logo.png"],
    ["a/b/c/\u001b[31mred.png", "[31mred.png"],
  ];

  // A JSON name holding an ESC is refused before upload (control characters in text, src/server/nul-text.ts);
  // a multipart file name is not JSON text and is cleaned instead (the next case).
  it.each(NAMES.filter(([name]) => !name.includes("\u001b")))("%j via base64 JSON: stored under its hash, named %j", async (name, recorded) => {
    const bytes = new TextEncoder().encode(`payload for ${recorded} ${Math.random()}`);
    const r = await call(h, w.key.key, "POST", "/artifacts", { json: { name: name.replace("\u0000", ""), content_base64: Buffer.from(bytes).toString("base64") } });
    expect(r.status).toBe(201);
    expect((r.body as { name: string }).name).toBe(name.includes("\u0000") ? "logo.png" : recorded);
  });

  it.each(NAMES)("%j via a multipart file name: never a path", async (name) => {
    const bytes = new TextEncoder().encode(`multipart payload ${Math.random()}`);
    const r = await call(h, w.key.key, "POST", "/artifacts", { body: multipart(name, bytes, "text/plain") });
    expect(r.status).toBeLessThan(500);
    if (r.status === 201) {
      const recorded = (r.body as { name: string }).name;
      expect(recorded).not.toMatch(/[/\\\u0000-\u001f]/);
      expect(recorded).not.toBe("..");
    }
  });

  it("a NUL in a JSON name is refused", async () => {
    const r = await call(h, w.key.key, "POST", "/artifacts", { json: { name: "logo\u0000.png", content_base64: Buffer.from(PNG_BYTES).toString("base64") } });
    expect(r.status).toBe(400);
  });

  it("the store holds only content-addressed files, and nothing appeared outside it", () => {
    for (const file of storeFiles()) expect(file).toMatch(/^sha256\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    const outside = readdirSync(path.dirname(storeRoot)).filter((f) => /passwd|win\.ini|holdfast-pwned|red\.png/.test(f));
    expect(outside).toEqual([]);
    expect(readdirSync(os.tmpdir()).filter((f) => f === "holdfast-pwned")).toEqual([]);
  });

  it("downloads name the file safely (RFC 5987, no header injection)", async () => {
    const bytes = new TextEncoder().encode("hello");
    const r = await call(h, w.key.key, "POST", "/artifacts", { json: { name: 'evil";\r\nSet-Cookie: x=1.txt', content_base64: Buffer.from(bytes).toString("base64") } });
    expect(r.status).toBe(201);
    const download = await call(h, w.key.key, "GET", `/artifacts/${(r.body as { id: string }).id}/content`);
    expect(download.headers.get("set-cookie")).toBeNull();
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename\*=UTF-8''[^\s";]+$/);
  });

  it("the ledger is untouched by all of it", async () => {
    expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);
  });
});

// Round three (issue 16 variants): two `file` parts (or two `name` fields) stored the first and
// answered 201, silently dropping the other.
describe("repeated multipart fields", () => {
  it("two `file` parts or two `name` fields: 400 naming the field, nothing stored", async () => {
    const before = await dataSnapshot(h);
    const twoFiles = new FormData();
    twoFiles.append("file", new Blob([Buffer.from(PNG_BYTES)], { type: "image/png" }), "one.png");
    twoFiles.append("file", new Blob([Buffer.from("second")], { type: "text/plain" }), "two.txt");
    const files = await call(h, w.key.key, "POST", "/artifacts", { body: twoFiles });
    expect(files.status).toBe(400);
    expect(files.body).toMatchObject({ error: { code: "validation_error", message: expect.stringContaining("2 `file` parts") as unknown } });
    const twoNames = new FormData();
    twoNames.append("file", new Blob([Buffer.from(PNG_BYTES)], { type: "image/png" }), "one.png");
    twoNames.append("name", "a.png");
    twoNames.append("name", "b.png");
    const names = await call(h, w.key.key, "POST", "/artifacts", { body: twoNames });
    expect(names.status).toBe(400);
    expect(names.body).toMatchObject({ error: { code: "validation_error", message: expect.stringContaining("`name`") as unknown } });
    expect(await dataSnapshot(h)).toBe(before);
  });
});
