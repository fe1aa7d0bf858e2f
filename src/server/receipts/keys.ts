// The platform's receipt signing keys (issue 18). A keyset is a list of Ed25519 private JWKs, each with a
// `kid`; the last one signs, and every one stays published at /.well-known/jwks.json so receipts signed
// before a rotation keep verifying. Rotate by appending a new key to HOLDFAST_RECEIPT_KEYS.
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { RECEIPT_ALG } from "~/domain/receipts";

export interface ReceiptSigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface ReceiptKeyset {
  /** Oldest first; the last one signs new receipts. */
  keys: ReceiptSigningKey[];
}

/** The key that signs new receipts: the newest. */
export function signingKey(keyset: ReceiptKeyset): ReceiptSigningKey {
  const key = keyset.keys.at(-1);
  if (!key) throw new Error("the receipt keyset is empty");
  return key;
}

/** The public keys, for /.well-known/jwks.json (never the private parts). */
export function publicJwks(keyset: ReceiptKeyset): { keys: JWK[] } {
  return { keys: keyset.keys.map((k) => ({ ...k.publicJwk })) };
}

function publicPart(jwk: JWK): JWK {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid: jwk.kid, alg: RECEIPT_ALG, use: "sig" };
}

/** A new Ed25519 key as a private JWK with this kid. */
export async function generateReceiptJwk(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(RECEIPT_ALG, { crv: "Ed25519", extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: RECEIPT_ALG };
}

/** A keyset from private JWKs (oldest first). Refuses keys that are not Ed25519 private keys with a kid. */
export async function keysetFromJwks(jwks: readonly JWK[]): Promise<ReceiptKeyset> {
  if (jwks.length === 0) throw new Error("HOLDFAST_RECEIPT_KEYS: at least one key is required");
  const kids = new Set<string>();
  const keys: ReceiptSigningKey[] = [];
  for (const [i, jwk] of jwks.entries()) {
    if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.d !== "string" || typeof jwk.x !== "string") {
      throw new Error(`HOLDFAST_RECEIPT_KEYS: key ${i + 1} is not an Ed25519 private JWK (kty OKP, crv Ed25519, d, x)`);
    }
    if (typeof jwk.kid !== "string" || jwk.kid.length === 0) throw new Error(`HOLDFAST_RECEIPT_KEYS: key ${i + 1} has no kid`);
    if (kids.has(jwk.kid)) throw new Error(`HOLDFAST_RECEIPT_KEYS: kid ${jwk.kid} appears twice`);
    kids.add(jwk.kid);
    const privateKey = (await importJWK({ ...jwk, alg: RECEIPT_ALG }, RECEIPT_ALG)) as CryptoKey;
    keys.push({ kid: jwk.kid, privateKey, publicJwk: publicPart(jwk) });
  }
  return { keys };
}

/** HOLDFAST_RECEIPT_KEYS: a JSON array of private JWKs, or a JWKS object `{ "keys": [...] }`. */
export function parseReceiptKeysSetting(value: string): JWK[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error("HOLDFAST_RECEIPT_KEYS is not JSON (a JWKS or an array of Ed25519 private JWKs with kids)");
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new Error("HOLDFAST_RECEIPT_KEYS: expected a JWKS ({\"keys\": [...]}) or an array of JWKs");
  return list as JWK[];
}

/**
 * The deployment's keyset: HOLDFAST_RECEIPT_KEYS when set. Without it, production refuses (receipts signed by a
 * throwaway key would prove nothing); a demo or development generates one key once and keeps it in the data
 * directory, so receipts signed before a restart still verify.
 */
export async function loadReceiptKeyset(
  source: Record<string, string | undefined> = process.env,
  dataDir = source.HOLDFAST_DATA_DIR ?? path.join(/*turbopackIgnore: true*/ process.cwd(), ".data"),
): Promise<ReceiptKeyset> {
  const setting = source.HOLDFAST_RECEIPT_KEYS;
  if (setting) return keysetFromJwks(parseReceiptKeysSetting(setting));
  if (source.NODE_ENV === "production" && !source.HOLDFAST_DEMO) {
    throw new Error("HOLDFAST_RECEIPT_KEYS is required in production: a JWKS of Ed25519 private keys with kids (docs/RECEIPTS.md).");
  }
  const file = path.resolve(dataDir, "receipt-keys.json");
  if (existsSync(file)) return keysetFromJwks(parseReceiptKeysSetting(readFileSync(file, "utf8")));
  const jwk = await generateReceiptJwk(`demo-${new Date().toISOString().slice(0, 10)}`);
  mkdirSync(path.dirname(file), { recursive: true });
  // Several server processes may start at once: write aside, then link into place (fails if one won), re-read.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ keys: [jwk] }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  return keysetFromJwks(parseReceiptKeysSetting(readFileSync(file, "utf8")));
}

const globalForKeys = globalThis as unknown as { holdfastReceiptKeyset?: Promise<ReceiptKeyset> };

/** The process's keyset, loaded once. */
export function receiptKeyset(): Promise<ReceiptKeyset> {
  globalForKeys.holdfastReceiptKeyset ??= loadReceiptKeyset();
  return globalForKeys.holdfastReceiptKeyset;
}

/** Replaces the process's keyset (tests; a rotation without a restart). */
export function useReceiptKeyset(keyset: ReceiptKeyset): void {
  globalForKeys.holdfastReceiptKeyset = Promise.resolve(keyset);
}
