/**
 * One definition of an email address Holdfast sends mail to: the sign-in address and an owner's email
 * channel. Typed text is normalised (NFKC, so full-width letters become ASCII; trimmed; lower case)
 * and must then be a plain `local@domain` in ASCII:
 * - the local part is letters, digits and `_ ' + -` in runs separated by single dots, at most 64
 *   characters: RFC 5322's dot-atom without the symbols mail systems treat as routing (`% ! /`), and
 *   no quoted strings, spaces, control, format or invisible characters (a NUL, a CR/LF, a U+200B
 *   zero-width space: an address nobody can read back, or a 500 from the database);
 * - the domain is a host name of at least two labels (letters, digits, inner hyphens; 1–63 each)
 *   ending in an alphabetic top-level label or an `xn--` one — no IP literals (`[127.0.0.1]`), no
 *   single-label hosts;
 * - the whole address is at most 254 characters (the SMTP path limit).
 */
export const EMAIL_ADDRESS_RULE = "an email address like name@example.com (before the @: letters, digits and . _ ' + - only; no spaces or invisible characters)";

const MAX_ADDRESS_CHARS = 254;
const MAX_LOCAL_CHARS = 64;
const DOT_ATOM = /^[a-z0-9_'+-]+(?:\.[a-z0-9_'+-]+)*$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** The address in its stored form, or null when it is not one (see EMAIL_ADDRESS_RULE). */
export function normalizedEmailAddress(typed: string): string | null {
  const address = typed.normalize("NFKC").trim().toLowerCase();
  if (address.length > MAX_ADDRESS_CHARS) return null;
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (at < 1 || local.length > MAX_LOCAL_CHARS || !DOT_ATOM.test(local)) return null;
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return null;
  return TOP_LABEL.test(labels[labels.length - 1]!) ? address : null;
}
