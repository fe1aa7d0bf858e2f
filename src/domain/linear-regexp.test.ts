import { describe, expect, it } from "vitest";
import { MAX_PATTERN_CHARS, linearPatternCostPer100Chars, linearPatternProblem, linearRegExp } from "./linear-regexp";

const UNSUPPORTED = "uses syntax the linear-time pattern engine does not support";

describe("linearPatternProblem", () => {
  it.each(["^[a-z]+$", "^\\d{3}-\\d{4}$", "\\u0041", "(?<year>\\d{4})", "\\\\k", "\\\\1", "\\0", "^(a|a)+$"])(
    "accepts %s",
    (pattern) => {
      expect(linearPatternProblem(pattern)).toBeNull();
    },
  );

  it("refuses a pattern one character over the limit, not one at it", () => {
    expect(linearPatternProblem("a".repeat(MAX_PATTERN_CHARS))).toBeNull();
    expect(linearPatternProblem("a".repeat(MAX_PATTERN_CHARS + 1))).toBe("is longer than 1000 characters");
  });

  it("refuses what is not an ECMAScript pattern, saying why", () => {
    expect(linearPatternProblem("(")).toMatch(/^is not a valid regular expression \(.*Invalid regular expression.*\)$/);
  });

  it.each(["(a)\\1", "(a)(b)(c)(d)(e)(f)(g)(h)(i)\\9", "(?<x>a)\\k<x>"])(
    "refuses the backreference in %s",
    (pattern) => {
      expect(linearPatternProblem(pattern)).toBe(
        `${UNSUPPORTED} — backreferences (\\1, \\k<name>) and lookahead/lookbehind ((?=, (?!, (?<=, (?<!) are not allowed (backreference)`,
      );
    },
  );

  it.each(["a(?=b)", "a(?!b)", "(?<=a)b", "(?<!a)b"])(
    "refuses the lookaround in %s, with the engine's reason",
    (pattern) => {
      const problem = linearPatternProblem(pattern) ?? "";
      expect(problem.startsWith(`${UNSUPPORTED} — `)).toBe(true);
      expect(problem).not.toMatch(/\(backreference\)$/);
      expect(problem).toMatch(/\(.+\)$/);
    },
  );
});

describe("linearPatternCostPer100Chars", () => {
  it("is at least 1 and grows with the compiled program", () => {
    expect(linearPatternCostPer100Chars("a")).toBeGreaterThanOrEqual(1);
    expect(linearPatternCostPer100Chars("[ab]*a[ab]{900}$")).toBeGreaterThan(100);
    expect(linearPatternCostPer100Chars("[ab]*a[ab]{900}$")).toBe(linearPatternCostPer100Chars("[ab]*a[ab]{900}$"));
  });

  it("is half the compiled program's instructions, rounded up (the units schemaCheckCost counts in)", () => {
    // `[ab]*a[ab]{900}$` compiles to 906 RE2 instructions (the 152 ms thrashing example above the function).
    expect(linearPatternCostPer100Chars("[ab]*a[ab]{900}$")).toBe(453);
  });

  it("a refused pattern costs 1: it never runs", () => {
    expect(linearPatternCostPer100Chars("(a)(?=b)")).toBe(1);
  });
});

describe("linearRegExp, Ajv's engine", () => {
  it("tests strings like a RegExp would", () => {
    const re = linearRegExp("^[a-z]+$", "u");
    expect(re.test("abc")).toBe(true);
    expect(re.test("abc1")).toBe(false);
  });

  it("is keyed by its pattern", () => {
    expect(String(linearRegExp("^a$", "u"))).toBe("re2:/^a$/");
  });

  it("runs a pathological pattern in linear time", () => {
    const started = Date.now();
    expect(linearRegExp("^(a|a)+$", "u").test(`${"a".repeat(40)}!`)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("refuses a pattern it cannot run linearly, naming it", () => {
    expect(() => linearRegExp("(a)\\1", "u")).toThrow(`pattern "(a)\\\\1" ${UNSUPPORTED}`);
  });

  it("declares re2js as its code for Ajv", () => {
    expect(linearRegExp.code).toBe('require("re2js").RE2JS');
  });
});

describe("a pattern is read in Unicode mode, as JSON Schema means", () => {
  it("refuses an identity escape that only the legacy mode allows", () => {
    expect(linearPatternProblem("\\-")).toMatch(/^is not a valid regular expression \(/);
  });
});
