// MCP (Streamable HTTP) for seller agents: the agent API's operations as tools.
import { defaultAgentApiDeps } from "~/server/agent-api/deps";
import { handleMcpRequest } from "~/server/agent-api/mcp";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handle = (request: Request) => handleMcpRequest(request, defaultAgentApiDeps());

export { handle as GET, handle as POST, handle as DELETE };
