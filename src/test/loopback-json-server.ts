// The part every local stand-in for an outside JSON API shares: listen on a free loopback port,
// read each request's whole body, answer with the handler's status and JSON. The protocol itself
// (paths, auth, error shapes) lives in each fake.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface JsonRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface JsonAnswer {
  status: number;
  payload: unknown;
}

export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

export async function startLoopbackJsonServer(handle: (request: JsonRequest) => JsonAnswer | Promise<JsonAnswer>): Promise<LoopbackServer> {
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      void Promise.resolve(handle({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body })).then(
        ({ status, payload }) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(payload));
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A switch for retry tests: `failNext(n)` makes the next n calls fail; `shouldFail()` consumes one. */
export function failureSwitch() {
  let remaining = 0;
  return {
    failNext: (n: number) => void (remaining = n),
    shouldFail: () => {
      if (remaining === 0) return false;
      remaining--;
      return true;
    },
  };
}
