// PostgreSQL text and jsonb cannot hold U+0000, so a NUL anywhere in a request
// would fail deep inside a write as a 500. Transports refuse it up front as a
// validation error instead (issue 10: found by src/server/agent-api/fuzz.test.ts).
// The walk is iterative and stops at MAX_JSON_DEPTH: a recursive one overflowed the
// stack on JSON nested 5,000 levels deep (issue 16), a 500 on every call.
import { MAX_JSON_DEPTH, TOO_DEEP_MESSAGE } from "./http/client-json";
import { invalid, type ServiceError } from "./errors";

type Frame = { kind: "value"; value: unknown; path: string; depth: number } | { kind: "key"; path: string };

type Finding = { problem: "nul" | "deep"; path: string };

function firstProblem(root: unknown): Finding | null {
  const stack: Frame[] = [{ kind: "value", value: root, path: "", depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.kind === "key") return { problem: "nul", path: frame.path };
    const { value, path, depth } = frame;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return { problem: "nul", path: path || "(body)" };
      continue;
    }
    if (!value || typeof value !== "object") continue;
    if (depth >= MAX_JSON_DEPTH) return { problem: "deep", path: path || "(body)" };
    // Pushed in reverse so the first NUL in document order is found first (a key before its value).
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((item, i) => [String(i), item])
      : Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      const here = path ? `${path}.${key}` : key;
      stack.push({ kind: "value", value: item, path: here, depth: depth + 1 });
      if (!Array.isArray(value) && key.includes("\u0000")) stack.push({ kind: "key", path: here });
    }
  }
  return null;
}

/** The path of the first string (or object key) holding a NUL character, or null. */
export function firstNulPath(value: unknown): string | null {
  const found = firstProblem(value);
  return found?.problem === "nul" ? found.path : null;
}

/** A validation error for input holding a NUL character or nested too deep, or null when it is fine. */
export function nulTextError(value: unknown): ServiceError | null {
  const found = firstProblem(value);
  if (!found) return null;
  return found.problem === "nul"
    ? invalid(found.path, "text must not contain NUL (U+0000) characters")
    : invalid(found.path, TOO_DEEP_MESSAGE);
}
