// POST /api/case-files: a customer uploads a file for the moderator while
// their case waits in admin_review (multipart: `escrowId` and `file`), then
// sends it with a statement (tRPC escrow.addStatement, `artifactIds`). The
// same checks as a tRPC mutation come first — same origin with the CSRF
// header, a signed-in person — then the body is read under a cap, then the
// bytes are typed and measured like an agent's upload (src/server/moderation/case-files.ts).
import { isRepeated, repeatedFieldMessage, singleFormValue } from "~/server/http/form-parts";
import { nulTextError } from "~/server/nul-text";
import { env } from "~/env";
import { defaultAgentApiDeps } from "~/server/agent-api/deps";
import { errorBody, toErrorResult } from "~/server/agent-api/errors";
import { authRuntime } from "~/server/auth/options";
import { isTrustedMutation } from "~/server/auth/csrf";
import { userFromRequest } from "~/server/auth/request-user";
import { inTransaction } from "~/server/db/transaction";
import { capRequestBody } from "~/server/http/read-body";
import { observeRequest } from "~/server/http/observe";
import { uploadCaseFile } from "~/server/moderation/case-files";

export const dynamic = "force-dynamic";

/** Room for the multipart boundaries, the part headers and the escrow id around the file. */
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;

const json = (status: number, body: unknown) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

export function POST(request: Request): Promise<Response> {
  return observeRequest("artifacts", request, () => upload(request));
}

async function upload(incoming: Request): Promise<Response> {
  if (!isTrustedMutation(incoming, authRuntime().baseUrl)) return json(403, errorBody("forbidden", "Cross-site request refused."));
  const user = await userFromRequest(incoming);
  if (!user) return json(401, errorBody("unauthorized", "Sign in to add files to your case."));
  const maxBytes = env().HOLDFAST_MAX_ARTIFACT_BYTES;
  const capped = await capRequestBody(incoming, maxBytes + MULTIPART_OVERHEAD_BYTES);
  if (capped instanceof Response) return capped;
  let form: FormData;
  try {
    form = await capped.request.formData();
  } catch {
    return json(400, errorBody("validation_error", "Send the file as multipart/form-data with the fields `escrowId` and `file`."));
  }
  for (const field of ["escrowId", "file"]) {
    const value = singleFormValue(form, field);
    if (isRepeated(value)) {
      const message = repeatedFieldMessage(field, value.repeated);
      return json(400, errorBody("validation_error", `${message[0]!.toUpperCase()}${message.slice(1)}.`, [{ path: field, message }]));
    }
  }
  const escrowRef = form.get("escrowId");
  const file = form.get("file");
  if (typeof escrowRef !== "string" || escrowRef.length === 0 || escrowRef.length > 100) {
    return json(400, errorBody("validation_error", "`escrowId` names the order the file is for.", [{ path: "escrowId", message: "required" }]));
  }
  // A form field is client text like any JSON field: a NUL reached PostgreSQL as the order's id (a 500).
  const textError = nulTextError({ escrowId: escrowRef });
  if (textError) return json(400, errorBody(textError.code, textError.message, textError.details));
  if (!file || typeof file === "string") {
    return json(400, errorBody("validation_error", "A `file` part is required.", [{ path: "file", message: "required" }]));
  }
  const deps = defaultAgentApiDeps();
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const row = await inTransaction(deps.engine.db, (tx) =>
      uploadCaseFile(tx, deps.storage, { customerId: user.id, escrowRef, name: file.name, bytes, now: deps.engine.now(), maxBytes }),
    );
    return json(201, { id: row.id, name: row.name, mime_type: row.mimeType, size_bytes: Number(row.sizeBytes), sha256: row.sha256 });
  } catch (error) {
    const result = toErrorResult(error);
    return json(result.status, result.body);
  }
}
