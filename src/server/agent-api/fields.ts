// Input pieces shared by the operations' schemas.
import { z } from "zod";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { MAX_AMOUNT_MINOR } from "~/domain/money";
import { hasVisibleText, isOneLineText, ONE_LINE_TEXT_REQUIRED, VISIBLE_TEXT_REQUIRED } from "~/domain/text";
import { invalid } from "../errors";

export const id = (what: string) => z.string().min(1).max(FIELD_LIMITS.idChars).describe(`${what} id`);

/** A required text (trimmed, at most `maxChars`) that must show something: invisible characters alone are refused. */
export const visibleText = (maxChars: number) =>
  z.string().trim().min(1).max(maxChars).refine(hasVisibleText, VISIBLE_TEXT_REQUIRED);

/** A required one-line label (an offer's or an alert's title): visible, and no line break, control or bidi override. */
export const visibleLine = (maxChars: number) => visibleText(maxChars).refine(isOneLineText, ONE_LINE_TEXT_REQUIRED);

/** PROTOCOL: a positive integer no larger than 2^53 − 1, else 400. */
// zod's int() also refuses integers beyond 2^53 − 1 (1e21 is whole, but not exact as a JSON number), so
// its message names both conditions: "must be a whole number" alone misled a caller who sent 1e21.
const WHOLE_MINOR_UNITS = "must be a whole number of minor units, at most 2^53 − 1 (9007199254740991)";

export const amount = z
  .number()
  .int(WHOLE_MINOR_UNITS)
  .positive("must be positive")
  .max(MAX_AMOUNT_MINOR, "must be at most 2^53 − 1");

export const nonNegativeAmount = z
  .number()
  .int(WHOLE_MINOR_UNITS)
  .nonnegative("must not be negative")
  .max(MAX_AMOUNT_MINOR, "must be at most 2^53 − 1");

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export const pageQuery = {
  after: z.string().min(1).max(FIELD_LIMITS.cursorChars).optional().describe("Cursor from a previous page's next_cursor"),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional().describe(`Page size (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE})`),
};

/** Keyset cursors over (created_at, id): opaque to callers. */
function encodeCursor(createdAt: Date, rowId: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${rowId}`, "utf8").toString("base64url");
}

/** Row ids this API hands out: a prefix and base-32ish characters (src/server/ids.ts). */
const CURSOR_ROW_ID = /^[A-Za-z0-9_-]{1,100}$/;

function decodeCursor(cursor: string, field = "after"): { createdAt: Date; id: string } {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const [time, rowId] = text.split("|");
  const createdAt = new Date(time ?? "");
  // A forged cursor must not reach the database as a 500: a year PostgreSQL cannot hold, or a NUL in the id.
  const year = createdAt.getUTCFullYear();
  if (!rowId || !CURSOR_ROW_ID.test(rowId) || Number.isNaN(createdAt.getTime()) || year < 1 || year > 9999) {
    throw invalid(field, "not a cursor this API returned");
  }
  return { createdAt, id: rowId };
}

/** Prisma filter for rows strictly after a (created_at, id) cursor. */
export function afterCursor(cursor: string | undefined) {
  if (!cursor) return {};
  const c = decodeCursor(cursor);
  return { OR: [{ createdAt: { gt: c.createdAt } }, { createdAt: c.createdAt, id: { gt: c.id } }] };
}

/** Takes `limit + 1` rows and says whether there is a next page. */
export function page<T extends { createdAt: Date; id: string }, J>(rows: T[], limit: number, toJson: (row: T) => J) {
  const visible = rows.slice(0, limit);
  const last = visible[visible.length - 1];
  return {
    data: visible.map(toJson),
    next_cursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}
