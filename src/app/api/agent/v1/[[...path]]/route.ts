// The agent API (PROTOCOL.md) under /api/agent/v1: a thin shell over the
// framework-free handler in src/server/agent-api.
import { defaultAgentApiDeps } from "~/server/agent-api/deps";
import { handleAgentApiRequest } from "~/server/agent-api/rest";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handle = (request: Request) => handleAgentApiRequest(request, defaultAgentApiDeps());

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
