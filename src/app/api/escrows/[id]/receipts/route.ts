// GET /api/escrows/{id}/receipts: the escrow's signed receipt chain as a JSON download, for its customer, the
// seller's owner and moderators (src/server/receipts/downloads.ts); anyone else gets a 404.
import { defaultArtifactDir, LocalDiskStorage } from "~/server/artifacts/storage";
import { userFromRequest } from "~/server/auth/request-user";
import { getDb } from "~/server/db/client";
import { observeRequest } from "~/server/http/observe";
import { escrowDownloadResponse } from "~/server/receipts/downloads";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request, context: { params: Promise<{ id: string }> }): Promise<Response> {
  return observeRequest("artifacts", request, async () =>
    escrowDownloadResponse(request, getDb(), await userFromRequest(request), (await context.params).id, "receipts", new LocalDiskStorage(defaultArtifactDir())),
  );
}
