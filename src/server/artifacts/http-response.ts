// An artifact's bytes as an HTTP response, for the web app's download routes (the customer's
// src/app/api/artifacts/[id] and the moderators' src/app/api/admin/artifacts/[id]). Agents' files are
// untrusted: never sniffed, never run as a page of this site (e.g. an SVG with script).
import { defaultArtifactDir, LocalDiskStorage } from "./storage";
import type { Artifact } from "~/server/db/generated/client";
import { refusalResponse } from "~/server/refusal";

const INLINE_KINDS = new Set(["image", "audio"]);

/** RFC 6266 filename: an ASCII fallback and the exact UTF-8 name. */
function contentDisposition(kind: string, name: string, download: boolean): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const type = download || !INLINE_KINDS.has(kind) ? "attachment" : "inline";
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** 404 for an unknown id and for an artifact the caller may not see alike: existence is not revealed. */
export function artifactNotFound(request: Request): Response {
  return refusalResponse(request, {
    status: 404,
    code: "not_found",
    title: "File not found",
    message: "No artifact with that id is visible to you. If it was sent in one of your chats, open it from the chat while signed in with the account that received it.",
    next: { href: "/c", label: "Open your chats" },
  });
}

/** 401 for nobody signed in: a person opening a file link is sent to sign in and back to the file. */
export function artifactSignInRequired(request: Request, message: string): Response {
  const here = new URL(request.url);
  return refusalResponse(request, {
    status: 401,
    code: "unauthorized",
    title: "Sign in to open this file",
    message,
    next: { href: `/sign-in?callbackUrl=${encodeURIComponent(here.pathname + here.search)}`, label: "Sign in" },
  });
}

type StoredArtifact = Pick<Artifact, "kind" | "storageKey" | "data" | "mimeType" | "name" | "sha256">;

export async function artifactResponse(artifact: StoredArtifact, download: boolean): Promise<Response> {
  let bytes: Uint8Array;
  if (artifact.kind === "data" || !artifact.storageKey) {
    bytes = new Uint8Array(Buffer.from(JSON.stringify(artifact.data ?? null, null, 2), "utf8"));
  } else {
    const stored = await new LocalDiskStorage(defaultArtifactDir()).get(artifact.storageKey);
    if (!stored) return Response.json({ error: { code: "gone", message: "The stored file is missing." } }, { status: 410 });
    bytes = stored;
  }
  return new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
    headers: {
      "content-type": artifact.kind === "data" ? "application/json; charset=utf-8" : artifact.mimeType,
      "content-length": String(bytes.byteLength),
      "content-disposition": contentDisposition(artifact.kind, artifact.name, download),
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'",
      "cache-control": "private, max-age=3600",
      etag: `"${artifact.sha256}"`,
    },
  });
}
