// A client's decimal for a bigint column (a message seq, an audit row id, an event cursor): digits
// only and at most PostgreSQL's bigint maximum. A larger value was a 500 (`out of range for type
// bigint`) from the database; now it is a validation error before any query (issue 16).
import { z } from "zod";

/** 2^63 − 1: the largest value of a PostgreSQL bigint. */
export const PG_BIGINT_MAX = 9_223_372_036_854_775_807n;

export function isBigintParam(text: string): boolean {
  return /^\d{1,19}$/.test(text) && BigInt(text) <= PG_BIGINT_MAX;
}

/** A non-negative bigint as a decimal string, for tRPC and agent API inputs. */
export const bigintParam = z.string().refine(isBigintParam, { message: `a whole number from 0 to ${PG_BIGINT_MAX}` });
