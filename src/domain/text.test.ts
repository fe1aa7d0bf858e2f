import { describe, expect, it } from "vitest";
import { INVISIBLE_TEXTS } from "~/test/invisible-text-corpus";
import { VISIBLE_TEXT_REQUIRED, hasVisibleText, visibleTextOrNull } from "./text";

const VISIBLE_TEXTS: string[] = [
  "ok",
  "x",
  "  Delivered as asked. ",
  "\u200bhidden prefix then text",
  "é",
  "e\u0301",
  "日本語",
  "😀",
  "👍🏽",
  "١٢٣",
  "\u202eright to left",
  "-",
  ".",
];

describe("hasVisibleText", () => {
  it.each(INVISIBLE_TEXTS)("finds nothing visible in %s", (_, text) => {
    expect(hasVisibleText(text)).toBe(false);
    expect(visibleTextOrNull(text)).toBeNull();
  });

  it.each(VISIBLE_TEXTS)("finds visible text in %j", (text) => {
    expect(hasVisibleText(text)).toBe(true);
    expect(visibleTextOrNull(text)).toBe(text.trim());
  });

  it("treats absent text as not written", () => {
    expect(hasVisibleText(undefined)).toBe(false);
    expect(hasVisibleText(null)).toBe(false);
  });

  it("tells the writer why a blank text is refused", () => {
    expect(VISIBLE_TEXT_REQUIRED).toBe("must contain visible text (whitespace and invisible characters alone do not count)");
  });
});
