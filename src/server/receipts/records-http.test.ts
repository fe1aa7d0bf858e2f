// Receipts in webhooks, and the records people download (issue 18) over real HTTP: the customer's receipt
// file and evidence bundle, the moderator's bundle (with the owner's instructions) verified offline by
// `npm run receipts:verify`, and nothing for anyone else.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyEvidenceBundle, verifyReceiptChain, type Escrow } from "~/client";
import { call, createWorld, PNG_BYTES, startHarness, type Harness, type World } from "~/test/agent-api-harness";
import { createUser } from "~/test/users";
import type { SessionUser } from "../auth/session-user";
import { serveFetchHandler } from "../agent-api/node-server";
import { newId } from "../ids";
import { deliverDueWebhooks, newWebhookSecret } from "../webhooks/relay";
import { escrowDownloadResponse } from "./downloads";
import type { EvidenceBundle } from "./evidence";
import { jwksResponse } from "./jwks-route";
import { generateReceiptJwk, keysetFromJwks, publicJwks, useReceiptKeyset, type ReceiptKeyset } from "./keys";

const run = promisify(execFile);

let h: Harness;
let keyset: ReceiptKeyset;
let web: { url: string; close(): Promise<void> };
let dir: string;
/** Who is signed in, per request (the session cookie's resolution is auth's own tested concern). */
const people = new Map<string, SessionUser>();

beforeAll(async () => {
  h = await startHarness();
  keyset = await keysetFromJwks([await generateReceiptJwk("records-1")]);
  useReceiptKeyset(keyset);
  dir = mkdtempSync(path.join(os.tmpdir(), "holdfast-records-"));
  web = await serveFetchHandler(async (request) => {
    const url = new URL(request.url);
    if (url.pathname === "/.well-known/jwks.json") return jwksResponse();
    const match = /^\/api\/escrows\/([^/]+)\/(receipts|evidence)$/.exec(url.pathname);
    if (!match) return new Response("no", { status: 404 });
    const user = people.get(request.headers.get("x-test-person") ?? "") ?? null;
    return escrowDownloadResponse(request, h.tdb.db, user, decodeURIComponent(match[1]!), match[2] as "receipts" | "evidence", h.deps.storage);
  });
});
afterAll(async () => {
  await web.close();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

async function deliveredEscrow(w: World): Promise<Escrow> {
  const offer = await w.client.createEscrow({ conversation_id: w.conversationId, title: "Logo design", amount: 2_500, currency: "USD", service_id: w.serviceId });
  await w.customerApi.escrow.accept({ escrowId: offer.id });
  const artifact = await w.client.uploadFile({ name: "logo.png", bytes: PNG_BYTES, contentType: "image/png" });
  await w.client.sendMessage(w.conversationId, { text: "Here is your logo.", artifact_ids: [artifact.id], escrow_id: offer.id });
  return w.client.complete(offer.reference_code);
}

async function download(person: SessionUser | null, ref: string, what: "receipts" | "evidence") {
  const key = person ? `person-${people.size + 1}` : "";
  if (person) people.set(key, person);
  const response = await fetch(`${web.url}/api/escrows/${encodeURIComponent(ref)}/${what}`, { headers: { "x-test-person": key } });
  const text = await response.text();
  return { status: response.status, disposition: response.headers.get("content-disposition"), text };
}

async function verifyCli(file: string, jwks?: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/receipts-verify.ts", file, ...(jwks ? ["--jwks", jwks] : [])]);
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, out: e.stderr };
  }
}

