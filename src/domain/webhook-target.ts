// Where Holdfast may POST an agent's webhook (issue 16 item 5). The relay sends bodies that carry text
// an attacker controls, so an owner must not be able to aim it at the server's own network: loopback,
// private, link-local, unique-local, CGNAT, multicast, unspecified, broadcast and reserved addresses
// are refused, in every spelling the URL parser accepts (2130706433, 0x7f.1, 127.1 and ::ffff:127.0.0.1
// all name 127.0.0.1). The same rule runs twice: on the URL when the owner saves it, and on every
// address DNS gives at send time (src/server/webhooks/pinned-post.ts), so a name that resolves to a
// private address, or later rebinds to one, is refused too. A deployment that really needs a private
// target lists it in HOLDFAST_WEBHOOK_ALLOWED_HOSTS (host names, addresses or CIDR ranges).
import ipaddr from "ipaddr.js";

export interface WebhookTargetPolicy {
  /** Host names (exact, lowercase), addresses or CIDR ranges that may be private. Empty = none. */
  allowedHosts: readonly string[];
  /** Production: only https. */
  requireHttps: boolean;
}

export type WebhookUrlVerdict = { ok: true; url: URL; hostname: string; literalAddress: string | null } | { ok: false; reason: string };

/** Names that always mean this machine or the local network, whatever DNS says. */
// Stryker disable next-line Regex: equivalent — dropping `^|` only stops matching a bare single label, which is refused as single-label anyway
const LOCAL_NAME = /(^|\.)(localhost|local|internal|home\.arpa|localdomain)$/;

/** Host names as they appear in a URL: lowercase, no brackets around IPv6, no trailing dot. */
function bareHost(hostname: string): string {
  // Stryker disable next-line Regex: equivalent — a text with brackets anywhere but around the whole is no address either way
  return hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
}

function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  return ipaddr.isValid(text) ? ipaddr.parse(text) : null;
}

/** True when `address` (or the host name it was reached by) is on the deployment's allow-list. */
export function isAllowListed(policy: WebhookTargetPolicy, hostname: string, address: string | null): boolean {
  const host = bareHost(hostname);
  const parsed = address === null ? null : parseAddress(bareHost(address));
  for (const entry of policy.allowedHosts) {
    const e = entry.trim().toLowerCase();
    // Stryker disable next-line ConditionalExpression: equivalent — a blank entry equals no host and is no address or range; skipping it says so
    if (!e) continue;
    if (e === host) return true;
    if (!parsed) continue;
    // Stryker disable next-line StringLiteral: equivalent — isValidCIDR already requires the slash; the check keeps bare addresses on the next branch
    if (e.includes("/") && ipaddr.isValidCIDR(e)) {
      const [range, bits] = ipaddr.parseCIDR(e);
      if (range.kind() === parsed.kind() && parsed.match(range, bits)) return true;
    } else if (ipaddr.isValid(e) && ipaddr.parse(e).toString() === parsed.toString()) return true;
  }
  return false;
}

/**
 * Why `address` is not a public unicast address, or null when it is. Only ipaddr.js's "unicast" range
 * passes: everything it names (loopback, private, linkLocal, uniqueLocal, carrierGradeNat, multicast,
 * unspecified, broadcast, reserved, ipv4Mapped, rfc6052/rfc6145 NAT64, 6to4, teredo, …) is refused,
 * so an IPv6 form that embeds an IPv4 address cannot smuggle a private one through.
 */
export function nonPublicAddressReason(address: string): string | null {
  const parsed = parseAddress(bareHost(address));
  if (!parsed) return `"${address}" is not an IP address`;
  const range = parsed.range();
  if (range !== "unicast") return `${parsed.toString()} is a ${range} address`;
  // ipaddr.js calls every IPv6 address it has no name for "unicast", the IETF-reserved ::/8 included:
  // [::127.0.0.1] (IPv4-compatible, deprecated) and [::a00:1] passed as public. Only 2000::/3 is
  // global unicast (RFC 4291 §2.4), so any other IPv6 address is refused.
  if (parsed.kind() === "ipv6" && !parsed.match(GLOBAL_UNICAST_V6)) return `${parsed.toString()} is a reserved address (outside 2000::/3)`;
  return null;
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

/** The save-time check of a webhook URL: scheme, credentials, and the host as written. */
export function checkWebhookUrl(input: string, policy: WebhookTargetPolicy): WebhookUrlVerdict {
  let url: URL;
  try {
    // Stryker disable next-line MethodExpression: equivalent — the URL parser strips leading and trailing spaces itself
    url = new URL(input.trim());
  } catch {
    return { ok: false, reason: "a full http(s) URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "a full http(s) URL" };
  if (policy.requireHttps && url.protocol !== "https:") return { ok: false, reason: "must use https" };
  if (url.username || url.password) return { ok: false, reason: "must not carry a user name or password" };
  const hostname = bareHost(url.hostname);
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent — the URL parser refuses an http(s) URL with an empty host; kept as a guard
  if (!hostname) return { ok: false, reason: "a full http(s) URL" };
  // The WHATWG parser has already turned every numeric IPv4 spelling into dotted form.
  const literal = parseAddress(hostname);
  if (literal) {
    const reason = nonPublicAddressReason(hostname);
    if (reason && !isAllowListed(policy, hostname, hostname)) return { ok: false, reason: `must be a public address (${reason})` };
    return { ok: true, url, hostname, literalAddress: literal.toString() };
  }
  if ((LOCAL_NAME.test(hostname) || !hostname.includes(".")) && !isAllowListed(policy, hostname, null)) {
    return { ok: false, reason: `must be a public host name (${hostname} is local)` };
  }
  return { ok: true, url, hostname, literalAddress: null };
}

/** The send-time check of one resolved address. */
export function checkResolvedAddress(policy: WebhookTargetPolicy, hostname: string, address: string): string | null {
  const reason = nonPublicAddressReason(address);
  if (reason === null || isAllowListed(policy, hostname, address)) return null;
  return `${bareHost(hostname)} resolves to ${reason}`;
}
