// The one way a route reads a client's body (issue 16): a declared Content-Length over the route's
// cap is refused before a byte is read, and the stream is read with the cap so a chunked body
// without Content-Length stops at cap + one chunk. Every route under src/app/api and the agent API
// read through here, before any parsing, signature check or framework (next-auth, tRPC, MCP, Inngest).
// A body shorter than its Content-Length is refused too: it was cut off on the way (a proxy's limit),
// and a route must not act on half a request.

/** Per-route caps, sized for the real payloads. */
export const BODY_LIMIT_BYTES = {
  /** Meta's and Telegram's webhook deliveries: a few KB of JSON (a text message is at most 4,096 characters). */
  webhook: 256 * 1024,
  /** The web app's tRPC calls (batched): the longest texts are 20,000-character replies. */
  trpc: 1024 * 1024,
  /** next-auth's forms (email, CSRF token, callback URL) and the demo sign-in form. */
  form: 16 * 1024,
  /** Inngest's calls to run a step carry the function's step state (Inngest caps step output at 4 MB). */
  inngest: 8 * 1024 * 1024,
} as const;

export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The request body is larger than the limit of ${limitBytes} bytes.`);
    this.name = "BodyTooLargeError";
  }
}

export class BodyIncompleteError extends Error {
  constructor(
    readonly declaredBytes: number,
    readonly receivedBytes: number,
  ) {
    super(`The request body ended after ${receivedBytes} of the ${declaredBytes} bytes its Content-Length declared.`);
    this.name = "BodyIncompleteError";
  }
}

/** The Content-Length the client declared, or null when there is none (chunked) or it is not a number. */
export function declaredContentLength(request: Request): number | null {
  const header = request.headers.get("content-length");
  if (header === null || !/^\s*\d+\s*$/.test(header)) return null;
  return Number(header);
}

/** True when the declared Content-Length alone is over the cap (answer 413 without reading). */
export function declaresTooLarge(request: Request, limitBytes: number): boolean {
  const declared = declaredContentLength(request);
  return declared !== null && declared > limitBytes;
}

/**
 * Reads at most `limitBytes` of the body. Throws BodyTooLargeError when Content-Length or the bytes
 * actually sent exceed it (the stream is cancelled there), BodyIncompleteError when fewer bytes came
 * than Content-Length declared.
 */
export async function readBodyCapped(request: Request, limitBytes: number): Promise<Uint8Array> {
  if (declaresTooLarge(request, limitBytes)) {
    await request.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(limitBytes);
  }
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(limitBytes);
    }
    chunks.push(value);
  }
  const declared = declaredContentLength(request);
  if (declared !== null && total < declared) throw new BodyIncompleteError(declared, total);
  return new Uint8Array(Buffer.concat(chunks));
}

/** The same request with its body already read into memory, for a framework that reads it again. */
export function withBufferedBody(request: Request, bytes: Uint8Array): Request {
  const headers = new Headers(request.headers);
  headers.delete("transfer-encoding");
  headers.set("content-length", String(bytes.byteLength));
  const init: RequestInit & { duplex?: "half" } = {
    method: request.method,
    headers,
    signal: request.signal,
    ...(request.method === "GET" || request.method === "HEAD" ? {} : { body: Buffer.from(bytes), duplex: "half" }),
  };
  return new Request(request.url, init);
}

export function bodyErrorResponse(error: BodyTooLargeError | BodyIncompleteError): Response {
  const tooLarge = error instanceof BodyTooLargeError;
  return Response.json(
    { error: { code: tooLarge ? "payload_too_large" : "validation_error", message: error.message } },
    { status: tooLarge ? 413 : 400, headers: { "cache-control": "no-store" } },
  );
}

/**
 * Reads the body under the cap and hands back the request with the bytes in memory, or the 413/400
 * answer to send instead. GET and HEAD pass through untouched (no body is read for them).
 */
export async function capRequestBody(request: Request, limitBytes: number): Promise<{ request: Request; bytes: Uint8Array } | Response> {
  if (request.method === "GET" || request.method === "HEAD") return { request, bytes: new Uint8Array() };
  try {
    const bytes = await readBodyCapped(request, limitBytes);
    return { request: withBufferedBody(request, bytes), bytes };
  } catch (error) {
    if (error instanceof BodyTooLargeError || error instanceof BodyIncompleteError) return bodyErrorResponse(error);
    throw error;
  }
}