describe("webhooks carry the receipt of their event", () => {
  it("an escrow event's webhook body has its receipt, which verifies in the chain", async () => {
    const w = await createWorld(h);
    const secret = newWebhookSecret();
    const bodies: string[] = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        bodies.push(Buffer.concat(chunks).toString("utf8"));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      await h.tdb.db.agent.update({ where: { id: w.agentId }, data: { webhookUrl: url, webhookSecret: secret } });
      const escrow = await deliveredEscrow(w);
      await deliverDueWebhooks(h.tdb.db, { policy: { allowedHosts: ["127.0.0.1"], requireHttps: false } });
      const events = bodies.map((b) => JSON.parse(b) as { type: string; receipt?: { seq: number; jws: string; payload: { state: string } } });
      const byType = Object.fromEntries(events.map((e) => [e.type, e]));
      expect(byType["escrow.funded"]?.receipt?.payload.state).toBe("active");
      expect(byType["escrow.delivered"]?.receipt?.payload).toMatchObject({ state: "delivered", command: "complete", escrow_id: escrow.id });
      const chain = (await w.client.getReceipts(escrow.id)).receipts;
      expect(chain.find((r) => r.seq === byType["escrow.delivered"]!.receipt!.seq)?.jws).toBe(byType["escrow.delivered"]!.receipt!.jws);
      expect(await verifyReceiptChain(chain, publicJwks(keyset))).toMatchObject({ ok: true });
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

describe("downloads", () => {
  it("the customer downloads the receipt file; the CLI verifies it against the published JWKS and refuses a tampered copy", async () => {
    const w = await createWorld(h);
    const escrow = await deliveredEscrow(w);
    const got = await download(w.customer, escrow.reference_code, "receipts");
    expect(got.status).toBe(200);
    expect(got.disposition).toContain(`holdfast-receipts-${escrow.reference_code}.json`);
    const file = JSON.parse(got.text) as { receipts: { payload: { amount: number } }[] };
    expect(file.receipts).toHaveLength(3);
    const good = path.join(dir, `receipt-${escrow.id}.json`);
    writeFileSync(good, got.text);
    const ok = await verifyCli(good, `${web.url}/.well-known/jwks.json`);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toContain("OK");
    file.receipts[1]!.payload.amount = 1;
    const bad = path.join(dir, `tampered-${escrow.id}.json`);
    writeFileSync(bad, JSON.stringify(file));
    const refused = await verifyCli(bad, `${web.url}/.well-known/jwks.json`);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain("receipt 2: its payload differs from the signed payload");
  }, 60_000);

  it("a moderator's bundle has the owner's instructions and verifies offline with the CLI; a party's has none", async () => {
    const w = await createWorld(h);
    const escrow = await deliveredEscrow(w);
    await h.tdb.db.message.create({
      data: { id: newId("msg"), conversationId: w.conversationId, role: "owner", trusted: true, text: "Offer them a second draft for free." },
    });
    const moderator = await createUser(h.tdb.db, "admin", "Mo Moderator");
    const got = await download(moderator, escrow.id, "evidence");
    expect(got.status).toBe(200);
    const bundle = JSON.parse(got.text) as EvidenceBundle;
    expect(bundle.owner_instructions?.map((i) => i.text)).toEqual(["Offer them a second draft for free."]);
    expect(bundle.artifacts).toEqual([expect.objectContaining({ size_bytes: PNG_BYTES.length, content_base64: Buffer.from(PNG_BYTES).toString("base64") })]);
    expect(bundle.timeline.map((t) => t.to)).toEqual(["pending", "active", "delivered"]);
    expect(bundle.ledger.map((l) => [l.kind, l.amount])).toContainEqual(["fund", 2_500]);
    expect(bundle.receipts).toHaveLength(3);
    const file = path.join(dir, `bundle-${escrow.id}.json`);
    writeFileSync(file, got.text);
    expect(await verifyCli(file, `${web.url}/.well-known/jwks.json`)).toMatchObject({ code: 0 });

    // An artifact whose bytes were swapped fails, so do bundles whose hash list was edited.
    const swapped = { ...bundle, artifacts: bundle.artifacts.map((a) => ({ ...a, content_base64: Buffer.from("not the logo").toString("base64") })) };
    expect(await verifyEvidenceBundle(swapped, publicJwks(keyset))).toMatchObject({ ok: false });
    const rehashed = { ...bundle, artifacts: bundle.artifacts.map((a) => ({ ...a, sha256: "0".repeat(64), content_base64: null })) };
    expect(await verifyEvidenceBundle(rehashed, publicJwks(keyset))).toMatchObject({ ok: false, reason: expect.stringContaining("differs from receipt") });
    const tamperedFile = path.join(dir, `bundle-bad-${escrow.id}.json`);
    writeFileSync(tamperedFile, JSON.stringify(swapped));
    expect((await verifyCli(tamperedFile)).code).toBe(1);

    const party = JSON.parse((await download(w.customer, escrow.id, "evidence")).text) as EvidenceBundle;
    expect(party.owner_instructions).toBeUndefined();
    expect(party.transcript.some((m) => m.role === "owner")).toBe(false);
    expect(got.text).toContain("Offer them a second draft");
    expect(JSON.stringify(party)).not.toContain("Offer them a second draft");
    expect(await verifyEvidenceBundle(party, publicJwks(keyset))).toMatchObject({ ok: true });
  }, 60_000);

  it("nobody else gets another's receipts or bundle: 404 alike for another customer, 401 signed out, 404 on the agent API", async () => {
    const w = await createWorld(h);
    const other = await createWorld(h);
    const escrow = await deliveredEscrow(w);
    for (const what of ["receipts", "evidence"] as const) {
      for (const ref of [escrow.id, escrow.reference_code]) {
        const stranger = await download(other.customer, ref, what);
        expect(stranger.status).toBe(404);
        expect(stranger.text).not.toContain(escrow.id);
        expect(stranger.text).not.toContain("jws");
        expect((await download(other.owner, ref, what)).status).toBe(404);
        expect((await download(null, ref, what)).status).toBe(401);
      }
      expect((await download(other.customer, "esc_nope", what)).status).toBe(404);
      const viaApi = await call(h, other.key.key, "GET", `/escrows/${escrow.id}/${what}`);
      expect(viaApi.status).toBe(404);
      expect(JSON.stringify(viaApi.body)).not.toContain("transcript");
    }
    // The parties themselves may.
    expect((await download(w.owner, escrow.id, "evidence")).status).toBe(200);
    const own = await call(h, w.key.key, "GET", `/escrows/${escrow.reference_code}/evidence`);
    expect(own.status).toBe(200);
    expect(await verifyEvidenceBundle(own.body as EvidenceBundle, publicJwks(keyset))).toMatchObject({ ok: true });
    expect((own.body as EvidenceBundle).owner_instructions).toBeUndefined();
  }, 60_000);
});
