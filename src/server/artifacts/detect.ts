// What an upload really is, from its bytes (magic numbers), never from the
// name or the client's Content-Type. Executables are refused outright.
import { fileTypeFromBuffer } from "file-type";
import type { ArtifactKind } from "~/domain/escrow/states";

export type DetectedType =
  | { ok: true; kind: Exclude<ArtifactKind, "data">; mimeType: string }
  | { ok: false; message: string };

const EXECUTABLE_MIME_TYPES = new Set([
  "application/x-elf",
  "application/x-msdownload",
  "application/x-mach-binary",
  "application/x-executable",
  "application/x-sharedlib",
  "application/vnd.microsoft.portable-executable",
  "application/x-dosexec",
  "application/wasm",
]);

function kindOf(mimeType: string): Exclude<ArtifactKind, "data"> {
  if (mimeType.startsWith("image/")) return "image";
  if (mimeType.startsWith("audio/")) return "audio";
  return "file";
}

function utf8Text(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * An XML declaration, comments and an SVG doctype, then `<svg`. Read step by step rather than with one
 * regular expression: `(<!--[\s\S]*?-->\s*)*` backtracks exponentially on "<!---->" repeated and
 * no `<svg` (40 repetitions froze the server on upload).
 */
function startsAsSvg(head: string): boolean {
  let rest = head;
  const declaration = /^<\?xml[^>]*>/i.exec(rest);
  if (declaration) rest = rest.slice(declaration[0].length).trimStart();
  while (rest.startsWith("<!--")) {
    const end = rest.indexOf("-->", 4);
    if (end < 0) return false;
    rest = rest.slice(end + 3).trimStart();
  }
  const doctype = /^<!DOCTYPE svg[^>]*>/i.exec(rest);
  if (doctype) rest = rest.slice(doctype[0].length).trimStart();
  return /^<svg[\s>]/i.test(rest);
}

function textType(text: string): string {
  if (startsAsSvg(text.trimStart().slice(0, 2048))) return "image/svg+xml";
  try {
    JSON.parse(text);
    return "application/json";
  } catch {
    // not JSON
  }
  return "text/plain";
}

export async function detectArtifactType(bytes: Uint8Array): Promise<DetectedType> {
  if (bytes.byteLength === 0) return { ok: false, message: "The file is empty." };
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    if (EXECUTABLE_MIME_TYPES.has(detected.mime)) {
      return {
        ok: false,
        message: `The file is an executable program (${detected.mime}), whatever its name says. Executables are not accepted as artifacts.`,
      };
    }
    return { ok: true, kind: kindOf(detected.mime), mimeType: detected.mime };
  }
  const text = utf8Text(bytes);
  if (text === null) return { ok: true, kind: "file", mimeType: "application/octet-stream" };
  if (text.startsWith("#!")) {
    return { ok: false, message: "The file is a script (it starts with #!). Executables are not accepted as artifacts." };
  }
  const mimeType = textType(text);
  return { ok: true, kind: kindOf(mimeType), mimeType };
}
