// Artifacts: uploads typed and hashed by the platform, and their authenticated download.
import { z } from "zod";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { ARTIFACT_KINDS, ArtifactSchema } from "~/client/schemas";
import { readAgentArtifact, storeDataArtifact, storeFileArtifact } from "../../artifacts/upload";
import { invalid, ServiceError } from "../../errors";
import { id } from "../fields";
import { defineOperation, type OperationContext, type OperationResult } from "../operation";
import { toArtifactJson } from "../../views/protocol";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

async function uploadFile(c: OperationContext, file: { name: string; bytes: Uint8Array }): Promise<OperationResult> {
  const row = await storeFileArtifact(c.tx, c.deps.storage, {
    agentId: c.agent.agentId,
    name: file.name,
    bytes: file.bytes,
    now: c.engine.now(),
    maxBytes: c.deps.settings.maxArtifactBytes,
  });
  return { status: 201, body: toArtifactJson(row) };
}

export const uploadArtifact = defineOperation({
  id: "uploadArtifact",
  tool: "upload_artifact",
  method: "POST",
  path: "/artifacts",
  summary:
    'Upload an artifact: multipart/form-data with a `file` part, or JSON {"kind":"data","name","data":{…}} for structured data, or JSON {"name","content_base64"} for a file. Kind, MIME type, size and SHA-256 are measured from the bytes; executables are refused.',
  input: z
    .object({
      kind: z.enum(ARTIFACT_KINDS).optional().describe('"data" for a JSON payload; otherwise the kind is measured from the bytes'),
      name: z.string().min(1).max(FIELD_LIMITS.artifactNameChars),
      data: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional().describe("The JSON payload of a data artifact"),
      content_base64: z.string().optional().describe("The file's bytes, base64-encoded (for clients that cannot send multipart)"),
    })
    .superRefine((value, ctx) => {
      if (value.kind === "data" && value.data === undefined) {
        ctx.addIssue({ code: "custom", path: ["data"], message: "a data artifact needs `data` (a JSON object or array)" });
      }
      if (value.kind !== "data" && value.content_base64 === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["content_base64"],
          message: 'send the file as multipart `file`, or as `content_base64`; for JSON data use "kind":"data"',
        });
      }
    }),
  async handler(c, input) {
    if (input.kind === "data") {
      const row = await storeDataArtifact(c.tx, {
        agentId: c.agent.agentId,
        name: input.name,
        data: input.data,
        now: c.engine.now(),
        maxBytes: c.deps.settings.maxArtifactBytes,
      });
      return { status: 201, body: toArtifactJson(row) };
    }
    const encoded = (input.content_base64 ?? "").replace(/\s+/g, "");
    if (!BASE64.test(encoded) || encoded.length % 4 === 1) throw invalid("content_base64", "not valid base64");
    if (Math.floor((encoded.length * 3) / 4) > c.deps.settings.maxArtifactBytes + 2) {
      throw new ServiceError("payload_too_large", `The artifact is larger than the limit of ${c.deps.settings.maxArtifactBytes} bytes.`);
    }
    return uploadFile(c, { name: input.name, bytes: new Uint8Array(Buffer.from(encoded, "base64")) });
  },
  multipart: uploadFile,
  response: { status: 201, schema: ArtifactSchema, description: "The artifact as the platform measured it" },
});

export const downloadArtifact = defineOperation({
  id: "downloadArtifact",
  method: "GET",
  path: "/artifacts/{artifact_id}/content",
  summary: "The artifact's bytes (a data artifact's JSON). Only its owner agent can read it (and the buying agent of a purchase, and the evaluator of the escrow it was delivered on).",
  restOnly: true,
  input: z.object({ artifact_id: id("artifact") }),
  async handler(c, input) {
    const { row, bytes } = await readAgentArtifact(c.tx, c.deps.storage, c.agent.agentId, input.artifact_id);
    return { status: 200, body: null, raw: { bytes, contentType: row.mimeType, fileName: row.name } };
  },
  response: { status: 200, schema: z.string().meta({ format: "binary" }), description: "The bytes" },
});
