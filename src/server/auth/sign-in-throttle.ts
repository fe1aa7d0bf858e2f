// Sign-in mail is throttled per address and per client (issue 16: 20 POSTs for one address sent 20
// mails). A throttled request gets the same "check your email" page as any other, so the limit reveals
// nothing about the address; only the mail is not sent, and the server log says so. The route handler
// (src/app/api/auth/[...nextauth]/route.ts) runs next-auth inside signInClient, so the email provider's
// sendVerificationRequest, which next-auth gives no request, knows the client.
import { AsyncLocalStorage } from "node:async_hooks";
import { isIPv4, isIPv6 } from "node:net";
import type { Db } from "../db/client";
import { hitRateLimit, type RateLimitPolicy } from "../rate-limit/rate-limit";

export interface SignInMailLimits {
  perAddress: RateLimitPolicy;
  perClient: RateLimitPolicy;
}

export const signInClient = new AsyncLocalStorage<{ clientAddress: string | null }>();

/** Counts one sign-in mail for the address and the client; false when either is over its limit. */
export async function allowSignInMail(db: Db, email: string, clientAddress: string | null, limits: SignInMailLimits, now: Date): Promise<boolean> {
  const byAddress = await hitRateLimit(db, `signin_mail:address:${mailboxKey(email)}`, limits.perAddress, now);
  const byClient = clientAddress === null ? null : await hitRateLimit(db, `signin_mail:client:${clientKey(clientAddress)}`, limits.perClient, now);
  return byAddress.allowed && (byClient?.allowed ?? true);
}

const DOTLESS_DOMAINS = new Set(["gmail.com", "googlemail.com"]);

/**
 * The inbox an address reaches, as the per-address limit counts it: `victim+1@x` and `victim+2@x`
 * land in victim@x's inbox (sub-addressing), and Gmail ignores dots in the local part, so each such
 * spelling would otherwise be a fresh allowance of mails to the same person.
 */
export function mailboxKey(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf("@");
  if (at <= 0) return lower;
  const domain = lower.slice(at + 1);
  let local = lower.slice(0, at).split("+")[0] || lower.slice(0, at);
  if (DOTLESS_DOMAINS.has(domain)) local = local.replaceAll(".", "");
  return `${local}@${domain}`;
}

/**
 * The client as the per-client limit counts it: an IPv4 address, or the /64 network of an IPv6 one
 * (one host is routinely given a whole /64, so a new address per request costs an attacker nothing).
 */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIPv4(address) || !isIPv6(address)) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** For the log: enough of the address to recognise, not enough to harvest. */
export function maskEmail(email: string): string {
  const [local = "", domain = ""] = email.split("@");
  return `${local.slice(0, 2)}…@${domain}`;
}
