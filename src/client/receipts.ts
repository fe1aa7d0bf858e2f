// Offline verification of Holdfast receipts (issue 18; docs/RECEIPTS.md). Pure: no network, no server
// code — give it the receipts (from GET /escrows/{id}/receipts, a webhook, a downloaded receipt file or an
// evidence bundle) and the platform's JWKS (/.well-known/jwks.json), and it says whether the chain holds.
import canonicalize from "canonicalize";
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import { chainLinkProblem, isReceiptPayload, RECEIPT_ALG, RECEIPT_JWS_TYPE, type ReceiptPayload } from "~/domain/receipts";

export type { ReceiptArtifact, ReceiptPayload } from "~/domain/receipts";

/** A receipt as the API returns it: the compact JWS is the proof; the other fields are conveniences. */
export interface ReceiptLike {
  jws: string;
  seq?: number;
  escrow_id?: string;
  sha256?: string;
  kid?: string;
  payload?: unknown;
}

export interface Jwks {
  keys: JWK[];
}

export type ChainVerification =
  | { ok: true; payloads: ReceiptPayload[] }
  | { ok: false; reason: string; index: number | null };

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/** SHA-256 of a string's UTF-8 bytes (or of raw bytes), as lowercase hex. */
export async function sha256Hex(value: string | Uint8Array): Promise<string> {
  const bytes = typeof value === "string" ? utf8.encode(value) : value;
  const digest = await globalThis.crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function fail(reason: string, index: number | null): ChainVerification {
  return { ok: false, reason, index };
}

/**
 * Verifies one escrow's receipt chain against a JWKS: every signature (EdDSA, by a published key id), the
 * canonical payloads, the hash links (seq 1 with prev null, then each names the hash of the one before), and
 * that any convenience fields (seq, escrow_id, sha256, kid, payload) agree with what was signed.
 */
export async function verifyReceiptChain(receipts: readonly ReceiptLike[], jwks: Jwks): Promise<ChainVerification> {
  if (!Array.isArray(receipts) || receipts.length === 0) return fail("no receipts to verify", null);
  if (!jwks || !Array.isArray(jwks.keys)) return fail("the JWKS has no keys array", null);
  const payloads: ReceiptPayload[] = [];
  let previous: { escrow_id: string; seq: number; sha256: string } | null = null;
  for (const [index, receipt] of receipts.entries()) {
    const at = `receipt ${index + 1}`;
    if (typeof receipt?.jws !== "string") return fail(`${at}: no compact JWS`, index);
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(receipt.jws);
    } catch {
      return fail(`${at}: not a compact JWS`, index);
    }
    if (header.alg !== RECEIPT_ALG) return fail(`${at}: algorithm ${String(header.alg)} is not ${RECEIPT_ALG}`, index);
    if (header.typ !== RECEIPT_JWS_TYPE) return fail(`${at}: type ${String(header.typ)} is not ${RECEIPT_JWS_TYPE}`, index);
    const jwk = jwks.keys.find((k) => k.kid === header.kid);
    if (!header.kid || !jwk) return fail(`${at}: signed with key ${String(header.kid)}, which the JWKS does not publish`, index);
    if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || "d" in jwk) return fail(`${at}: key ${header.kid} is not a public Ed25519 key`, index);
    let signed: Uint8Array;
    try {
      const key = await importJWK({ ...jwk, alg: RECEIPT_ALG }, RECEIPT_ALG);
      signed = (await compactVerify(receipt.jws, key, { algorithms: [RECEIPT_ALG] })).payload;
    } catch {
      return fail(`${at}: the signature does not verify with key ${header.kid}`, index);
    }
    let text: string;
    let payload: unknown;
    try {
      text = utf8Decoder.decode(signed);
      payload = JSON.parse(text);
    } catch {
      return fail(`${at}: the signed payload is not JSON`, index);
    }
    if (canonicalize(payload) !== text) return fail(`${at}: the signed payload is not canonical JSON`, index);
    if (!isReceiptPayload(payload)) return fail(`${at}: the signed payload is not a receipt`, index);
    const sha256 = await sha256Hex(receipt.jws);
    if (receipt.sha256 !== undefined && receipt.sha256 !== sha256) return fail(`${at}: sha256 does not match its JWS`, index);
    if (receipt.seq !== undefined && receipt.seq !== payload.seq) return fail(`${at}: seq ${receipt.seq} is not the signed seq ${payload.seq}`, index);
    if (receipt.escrow_id !== undefined && receipt.escrow_id !== payload.escrow_id) return fail(`${at}: escrow_id differs from the signed one`, index);
    if (receipt.kid !== undefined && receipt.kid !== header.kid) return fail(`${at}: kid differs from the signing key`, index);
    if (receipt.payload !== undefined && canonicalize(receipt.payload) !== text) {
      return fail(`${at}: its payload differs from the signed payload`, index);
    }
    const link = chainLinkProblem(payload, previous);
    if (link) return fail(link, index);
    previous = { escrow_id: payload.escrow_id, seq: payload.seq, sha256 };
    payloads.push(payload);
  }
  return { ok: true, payloads };
}

/** An artifact in an evidence bundle: its content inline (base64) when small, else only its hash. */
export interface BundleArtifact {
  id: string;
  sha256: string;
  size_bytes: number;
  content_base64?: string | null;
}

/** The parts of an evidence bundle the verifier checks. */
export interface EvidenceBundleLike {
  escrow: { id: string };
  receipts: ReceiptLike[];
  artifacts: BundleArtifact[];
}

function base64Bytes(value: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) return null;
  const binary = globalThis.atob(value);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * Verifies an evidence bundle: its receipt chain (as verifyReceiptChain) belongs to its escrow, every inline
 * artifact hashes to its stated SHA-256 and size, and every artifact a receipt counted toward delivery is in
 * the bundle with the same hash.
 */
export async function verifyEvidenceBundle(bundle: EvidenceBundleLike, jwks: Jwks): Promise<ChainVerification> {
  if (!bundle || typeof bundle !== "object" || !Array.isArray(bundle.receipts) || !Array.isArray(bundle.artifacts)) {
    return fail("not an evidence bundle (receipts and artifacts are required)", null);
  }
  const chain = await verifyReceiptChain(bundle.receipts, jwks);
  if (!chain.ok) return chain;
  if (chain.payloads.some((p) => p.escrow_id !== bundle.escrow?.id)) return fail("the receipts are of another escrow than the bundle's", null);
  const byId = new Map<string, BundleArtifact>();
  for (const artifact of bundle.artifacts) {
    byId.set(artifact.id, artifact);
    if (typeof artifact.content_base64 !== "string") continue;
    const bytes = base64Bytes(artifact.content_base64);
    if (!bytes) return fail(`artifact ${artifact.id}: content is not base64`, null);
    if (bytes.length !== artifact.size_bytes) return fail(`artifact ${artifact.id}: ${bytes.length} bytes, not the stated ${artifact.size_bytes}`, null);
    if ((await sha256Hex(bytes)) !== artifact.sha256) return fail(`artifact ${artifact.id}: content does not hash to its sha256`, null);
  }
  for (const payload of chain.payloads) {
    for (const counted of payload.artifacts) {
      const artifact = byId.get(counted.id);
      if (!artifact) return fail(`receipt ${payload.seq} counts artifact ${counted.id}, which the bundle lacks`, null);
      if (artifact.sha256 !== counted.sha256 || artifact.size_bytes !== counted.size_bytes) {
        return fail(`artifact ${counted.id}: hash or size differs from receipt ${payload.seq}`, null);
      }
    }
  }
  return chain;
}
