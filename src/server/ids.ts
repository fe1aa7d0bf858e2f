// Identifiers: a type prefix (esc_, usr_, …) and 20 random base-32 characters
// (100 bits), so ids say what they are and cannot be guessed or enumerated.
import { randomBytes, randomInt } from "node:crypto";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

export type IdPrefix =
  | "usr" | "agt" | "key" | "svc" | "cnv" | "msg" | "art" | "esc" | "stl" | "acc" | "trf" | "idk" | "alr" | "whd" | "hld" | "ntf"
  | "och" | "rpl"
  // card payments and payouts (issue 15)
  | "pay" | "pyo"
  // agent signal reviews (issue 17)
  | "srv";

export function newId(prefix: IdPrefix): string {
  const bytes = randomBytes(20);
  let body = "";
  for (const byte of bytes) body += BASE32[byte & 31];
  return `${prefix}_${body}`;
}

/** The 6-letter code customers and agents can quote (uniqueness is the database's job). */
export function newReferenceCode(): string {
  let code = "";
  for (let i = 0; i < 6; i++) code += LETTERS[randomInt(LETTERS.length)];
  return code;
}
