// GET /api/artifacts/{id}: an artifact's bytes for a signed-in person who may
// see it — the customer of the conversation it was sent in, the owner of the
// agent that made it, or a moderator. Anyone else gets 404 (existence is not
// revealed). Bytes come from the agent API's artifact storage.
import { userFromRequest } from "~/server/auth/request-user";
import { defaultArtifactDir, LocalDiskStorage } from "~/server/artifacts/storage";
import { getDb } from "~/server/db/client";

export const dynamic = "force-dynamic";

const INLINE_KINDS = new Set(["image", "audio"]);

function notFound() {
  return Response.json({ error: { code: "not_found", message: "No artifact with that id is visible to you." } }, { status: 404 });
}

/** RFC 6266 filename: an ASCII fallback and the exact UTF-8 name. */
function contentDisposition(kind: string, name: string, download: boolean): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const type = download || !INLINE_KINDS.has(kind) ? "attachment" : "inline";
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const user = await userFromRequest(request);
  if (!user) {
    return Response.json({ error: { code: "unauthorized", message: "Sign in to download artifacts." } }, { status: 401 });
  }
  const { id } = await context.params;
  const artifact = await getDb().artifact.findUnique({
    where: { id },
    include: {
      agent: { select: { ownerId: true } },
      message: { select: { role: true, conversation: { select: { customerId: true } } } },
    },
  });
  if (!artifact) return notFound();
  const isCustomer = artifact.message?.conversation.customerId === user.id && artifact.message.role !== "owner";
  const allowed = isCustomer || artifact.agent.ownerId === user.id || user.role === "admin";
  if (!allowed) return notFound();

  let bytes: Uint8Array;
  if (artifact.kind === "data" || !artifact.storageKey) {
    bytes = new Uint8Array(Buffer.from(JSON.stringify(artifact.data ?? null, null, 2), "utf8"));
  } else {
    const stored = await new LocalDiskStorage(defaultArtifactDir()).get(artifact.storageKey);
    if (!stored) return Response.json({ error: { code: "gone", message: "The stored file is missing." } }, { status: 410 });
    bytes = stored;
  }
  const download = new URL(request.url).searchParams.has("download");
  return new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
    headers: {
      "content-type": artifact.kind === "data" ? "application/json; charset=utf-8" : artifact.mimeType,
      "content-length": String(bytes.byteLength),
      "content-disposition": contentDisposition(artifact.kind, artifact.name, download),
      // Agent-made files are untrusted: never sniffed, never run as a page of this site (e.g. an SVG with script).
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
      "cache-control": "private, max-age=3600",
      etag: `"${artifact.sha256}"`,
    },
  });
}
