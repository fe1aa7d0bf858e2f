// A customer's files for the moderator, over HTTP as the browser sends them: uploaded with
// POST /api/case-files while the case waits in admin_review, sent with a statement
// (escrow.addStatement's artifactIds), then readable by the customer, the seller's owner and moderators
// and by nobody else. Every refusal is a 4xx with nothing written.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEscrowCommand } from "~/server/escrow/run-command";
import { MAX_UNSENT_CASE_FILES } from "~/server/moderation/case-files";
import { ELF_BYTES, PNG_BYTES } from "~/test/agent-api-harness";
import { createParties, deliveredEscrow, testClock, testContext } from "~/test/engine-fixtures";
import { openTrpcRoute, SAME_ORIGIN_HEADERS, TRPC_BASE_URL, type TrpcRoute } from "~/test/trpc-route";
import { createUser } from "~/test/users";

type Handler = (request: Request, context?: unknown) => Promise<Response>;

let route: TrpcRoute;
let artifactDir: string;
let upload: Handler;
let download: (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>;

beforeAll(async () => {
  route = await openTrpcRoute();
  artifactDir = await mkdtemp(path.join(tmpdir(), "holdfast-case-files-"));
  process.env.HOLDFAST_ARTIFACT_DIR = artifactDir;
  upload = (await import("./route")).POST as Handler;
  download = (await import("../artifacts/[id]/route")).GET;
});
afterAll(async () => {
  await route.close();
  await rm(artifactDir, { recursive: true, force: true });
});

const cookie = (token: string) => `next-auth.session-token=${token}`;

async function sendFile(token: string | null, escrowId: string, bytes: Uint8Array, headers: Record<string, string> = SAME_ORIGIN_HEADERS) {
  const form = new FormData();
  form.set("escrowId", escrowId);
  form.set("file", new Blob([Buffer.from(bytes)], { type: "image/png" }), "evidence.png");
  const { "content-type": _json, ...rest } = headers as Record<string, string>;
  const response = await upload(
    new Request(`${TRPC_BASE_URL}/api/case-files`, { method: "POST", headers: { ...rest, ...(token ? { cookie: cookie(token) } : {}) }, body: form }),
  );
  return { status: response.status, body: (await response.json()) as { id?: string; sha256?: string; size_bytes?: number; error?: { code: string } } };
}

async function addStatement(token: string, body: unknown) {
  const response = await route.POST(
    new Request(`${TRPC_BASE_URL}/api/trpc/escrow.addStatement`, {
      method: "POST",
      headers: { ...SAME_ORIGIN_HEADERS, cookie: cookie(token) },
      body: JSON.stringify({ json: body }),
    }),
  );
  return response.status;
}

async function open(token: string, artifactId: string) {
  const response = await download(new Request(`${TRPC_BASE_URL}/api/artifacts/${artifactId}`, { headers: { cookie: cookie(token) } }), {
    params: Promise.resolve({ id: artifactId }),
  });
  return response.status;
}

/** A delivered escrow, disputed, that the agent never answered; `toReview` sends it to a moderator. */
async function world() {
  const clock = testClock();
  const ctx = testContext(route.tdb.db, clock);
  const p = await createParties(route.tdb.db);
  const escrow = await deliveredEscrow(ctx, clock, p);
  await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "dispute", reason: "Blurry" });
  const token = await route.createSession(p.customerId);
  const toReview = async () => {
    clock.advanceSeconds(48 * 3600 + 1);
    await runEscrowCommand(ctx, escrow.id, { kind: "timer" }, { command: "response_timeout" });
  };
  return { p, escrow, token, toReview };
}

const artifactCount = () => route.tdb.db.artifact.count();

