// `npm run receipts:verify -- FILE [--jwks FILE_OR_URL]`: verifies, offline, a receipt chain or an evidence
// bundle (docs/RECEIPTS.md). FILE is a receipt chain ({"receipts": [...]}, as GET /escrows/{id}/receipts and
// the customer's "Download receipt" give it), a bare array of receipts, or an evidence bundle (then the
// artifacts' hashes are checked too). The JWKS comes from --jwks (a file or an https/http URL), else from the
// file itself (a downloaded receipt file embeds the JWKS it was signed against). Exit 0 when it holds; 1 with
// the reason when not; 2 on a usage error.
import { readFileSync } from "node:fs";
import { verifyEvidenceBundle, verifyReceiptChain, type ChainVerification, type EvidenceBundleLike, type Jwks, type ReceiptLike } from "../src/client/receipts";

function usage(message: string): never {
  console.error(`${message}\nusage: npm run receipts:verify -- FILE [--jwks FILE_OR_URL]`);
  process.exit(2);
}

async function readJson(source: string): Promise<unknown> {
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source);
    if (!response.ok) throw new Error(`${source}: HTTP ${response.status}`);
    return response.json();
  }
  return JSON.parse(readFileSync(source, "utf8")) as unknown;
}

async function verifyFile(file: string, jwksSource: string | null): Promise<ChainVerification & { kind: string; count: number }> {
  const content = (await readJson(file)) as Record<string, unknown> | unknown[];
  const embedded = !Array.isArray(content) ? (content.jwks as Jwks | undefined) : undefined;
  const jwks = jwksSource ? ((await readJson(jwksSource)) as Jwks) : embedded;
  if (!jwks) throw new Error("no JWKS: pass --jwks FILE_OR_URL (e.g. https://holdfast.example/.well-known/jwks.json)");
  if (Array.isArray(content)) return { ...(await verifyReceiptChain(content as ReceiptLike[], jwks)), kind: "receipts", count: content.length };
  const receipts = (content.receipts ?? []) as ReceiptLike[];
  if (Array.isArray(content.artifacts)) {
    return { ...(await verifyEvidenceBundle(content as unknown as EvidenceBundleLike, jwks)), kind: "evidence bundle", count: receipts.length };
  }
  return { ...(await verifyReceiptChain(receipts, jwks)), kind: "receipts", count: receipts.length };
}

const isMain = process.argv[1]?.endsWith("receipts-verify.ts");
if (isMain) {
  const args = process.argv.slice(2);
  let file: string | null = null;
  let jwks: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--jwks") {
      jwks = args[++i] ?? usage("--jwks needs a file or URL");
    } else if (arg.startsWith("--jwks=")) {
      jwks = arg.slice("--jwks=".length);
    } else if (arg.startsWith("-")) {
      usage(`unknown option ${arg}`);
    } else if (file === null) {
      file = arg;
    } else {
      usage(`unexpected argument ${arg}`);
    }
  }
  if (!file) usage("FILE is required");
  try {
    const result = await verifyFile(file, jwks);
    if (result.ok) {
      console.log(`OK: ${result.kind} of escrow ${result.payloads[0]!.escrow_id}, ${result.count} receipt(s), chain and signatures verify`);
      process.exit(0);
    }
    console.error(`FAILED: ${result.reason}`);
    process.exit(1);
  } catch (error) {
    console.error(`FAILED: ${(error as Error).message}`);
    process.exit(1);
  }
}
