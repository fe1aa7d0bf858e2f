// JSON from clients is refused when nested deeper than MAX_JSON_DEPTH (issue 16): JSON.parse copes
// with 5,000 levels, but every recursive walk after it (NUL checks, superjson, zod, Prisma's JSON
// columns) would overflow the stack and answer 500. No request of Holdfast's nests more than a
// few levels; an artifact contract's JSON Schema is the deepest and stays far below the bound.

export const MAX_JSON_DEPTH = 64;

export const TOO_DEEP_MESSAGE = `JSON nested deeper than ${MAX_JSON_DEPTH} levels is not accepted`;

/**
 * True when the JSON text opens more than `maxDepth` arrays/objects at once. One pass, no
 * recursion, strings skipped; works on invalid JSON too (the parser refuses that afterwards).
 */
export function jsonTooDeep(text: string, maxDepth = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

export type ClientJson = { ok: true; value: unknown } | { ok: false; message: string };

/** Parses a client's JSON text: over-deep → refused with TOO_DEEP_MESSAGE, invalid → "not valid JSON". */
export function parseClientJson(text: string): ClientJson {
  if (jsonTooDeep(text)) return { ok: false, message: TOO_DEEP_MESSAGE };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, message: "the body is not valid JSON" };
  }
}