describe("a customer's files for the moderator", () => {
  it("are uploaded during admin_review, sent with a statement, and open for the customer, the seller's owner and moderators only", async () => {
    const { p, escrow, token, toReview } = await world();
    await toReview();
    const uploaded = await sendFile(token, escrow.id, PNG_BYTES);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.size_bytes).toBe(PNG_BYTES.byteLength);
    expect(uploaded.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const fileId = uploaded.body.id!;

    expect(await addStatement(token, { escrowId: escrow.id, text: "Here is what I was sent.", artifactIds: [fileId] })).toBe(200);
    const message = await route.tdb.db.message.findFirstOrThrow({ where: { escrowId: escrow.id, role: "customer" }, include: { artifacts: true } });
    expect(message.artifacts.map((a) => a.id)).toEqual([fileId]);
    expect(message.artifacts[0]).toMatchObject({ uploaderUserId: p.customerId, agentId: null, kind: "image", mimeType: "image/png" });

    const owner = await route.tdb.db.agent.findUniqueOrThrow({ where: { id: p.agentId }, select: { ownerId: true } });
    const moderator = await createUser(route.tdb.db, "admin");
    const stranger = await createUser(route.tdb.db, "customer");
    expect(await open(token, fileId)).toBe(200);
    expect(await open(await route.createSession(owner.ownerId), fileId)).toBe(200);
    expect(await open(await route.createSession(moderator.id), fileId)).toBe(200);
    expect(await open(await route.createSession(stranger.id), fileId)).toBe(404);
  });

  it("are refused before the review, for another customer's order, cross-site, signed out, or when not a file type we take — nothing written", async () => {
    const { escrow, token, toReview } = await world();
    const before = await artifactCount();
    expect((await sendFile(token, escrow.id, PNG_BYTES)).body.error?.code).toBe("invalid_transition");
    await toReview();
    const stranger = await createUser(route.tdb.db, "customer");
    const strangerToken = await route.createSession(stranger.id);
    expect(await sendFile(strangerToken, escrow.id, PNG_BYTES)).toMatchObject({ status: 404 });
    expect(await sendFile(null, escrow.id, PNG_BYTES)).toMatchObject({ status: 401 });
    expect(await sendFile(token, escrow.id, PNG_BYTES, { origin: "https://evil.example", "x-holdfast-csrf": "1" })).toMatchObject({ status: 403 });
    expect(await sendFile(token, escrow.id, PNG_BYTES, { origin: TRPC_BASE_URL })).toMatchObject({ status: 403 });
    expect(await sendFile(token, escrow.id, ELF_BYTES)).toMatchObject({ status: 400 });
    expect(await artifactCount()).toBe(before);
  });

  it("are sent once, only by their uploader, and only a few may wait unsent", async () => {
    const { escrow, token, toReview } = await world();
    await toReview();
    const first = (await sendFile(token, escrow.id, PNG_BYTES)).body.id!;
    expect(await addStatement(token, { escrowId: escrow.id, text: "One", artifactIds: [first] })).toBe(200);
    expect(await addStatement(token, { escrowId: escrow.id, text: "Again", artifactIds: [first] })).toBe(400);

    // Another customer's upload cannot be sent on this case.
    const other = await world();
    await other.toReview();
    const theirs = (await sendFile(other.token, other.escrow.id, PNG_BYTES)).body.id!;
    expect(await addStatement(token, { escrowId: escrow.id, text: "Theirs", artifactIds: [theirs] })).toBe(404);

    const waiting = await route.tdb.db.artifact.count({ where: { uploaderUserId: (await route.tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).customerId, messageId: null } });
    for (let i = waiting; i < MAX_UNSENT_CASE_FILES; i++) expect((await sendFile(token, escrow.id, PNG_BYTES)).status).toBe(201);
    const refused = await sendFile(token, escrow.id, PNG_BYTES);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe("validation_error");
  });
});

// Round three (issue 16 variants): a second `file` part or `escrowId` field was ignored with a 201.
describe("repeated form fields", () => {
  it("two `file` parts or two `escrowId` fields: 400 naming the field, nothing written", async () => {
    const { escrow, token, toReview } = await world();
    await toReview();
    const before = await artifactCount();
    for (const [field, extra] of [["file", "file"], ["escrowId", "escrowId"]] as const) {
      const form = new FormData();
      form.append("escrowId", escrow.id);
      form.append("file", new Blob([Buffer.from(PNG_BYTES)], { type: "image/png" }), "evidence.png");
      if (extra === "file") form.append("file", new Blob([Buffer.from(PNG_BYTES)], { type: "image/png" }), "second.png");
      else form.append("escrowId", "esc_someoneelse");
      const { "content-type": _json, ...rest } = SAME_ORIGIN_HEADERS as Record<string, string>;
      const response = await upload(new Request(`${TRPC_BASE_URL}/api/case-files`, { method: "POST", headers: { ...rest, cookie: cookie(token) }, body: form }));
      expect({ field, status: response.status }).toEqual({ field, status: 400 });
      expect(await response.json()).toMatchObject({ error: { code: "validation_error", details: [{ path: field }] } });
    }
    expect(await artifactCount()).toBe(before);
  });
});

// Round three: a NUL in the `escrowId` form field reached PostgreSQL as the order's id (a 500).
describe("hostile form text", () => {
  it("a NUL or a control character in escrowId is 400 validation_error, nothing written", async () => {
    const { token, toReview } = await world();
    await toReview();
    const before = await artifactCount();
    // (A lone surrogate cannot reach a multipart field: the form is sent as UTF-8, where it becomes U+FFFD.)
    for (const escrowId of ["esc_a\u0000b", "esc_\u0007", "esc_\u001b[2J"]) {
      const sent = await sendFile(token, escrowId, PNG_BYTES);
      expect({ escrowId, status: sent.status, code: sent.body.error?.code }).toEqual({ escrowId, status: 400, code: "validation_error" });
    }
    expect(await artifactCount()).toBe(before);
  });
});

