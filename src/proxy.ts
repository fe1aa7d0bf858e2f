// Next's request proxy (Next 16's name for middleware). One job: a path with malformed
// percent-encoding (`/c/%E0%A4%A`, `/api/agent/v1/escrows/%ZZ`) is refused with 400 before routing.
// Next decodes dynamic segments while matching routes and answered such paths with a bare 500
// (issue 16). The matcher runs the proxy only for paths holding a `%`, so other requests — and
// their bodies, which Next buffers for a proxy — never pass through here.
import { NextResponse } from "next/server";
import { malformedPathResponse } from "~/server/http/malformed-path";

export function proxy(request: Request): Response {
  return malformedPathResponse(request) ?? NextResponse.next();
}

export const config = {
  // Paths containing "%" only (checked against the raw path). See src/server/http/malformed-path.ts.
  matcher: ["/(.*%.*)"],
};
