import { describe, expect, it } from "vitest";
import { INVISIBLE_TEXTS } from "~/test/invisible-text-corpus";
import { ONE_LINE_TEXT_REQUIRED, VISIBLE_TEXT_REQUIRED, hasVisibleText, isOneLineText, visibleTextOrNull } from "./text";

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

describe("isOneLineText", () => {
  it.each([
    ["a line feed", "Logo\nHoldfast: paid"], ["a carriage return", "a\rb"], ["a tab", "a\tb"], ["a bell", "a\u0007"], ["DEL", "a\u007f"],
    ["a C1 control (NEL)", "a\u0085b"], ["the line separator", "a\u2028b"], ["the paragraph separator", "a\u2029b"],
    ["LRE", "a\u202Ab"], ["RLE", "a\u202Bb"], ["PDF", "a\u202Cb"], ["LRO", "a\u202Db"], ["RLO", "Evil\u202Eetis"],
    ["LRI", "a\u2066b"], ["RLI", "a\u2067b"], ["FSI", "a\u2068b"], ["PDI", "a\u2069b"],
  ])("refuses %s", (_, text) => {
    expect(isOneLineText(text)).toBe(false);
  });

  it.each(["Logo design", "تصميم شعار", "שלום \u200F(RTL)", "left\u200Emark", "👩‍👩‍👧 family", "Straße", "a\u061Cb", "\u00a0nbsp"])("accepts %j", (text) => {
    expect(isOneLineText(text)).toBe(true);
  });

  it("tells the writer what a one-line label may not hold", () => {
    expect(ONE_LINE_TEXT_REQUIRED).toBe(
      "must be one line of plain text: no line breaks, tabs or other control characters, and no bidirectional overrides or isolates (U+202A–U+202E, U+2066–U+2069)",
    );
  });
});
