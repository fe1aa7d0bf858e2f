import { describe, expect, it } from "vitest";
import { EMAIL_ADDRESS_RULE, normalizedEmailAddress } from "./email-address";

/** A valid address of exactly `chars` characters (local part `a`, labels of 63). */
function addressOfLength(chars: number): string {
  let domain = "com";
  while (domain.length < chars - 2) domain = `${"b".repeat(Math.min(63, chars - 2 - domain.length - 1))}.${domain}`;
  return `a@${domain}`;
}

describe("normalizedEmailAddress", () => {
  it.each([
    ["casey@example.com", "casey@example.com"],
    ["  Casey.Jones+orders@Example.CO.uk ", "casey.jones+orders@example.co.uk"],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ["ｃａｓｅｙ＠ｅｘａｍｐｌｅ．ｃｏｍ", "casey@example.com"], // full-width, as a phone keyboard may type it
    ["a_b-c@mail-1.example.xn--p1ai", "a_b-c@mail-1.example.xn--p1ai"],
    [`${"a".repeat(64)}@example.com`, `${"a".repeat(64)}@example.com`],
    ["a@b.co", "a@b.co"], // one-character local part and label
    [addressOfLength(254), addressOfLength(254)], // the SMTP path limit exactly
  ])("%s → %s", (typed, stored) => {
    expect(normalizedEmailAddress(typed)).toBe(stored);
  });

  it.each([
    ["a\u0000b@example.com", "a NUL (PostgreSQL cannot store it: it was a 500)"],
    ["a@example.com\u0000", "a trailing NUL"],
    ["a\r\nbcc@example.com", "CR/LF"],
    ["a\u0001@example.com", "a C0 control"],
    ["\u200b@example.com", "only a zero-width space before the @"],
    ["ca\u200bsey@example.com", "a zero-width space inside"],
    ["casey@exa\u200bmple.com", "an invisible character in the domain"],
    ["casey@example.com\u202e", "a bidi override"],
    ["a b@example.com", "a space"],
    ['"a b"@example.com', "a quoted local part"],
    ["casey@[127.0.0.1]", "an IP literal"],
    ["casey@localhost", "a single-label host"],
    ["casey@example.c", "a one-letter top-level label"],
    ["casey@example.123", "a numeric top-level label"],
    ["casey@-example.com", "a label starting with a hyphen"],
    ["casey@example-.com", "a label ending with a hyphen"],
    ["casey@example..com", "an empty label"],
    [".casey@example.com", "a leading dot"],
    ["ca..sey@example.com", "two dots"],
    ["casey.@example.com", "a trailing dot"],
    ["ca%sey@example.com", "a routing symbol"],
    ["@example.com", "no local part"],
    ["casey@", "no domain"],
    ["casey", "no @"],
    ["casey.example.com", "no @, though it reads as a host name"],
    ["casey@example.com1", "a top-level label ending in a digit"],
    ["casey@example.1com", "a top-level label starting with a digit"],
    [addressOfLength(255), "one character over the SMTP path limit"],
    ["a@b@example.com", "two @"],
    ["josé@example.com", "non-ASCII in the local part"],
    [`${"a".repeat(65)}@example.com`, "a local part over 64"],
    [`a@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.${"e".repeat(60)}.com`, "over 254 characters"],
    [`a@${"b".repeat(64)}.com`, "a label over 63"],
    ["", "empty"],
    ["   ", "blank"],
  ])("refuses %j (%s)", (typed) => {
    expect(normalizedEmailAddress(typed)).toBeNull();
  });

  it("the rule people read names the shape and what is allowed", () => {
    expect(EMAIL_ADDRESS_RULE).toMatch(/name@example\.com/);
    expect(EMAIL_ADDRESS_RULE).toMatch(/invisible characters/);
  });
});
