// PostgreSQL text and jsonb cannot hold U+0000, so a NUL anywhere in a request
// would fail deep inside a write as a 500. Transports refuse it up front as a
// validation error instead (issue 10: found by src/server/agent-api/fuzz.test.ts).
import { invalid, type ServiceError } from "./errors";

/** The path of the first string (or object key) holding a NUL character, or null. */
export function firstNulPath(value: unknown, path = ""): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path || "(body)" : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstNulPath(value[i], path ? `${path}.${i}` : String(i));
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      if (key.includes("\u0000")) return here;
      const found = firstNulPath(item, here);
      if (found !== null) return found;
    }
  }
  return null;
}

/** A validation error for input holding a NUL character, or null when there is none. */
export function nulTextError(value: unknown): ServiceError | null {
  const path = firstNulPath(value);
  return path === null ? null : invalid(path, "text must not contain NUL (U+0000) characters");
}
