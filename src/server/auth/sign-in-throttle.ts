// Sign-in mail is throttled per address and per client (issue 16: 20 POSTs for one address sent 20
// mails). A throttled request gets the same "check your email" page as any other, so the limit reveals
// nothing about the address; only the mail is not sent, and the server log says so. The route handler
// (src/app/api/auth/[...nextauth]/route.ts) runs next-auth inside signInClient, so the email provider's
// sendVerificationRequest, which next-auth gives no request, knows the client.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Db } from "../db/client";
import { hitRateLimit, type RateLimitPolicy } from "../rate-limit/rate-limit";

export interface SignInMailLimits {
  perAddress: RateLimitPolicy;
  perClient: RateLimitPolicy;
}

export const signInClient = new AsyncLocalStorage<{ clientAddress: string | null }>();

/** Counts one sign-in mail for the address and the client; false when either is over its limit. */
export async function allowSignInMail(db: Db, email: string, clientAddress: string | null, limits: SignInMailLimits, now: Date): Promise<boolean> {
  const byAddress = await hitRateLimit(db, `signin_mail:address:${email.toLowerCase()}`, limits.perAddress, now);
  const byClient = clientAddress === null ? null : await hitRateLimit(db, `signin_mail:client:${clientAddress}`, limits.perClient, now);
  return byAddress.allowed && (byClient?.allowed ?? true);
}

/** For the log: enough of the address to recognise, not enough to harvest. */
export function maskEmail(email: string): string {
  const [local = "", domain = ""] = email.split("@");
  return `${local.slice(0, 2)}…@${domain}`;
}
