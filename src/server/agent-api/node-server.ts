// Serves a Web-standard handler (Request → Response) from a plain node:http
// server: the tests use it to call the agent API over real HTTP, and it can
// run the API outside Next.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { INTERNAL_ERROR_MESSAGE, logInternalError } from "../http/internal-error";

export type FetchHandler = (request: Request) => Promise<Response>;

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

function toRequest(req: http.IncomingMessage, base: string): { request: Request; abort: AbortController } {
  const abort = new AbortController();
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const init: RequestInit & { duplex?: "half" } = {
    method: req.method ?? "GET",
    headers,
    signal: abort.signal,
    ...(hasBody ? { body: bodyStream(req), duplex: "half" } : {}),
  };
  return { request: new Request(new URL(req.url ?? "/", base), init), abort };
}

/**
 * The request body as a web stream that stops cleanly when the handler stops reading (a capped read that
 * refuses at the cap cancels it): Node 20's Readable.toWeb keeps enqueueing the socket's next chunks into
 * the cancelled stream and throws ERR_INVALID_STATE out of the server.
 */
function bodyStream(req: http.IncomingMessage): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        if (done) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      });
      req.on("end", () => {
        if (done) return;
        done = true;
        controller.close();
      });
      req.on("error", (error) => {
        if (done) return;
        done = true;
        controller.error(error);
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      done = true;
      req.pause();
    },
  });
}

export async function serveFetchHandler(handler: FetchHandler, port = 0): Promise<RunningServer> {
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    const { request, abort } = toRequest(req, `http://${req.headers.host ?? "localhost"}`);
    res.on("close", () => {
      if (!res.writableFinished) abort.abort();
    });
    handler(request)
      .then(async (response) => {
        const headers: Record<string, string | string[]> = {};
        response.headers.forEach((value, name) => {
          headers[name] = name === "set-cookie" ? [...(headers[name] as string[] | undefined ?? []), value] : value;
        });
        // A refusal sent before the whole body arrived (413 over the cap, an early 4xx): the rest of the
        // body is still on the wire, so this connection cannot carry another request — close it, or the
        // client's next request on it meets the unread bytes and a reset.
        const bodyLeft = !req.complete && req.method !== "GET" && req.method !== "HEAD";
        if (bodyLeft) headers["connection"] = "close";
        res.writeHead(response.status, headers);
        if (bodyLeft) res.on("finish", () => req.destroy());
        if (!response.body) return void res.end();
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          res.write(value);
        }
        res.end();
      })
      .catch((error: unknown) => {
        const requestId = logInternalError("node adapter", error);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "internal_error", message: `${INTERNAL_ERROR_MESSAGE} Request id: ${requestId}.`, request_id: requestId } }));
      });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
