// PostgreSQL text and jsonb cannot hold U+0000, so a NUL anywhere in a request
// would fail deep inside a write as a 500. Transports refuse it up front as a
// validation error instead (issue 10: found by src/server/agent-api/fuzz.test.ts).
// A lone UTF-16 surrogate (JSON "\ud800" with no partner) is not a character either:
// jsonb refuses it (a 500 from a data artifact or an event holding customer text)
// and a text column silently stores U+FFFD instead of what was sent (issue 16, round
// three). Both are refused the same way, in values and in keys. So is the key `__proto__`: JSON.parse
// keeps it as a plain key, but every copy of the object (zod's parse, a spread) turns it into a
// prototype assignment, so a data artifact `{"__proto__": {…}}` was stored without it and answered 201.
// The walk is iterative and stops at MAX_JSON_DEPTH: a recursive one overflowed the
// stack on JSON nested 5,000 levels deep (issue 16), a 500 on every call.
import { MAX_JSON_DEPTH, TOO_DEEP_MESSAGE } from "./http/client-json";
import { invalid, type ServiceError } from "./errors";

type KeyProblem = "nul" | "surrogate" | "proto";
type Frame = { kind: "value"; value: unknown; path: string; depth: number } | { kind: "key"; problem: KeyProblem; path: string };

type Finding = { problem: KeyProblem | "deep"; path: string };

/** With the `u` flag a surrogate range matches only a surrogate that is not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function textProblem(text: string): "nul" | "surrogate" | null {
  if (text.includes("\u0000")) return "nul";
  return LONE_SURROGATE.test(text) ? "surrogate" : null;
}

function firstProblem(root: unknown): Finding | null {
  const stack: Frame[] = [{ kind: "value", value: root, path: "", depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.kind === "key") return { problem: frame.problem, path: frame.path };
    const { value, path, depth } = frame;
    if (typeof value === "string") {
      const problem = textProblem(value);
      if (problem) return { problem, path: path || "(body)" };
      continue;
    }
    if (!value || typeof value !== "object") continue;
    if (depth >= MAX_JSON_DEPTH) return { problem: "deep", path: path || "(body)" };
    // Pushed in reverse so the first problem in document order is found first (a key before its value).
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((item, i) => [String(i), item])
      : Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      const here = path ? `${path}.${key}` : key;
      stack.push({ kind: "value", value: item, path: here, depth: depth + 1 });
      const keyProblem = Array.isArray(value) ? null : key === "__proto__" ? "proto" : textProblem(key);
      if (keyProblem) stack.push({ kind: "key", problem: keyProblem, path: here });
    }
  }
  return null;
}

/** The path of the first string (or object key) holding a NUL character, or null. */
export function firstNulPath(value: unknown): string | null {
  const found = firstProblem(value);
  return found?.problem === "nul" ? found.path : null;
}

const MESSAGES: Record<Finding["problem"], string> = {
  nul: "text must not contain NUL (U+0000) characters",
  surrogate: "text must be valid Unicode: it holds a lone surrogate (such as \\ud800 without its pair), which is not a character; send the text as UTF-8 or escape whole characters",
  proto: "the key __proto__ is not allowed (JavaScript reads it as the object's prototype, so it could not be kept); rename it",
  deep: TOO_DEEP_MESSAGE,
};

/** A validation error for input holding a NUL character or a lone surrogate, or nested too deep; null when it is fine. */
export function nulTextError(value: unknown): ServiceError | null {
  const found = firstProblem(value);
  return found ? invalid(found.path, MESSAGES[found.problem]) : null;
}
