// Who is asking, for per-client limits (issue 16: sign-in mail flood). `next start` gives route handlers
// no socket, and Next fills X-Forwarded-For with the peer address only when the client sent none, so the
// header alone is the client's to forge. stampPeerAddresses (installed from src/instrumentation.ts)
// writes the connection's real peer into our own header on every request, overwriting whatever the
// client sent under that name; X-Forwarded-For counts only when HOLDFAST_TRUSTED_PROXY_HOPS says that many
// proxies of ours append to it.
import net from "node:net";
import type { IncomingMessage } from "node:http";

export const PEER_HEADER = "x-holdfast-peer";

const STAMPED = Symbol.for("holdfast.peerStamp");

/** Makes every HTTP(S) server in this process put the socket's peer address in PEER_HEADER. Idempotent. */
export function stampPeerAddresses(): void {
  const proto = net.Server.prototype as net.Server & { [STAMPED]?: true };
  if (proto[STAMPED]) return;
  const emit = proto.emit as (this: net.Server, event: string | symbol, ...args: unknown[]) => boolean;
  proto.emit = function stampedEmit(this: net.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request" || event === "checkContinue" || event === "checkExpectation") {
      const request = args[0] as IncomingMessage | undefined;
      if (request?.headers) request.headers[PEER_HEADER] = request.socket?.remoteAddress ?? "";
    }
    return emit.call(this, event, ...args);
  } as net.Server["emit"];
  proto[STAMPED] = true;
}

/**
 * The client's address: with `trustedProxyHops` > 0, the X-Forwarded-For entry the outermost trusted
 * proxy appended (entries left of it are the client's to forge); otherwise the connection's peer. Null
 * when neither is known.
 */
export function clientAddress(headers: Headers, trustedProxyHops: number): string | null {
  if (trustedProxyHops > 0) {
    const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    const seen = hops[hops.length - trustedProxyHops];
    if (seen) return seen;
  }
  const peer = headers.get(PEER_HEADER)?.trim();
  if (peer) return peer;
  // Not behind our stamp (a server this process did not start): Next's own X-Forwarded-For, which is
  // the peer unless the client sent one, is the best left.
  const forwarded = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return forwarded.at(-1) ?? null;
}
