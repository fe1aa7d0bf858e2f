// Sending the sign-in link. Over SMTP (nodemailer) when HOLDFAST_SMTP_URL is
// set; otherwise, in demo mode only, the link is printed to the terminal so a
// local user can still sign in (the demo's mailbox, by design). Outside demo
// mode a link never reaches any output: it is a password (issue 21).
import { createTransport, type Transporter } from "nodemailer";
import type { Env } from "~/env";
import { log } from "../log";
import { maskEmail } from "./sign-in-throttle";

/** The demo's terminal, not the log: a human line a person copies the link from. */
function printForDemo(line: string): void {
  process.stdout.write(`${line}\n`);
}

export interface SignInLinkMail {
  to: string;
  url: string;
  expires: Date;
}

let cachedTransport: { url: string; transport: Transporter } | null = null;

function transportFor(smtpUrl: string): Transporter {
  if (cachedTransport?.url !== smtpUrl) cachedTransport = { url: smtpUrl, transport: createTransport(smtpUrl) };
  return cachedTransport.transport;
}

function signInMailText(url: string, host: string): string {
  return [
    `Sign in to Holdfast (${host})`,
    "",
    "Open this link to sign in. It works once and expires in 24 hours:",
    url,
    "",
    "If you did not ask to sign in, ignore this email: nothing happens without the link.",
    "",
  ].join("\n");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function signInMailHtml(url: string, host: string): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1c1917">
<p>Sign in to Holdfast (${escapeHtml(host)})</p>
<p><a href="${escapeHtml(url)}" style="display:inline-block;padding:10px 18px;background:#1f6f5c;color:#fff;border-radius:6px;text-decoration:none">Sign in</a></p>
<p>The link works once and expires in 24 hours. If you did not ask to sign in, ignore this email.</p>
</body></html>`;
}

export async function sendSignInLink(e: Env, mail: SignInLinkMail): Promise<void> {
  const host = new URL(mail.url).host;
  if (!e.HOLDFAST_SMTP_URL) {
    if (e.NODE_ENV === "production" && !e.HOLDFAST_DEMO) {
      throw new Error("Email sign-in needs HOLDFAST_SMTP_URL in production.");
    }
    if (!e.HOLDFAST_DEMO) {
      log().warn({ address: maskEmail(mail.to) }, "sign-in mail not sent: set HOLDFAST_SMTP_URL (or HOLDFAST_DEMO=1 to print links)");
      throw new Error("Email sign-in needs HOLDFAST_SMTP_URL (or HOLDFAST_DEMO=1, which prints the link).");
    }
    printForDemo(`[holdfast] no HOLDFAST_SMTP_URL: sign-in link for ${mail.to}: ${mail.url}`);
    return;
  }
  const result = await transportFor(e.HOLDFAST_SMTP_URL).sendMail({
    to: mail.to,
    from: e.HOLDFAST_EMAIL_FROM,
    subject: `Sign in to Holdfast`,
    text: signInMailText(mail.url, host),
    html: signInMailHtml(mail.url, host),
  });
  const failed = [...result.rejected, ...(result.pending ?? [])].filter(Boolean);
  if (failed.length) throw new Error(`The sign-in email could not be sent to ${failed.join(", ")}.`);
}
