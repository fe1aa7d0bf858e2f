// PostgreSQL text and jsonb cannot hold U+0000, so a NUL anywhere in a request
// would fail deep inside a write as a 500. Transports refuse it up front as a
// validation error instead (issue 10: found by src/server/agent-api/fuzz.test.ts).
// A lone UTF-16 surrogate (JSON "\ud800" with no partner) is not a character either:
// jsonb refuses it (a 500 from a data artifact or an event holding customer text)
// and a text column silently stores U+FFFD instead of what was sent (issue 16, round
// three). Both are refused the same way, in values and in keys. So is the key `__proto__`: JSON.parse
// keeps it as a plain key, but every copy of the object (zod's parse, a spread) turns it into a
// prototype assignment, so a data artifact `{"__proto__": {…}}` was stored without it and answered 201.
// Text a person or a model typed holds no control character but tab, line feed and carriage return:
// a BEL, an ESC sequence (`\u001b[2J`), a backspace or a C1 control in a message, a reason or a name is
// nothing a reader can see and may act on a terminal or a log viewer, so it is refused too — except
// inside the fields that carry the caller's own JSON document (a data artifact's `data`, a service's
// `artifactContract`), which are data rather than text and where jsonb keeps such characters safely.
// The walk is iterative and stops at MAX_JSON_DEPTH: a recursive one overflowed the
// stack on JSON nested 5,000 levels deep (issue 16), a 500 on every call.
import { MAX_JSON_DEPTH, TOO_DEEP_MESSAGE } from "./http/client-json";
import { invalid, type ServiceError } from "./errors";

type KeyProblem = "nul" | "surrogate" | "control" | "proto";
type Frame = { kind: "value"; value: unknown; path: string; depth: number; document: boolean } | { kind: "key"; problem: KeyProblem; path: string };

type Finding = { problem: KeyProblem | "deep"; path: string };

/** With the `u` flag a surrogate range matches only a surrogate that is not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** C0 controls but tab, LF and CR; DEL; C1 controls. */
const CONTROL = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Top-level fields whose value is the caller's own JSON document, not text (see the header). */
const DOCUMENT_FIELDS = new Set(["data", "artifactContract", "artifact_contract"]);

function textProblem(text: string, document: boolean): "nul" | "surrogate" | "control" | null {
  if (text.includes("\u0000")) return "nul";
  if (LONE_SURROGATE.test(text)) return "surrogate";
  return !document && CONTROL.test(text) ? "control" : null;
}

function firstProblem(root: unknown): Finding | null {
  const stack: Frame[] = [{ kind: "value", value: root, path: "", depth: 0, document: false }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.kind === "key") return { problem: frame.problem, path: frame.path };
    const { value, path, depth, document } = frame;
    if (typeof value === "string") {
      const problem = textProblem(value, document);
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
      const inDocument = document || (depth === 0 && !Array.isArray(value) && DOCUMENT_FIELDS.has(key));
      stack.push({ kind: "value", value: item, path: here, depth: depth + 1, document: inDocument });
      const keyProblem = Array.isArray(value) ? null : key === "__proto__" ? "proto" : textProblem(key, document);
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
  control: "text must not contain control characters other than tab, line feed and carriage return (such as U+0007 BEL or an ESC sequence); remove them",
  proto: "the key __proto__ is not allowed (JavaScript reads it as the object's prototype, so it could not be kept); rename it",
  deep: TOO_DEEP_MESSAGE,
};

/** A validation error for input holding a NUL character or a lone surrogate, or nested too deep; null when it is fine. */
export function nulTextError(value: unknown): ServiceError | null {
  const found = firstProblem(value);
  return found ? invalid(found.path, MESSAGES[found.problem]) : null;
}
