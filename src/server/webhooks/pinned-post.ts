// POSTing a webhook to an owner-chosen URL without letting it reach the server's own network
// (issue 16 item 5). The host name is resolved once, every address DNS returns is checked against
// src/domain/webhook-target.ts, and the connection is pinned to the checked address through a custom
// `lookup`, so DNS rebinding between the check and the connect cannot switch the target. TLS keeps the
// host name for SNI and certificate checks, and the Host header is the host name. Redirects are never
// followed (a 3xx is a failed attempt like any other non-2xx).
import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { env } from "~/env";
import { checkResolvedAddress, checkWebhookUrl, type WebhookTargetPolicy } from "~/domain/webhook-target";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (tests inject one to play DNS). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** The deployment's webhook-target policy. */
export function webhookTargetPolicy(): WebhookTargetPolicy {
  const e = env();
  return { allowedHosts: e.HOLDFAST_WEBHOOK_ALLOWED_HOSTS, requireHttps: e.NODE_ENV === "production" };
}

export interface PostOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

export class RefusedTarget extends Error {}

/** Checks the URL and resolves its host once; returns the one address to connect to, or throws RefusedTarget. */
export async function resolvePinnedTarget(
  rawUrl: string,
  policy: WebhookTargetPolicy,
  resolve: Resolver,
): Promise<{ url: URL; hostname: string; pinned: ResolvedAddress }> {
  const verdict = checkWebhookUrl(rawUrl, policy);
  if (!verdict.ok) throw new RefusedTarget(`refused webhook URL: ${verdict.reason}`);
  if (verdict.literalAddress !== null) {
    return { url: verdict.url, hostname: verdict.hostname, pinned: { address: verdict.literalAddress, family: verdict.literalAddress.includes(":") ? 6 : 4 } };
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(verdict.hostname);
  } catch (error) {
    throw new RefusedTarget(`cannot resolve ${verdict.hostname}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (addresses.length === 0) throw new RefusedTarget(`cannot resolve ${verdict.hostname}`);
  for (const a of addresses) {
    const reason = checkResolvedAddress(policy, verdict.hostname, a.address);
    if (reason) throw new RefusedTarget(`refused webhook target: ${reason}`);
  }
  return { url: verdict.url, hostname: verdict.hostname, pinned: addresses[0]! };
}

/**
 * The save-time look at a webhook URL: the URL rule, and when its host resolves now, every address.
 * A host that does not resolve (yet) is accepted; the relay checks again at every send.
 */
export async function webhookUrlRefusal(rawUrl: string, policy: WebhookTargetPolicy, resolve: Resolver = systemResolver, timeoutMs = 3_000): Promise<string | null> {
  const bounded: Resolver = (hostname) =>
    Promise.race([resolve(hostname), new Promise<never>((_, reject) => setTimeout(() => reject(new Error("DNS timed out")), timeoutMs).unref())]);
  try {
    await resolvePinnedTarget(rawUrl, policy, bounded);
    return null;
  } catch (error) {
    if (!(error instanceof RefusedTarget)) throw error;
    const verdict = checkWebhookUrl(rawUrl, policy);
    if (!verdict.ok) return verdict.reason;
    return error.message.startsWith("cannot resolve") ? null : error.message.replace(/^refused webhook target: /, "must be a public address: ");
  }
}

/** A `lookup` that answers every query with the one checked address (node may ask with `all: true`). */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  }) as LookupFunction;
}

export async function pinnedPost(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; policy?: WebhookTargetPolicy; resolve?: Resolver },
): Promise<PostOutcome> {
  let target: Awaited<ReturnType<typeof resolvePinnedTarget>>;
  try {
    target = await resolvePinnedTarget(rawUrl, options.policy ?? webhookTargetPolicy(), options.resolve ?? systemResolver);
  } catch (error) {
    return { ok: false, statusCode: null, error: (error instanceof Error ? error.message : String(error)).slice(0, 500) };
  }
  const { url, pinned } = target;
  const transport = url.protocol === "https:" ? https : http;
  return new Promise<PostOutcome>((resolvePromise) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      resolvePromise(outcome);
    };
    const request = transport.request(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(pinned),
        timeout: options.timeoutMs,
        // No keep-alive agent: a pooled socket could outlive the check.
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        response.resume(); // discard the body; the receiver's answer is only its status
        response.on("end", () => finish({ ok: status >= 200 && status < 300, statusCode: status, error: status >= 200 && status < 300 ? null : `HTTP ${status}` }));
        response.on("error", (error) => finish({ ok: false, statusCode: status, error: error.message.slice(0, 500) }));
      },
    );
    const hardTimeout = setTimeout(() => request.destroy(new Error(`timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
    request.on("close", () => clearTimeout(hardTimeout));
    request.on("timeout", () => request.destroy(new Error(`timed out after ${options.timeoutMs} ms`)));
    request.on("error", (error) => finish({ ok: false, statusCode: null, error: error.message.slice(0, 500) }));
    request.end(body);
  });
}
