/**
 * Regular expressions that strangers write (the `pattern` and `patternProperties` of an owner's JSON
 * Schema) run on RE2 (re2js), whose matching time is linear in the input. JavaScript's own engine
 * backtracks: `^(a|a)+$` against thirty a's and a "!" takes seconds, and the whole server waits.
 * RE2 has no backreferences or lookaround; such patterns are refused when they are saved
 * (`linearPatternProblem`), never run.
 */
import type { RegExpEngine } from "ajv/dist/types";
import { RE2JS } from "re2js";

/** A pattern longer than this is refused: no artifact contract needs one, and compiling costs. */
export const MAX_PATTERN_CHARS = 1_000;

/**
 * Why `pattern` cannot be used as a JSON Schema pattern here, as a sentence; null when it can.
 * It must be a valid ECMAScript pattern (what JSON Schema means, and what the owner tested) *and*
 * compile on the linear-time engine.
 */
export function linearPatternProblem(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_CHARS) return `is longer than ${MAX_PATTERN_CHARS} characters`;
  try {
    // Compiling (not running) a JavaScript pattern is safe; it only checks the syntax.
    new RegExp(pattern, "u");
  } catch (error) {
    return `is not a valid regular expression (${messageOf(error)})`;
  }
  const unsupported = "uses syntax the linear-time pattern engine does not support — backreferences (\\1, \\k<name>) and lookahead/lookbehind ((?=, (?!, (?<=, (?<!) are not allowed";
  // Checked on the pattern itself: translateRegExp would quietly turn `\k<name>` into the letters "k<name>".
  if (hasBackreference(pattern)) return `${unsupported} (backreference)`;
  try {
    compileLinear(pattern);
  } catch (error) {
    return `${unsupported} (${messageOf(error)})`;
  }
  return null;
}

/** In a valid Unicode-mode pattern, an escaped `k` or 1–9 is always a backreference. */
function hasBackreference(pattern: string): boolean {
  // Stryker disable next-line EqualityOperator: one step past the end reads undefined, which is not a backslash
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== "\\") continue;
    // Stryker disable next-line StringLiteral: a trailing backslash is not a valid pattern; the RegExp check refused it first
    const next = pattern[i + 1] ?? "";
    if (next === "k" || (next >= "1" && next <= "9")) return true;
    i++; // skip the escaped character, so `\\k` is a backslash then a k
  }
  return false;
}

/**
 * The work of running `pattern` over 100 characters, in `schemaCheckCost`'s units (about 0.3 µs).
 * RE2 stays linear in the input, but when its DFA cache thrashes it steps every instruction per
 * character: `[ab]*a[ab]{900}$` (906 instructions) took 152 ms over 100,000 characters.
 */
export function linearPatternCostPer100Chars(pattern: string): number {
  let cost = patternCosts.get(pattern);
  // Stryker disable next-line ConditionalExpression: a cache; computing the cost again gives the same cost
  if (cost === undefined) {
    try {
      cost = Math.max(1, Math.ceil(compileLinear(pattern).programSize() / 2));
    } catch {
      cost = 1; // refused patterns never run
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the bound only limits memory; the cost is the same cached or not
    if (patternCosts.size >= 2_000) patternCosts.clear();
    patternCosts.set(pattern, cost);
  }
  return cost;
}
const patternCosts = new Map<string, number>();

function compileLinear(pattern: string): RE2JS {
  // translateRegExp rewrites ECMAScript-only spellings (\u0041, \u{1F600}, (?<name>…), [^]) to RE2's.
  return RE2JS.compile(RE2JS.translateRegExp(pattern));
}

/**
 * Ajv's `code.regExp` engine: Ajv calls it as `regExp(pattern, flags)` while compiling a schema and
 * calls `.test(string)` on the result while validating (see ajv/dist/vocabularies/code.js
 * `usePattern`). The flags are "u" or ""; RE2 always reads patterns as Unicode. `code` is only used
 * by Ajv's standalone code generation, which Holdfast does not use.
 */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string, _flags: string) => {
    const problem = linearPatternProblem(pattern);
    if (problem !== null) throw new Error(`pattern ${JSON.stringify(pattern)} ${problem}`);
    const compiled = compileLinear(pattern);
    return {
      test: (input: string) => compiled.test(input),
      // Ajv keys compiled patterns by toString(); keep it unique per pattern.
      toString: () => `re2:/${pattern}/`,
    };
  },
  { code: 'require("re2js").RE2JS' },
);

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
