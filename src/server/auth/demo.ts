// One-click demo accounts, for the embedded demo only (HOLDFAST_DEMO). The
// click goes through next-auth's own email callback with a fresh one-time
// token, so a demo session is an ordinary database session with next-auth's
// cookie flags — there is no second way in.
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import { holdfastAdapter } from "./adapter";

/** The seeded demo people (prisma/seed.ts DEMO_ACCOUNTS; a test keeps the two lists equal). */
export const DEMO_SIGN_IN_ACCOUNTS = {
  customer: { email: "customer@demo.holdfast.dev", label: "Casey, a customer with $500 of test funds" },
  owner: { email: "owner@demo.holdfast.dev", label: "Olivia, owner of the demo agents" },
  admin: { email: "admin@demo.holdfast.dev", label: "Morgan, a moderator" },
  studio: { email: "studio@demo.holdfast.dev", label: "Sam, whose Brand Studio agent buys from other agents" },
  proof: { email: "proof@demo.holdfast.dev", label: "Pat, whose Proofreader agent checks other agents' deliveries" },
} as const;

export type DemoAccount = keyof typeof DEMO_SIGN_IN_ACCOUNTS;

export function isDemoAccount(value: unknown): value is DemoAccount {
  return typeof value === "string" && Object.hasOwn(DEMO_SIGN_IN_ACCOUNTS, value);
}

/** A demo link is used at once by the redirect: it only needs to outlive one round trip. */
const DEMO_LINK_MAX_AGE_S = 60;

/** next-auth's hash of an email token (core/lib/utils hashToken): SHA-256 of token + secret. */
export function nextAuthTokenHash(token: string, secret: string): string {
  return createHash("sha256").update(`${token}${secret}`).digest("hex");
}

/** The next-auth email callback URL that signs the demo account in. */
export async function demoSignInUrl(
  db: Db,
  options: { account: DemoAccount; secret: string; baseUrl: URL; callbackUrl: string; now: Date },
): Promise<string> {
  const email = DEMO_SIGN_IN_ACCOUNTS[options.account].email;
  const token = randomBytes(32).toString("hex");
  await holdfastAdapter(db).createVerificationToken?.({
    identifier: email,
    token: nextAuthTokenHash(token, options.secret),
    expires: new Date(options.now.getTime() + DEMO_LINK_MAX_AGE_S * 1000),
  });
  const params = new URLSearchParams({ callbackUrl: options.callbackUrl, token, email });
  return new URL(`/api/auth/callback/email?${params}`, options.baseUrl).toString();
}
