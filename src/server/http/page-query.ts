// A page's query-string value as the page may use it. Query strings are not checked by the proxy
// (src/proxy.ts matches paths only), so a page reads each value through here: one string (`?q=a&q=b`
// arrives as an array), at most `maxChars`, without control characters. A NUL (`?q=a%00`) would
// otherwise reach PostgreSQL, which cannot hold it, through the page's server-side tRPC call and turn
// a search into a 500; CR, LF and the other C0/C1 controls mean nothing in a search or a filter either.

const CONTROL_CHARACTERS = /\p{Cc}/gu;

/** The value as text the page can search or filter by ("" when absent). */
export function pageQueryText(value: string | string[] | undefined, maxChars: number): string {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== "string") return "";
  return first.replace(CONTROL_CHARACTERS, "").slice(0, maxChars);
}
