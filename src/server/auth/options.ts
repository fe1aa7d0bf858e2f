// next-auth configuration: email magic links over SMTP, database sessions in
// Holdfast's own tables, suspended people refused, secure cookies where the
// site is served over HTTPS. Built lazily (at the first request, not at build).
import { errorFields, log } from "../log";
import type { NextAuthOptions } from "next-auth";
import EmailProvider from "next-auth/providers/email";
import { env } from "~/env";
import { getDb } from "../db/client";
import { normalizedEmailAddress } from "~/domain/email-address";
import { holdfastAdapter, type HoldfastAdapterUser } from "./adapter";
import { sendSignInLink } from "./email";
import { sameOriginReturnPath } from "./redirect";
import { allowSignInMail, maskEmail, signInClient } from "./sign-in-throttle";
import { SESSION_MAX_AGE_S, SESSION_UPDATE_AGE_S } from "./session";
import { authSecret, secureCookiesFor, webBaseUrl } from "./settings";

/** How long an emailed sign-in link works. */
const SIGN_IN_LINK_MAX_AGE_S = 24 * 60 * 60;


const INVALID_ADDRESS = "Invalid email address.";

export interface AuthRuntime {
  options: NextAuthOptions;
  secret: string;
  secureCookies: boolean;
  baseUrl: URL;
}

let runtime: AuthRuntime | null = null;

export function authRuntime(): AuthRuntime {
  if (runtime) return runtime;
  const e = env();
  const baseUrl = webBaseUrl(e);
  // next-auth builds its URLs (links in mail, redirects) from NEXTAUTH_URL: the same base URL as every other link.
  process.env.NEXTAUTH_URL = baseUrl.origin;
  const secret = authSecret(e);
  const secureCookies = secureCookiesFor(e, baseUrl);
  const options: NextAuthOptions = {
    secret,
    adapter: holdfastAdapter(getDb()),
    session: { strategy: "database", maxAge: SESSION_MAX_AGE_S, updateAge: SESSION_UPDATE_AGE_S },
    useSecureCookies: secureCookies,
    providers: [
      EmailProvider({
        maxAge: SIGN_IN_LINK_MAX_AGE_S,
        normalizeIdentifier(identifier) {
          // One rule for every address Holdfast mails (src/domain/email-address.ts): a NUL or an invisible
          // character is refused here, before next-auth stores a sign-in link for it.
          const email = normalizedEmailAddress(identifier);
          if (email === null) throw new Error(INVALID_ADDRESS);
          return email;
        },
        async sendVerificationRequest({ identifier, url, expires }) {
          const client = signInClient.getStore()?.clientAddress ?? null;
          const limits = {
            perAddress: { limit: e.HOLDFAST_SIGN_IN_MAILS_PER_ADDRESS, windowS: e.HOLDFAST_SIGN_IN_MAIL_WINDOW_S },
            perClient: { limit: e.HOLDFAST_SIGN_IN_MAILS_PER_CLIENT, windowS: e.HOLDFAST_SIGN_IN_MAIL_WINDOW_S },
          };
          if (!(await allowSignInMail(getDb(), identifier, client, limits, new Date()))) {
            // Same page for the person asking (no enumeration, no hint); no mail.
            log().warn({ address: maskEmail(identifier), client: client ?? "unknown" }, "sign-in mail throttled");
            return;
          }
          await sendSignInLink(e, { to: identifier, url, expires });
        },
      }),
    ],
    pages: { signIn: "/sign-in", verifyRequest: "/sign-in/check-email", error: "/sign-in/error" },
    callbacks: {
      // Suspended people cannot sign in (their existing sessions stop resolving too: see session.ts).
      signIn({ user }) {
        const status = (user as Partial<HoldfastAdapterUser>).status;
        return status === undefined || status === "active";
      },
      // Same-origin redirects only: a crafted callbackUrl cannot send a signed-in person elsewhere (redirect.ts).
      redirect({ url, baseUrl: base }) {
        return `${base.replace(/\/+$/, "")}${sameOriginReturnPath(url, base)}`;
      },
    },
    logger: {
      // The code and the error's message only: next-auth's metadata can hold the sign-in link or the request.
      error: (code, metadata) => {
        const error = metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error;
        // A typed address that is not one is the person's mistake (or a probe), not the server's: no stack.
        if (error instanceof Error && error.message === INVALID_ADDRESS) return log().info({ code }, "sign-in refused: not an email address");
        log().error({ code, ...(error ? errorFields(error) : {}) }, "next-auth error");
      },
      warn: (code) => log().warn({ code }, "next-auth warning"),
      debug: () => undefined,
    },
  };
  runtime = { options, secret, secureCookies, baseUrl };
  return runtime;
}
