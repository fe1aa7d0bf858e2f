// The evidence Holdfast sends Stripe for a chargeback (issue 15 item 5), built from the evidence bundles
// (src/domain/evidence-bundle.ts, issue 18) of the escrows the disputed money paid for — the same documents
// a moderator or a party downloads, so the provider hears exactly what the record says: what was ordered,
// the delivery with each artifact's size and SHA-256 as the signed receipts name it, the last receipt of
// each chain (its hash pins the whole chain), the evaluator's verdict when there was one, the timeline
// with the customer's own approvals, and a transcript excerpt. Pure: the service gathers the bundles, this
// maps them onto Stripe's text evidence fields (capped, since Stripe limits the evidence's total length).
// Stripe's file fields (service_documentation, customer_communication, receipt, uncategorized_file) take
// uploaded PDF or image ids, not text: Holdfast leaves them empty and says where the signed files are.
import type { EvidenceBundle } from "../evidence-bundle";

/** The parts of an evidence bundle the chargeback evidence reads. */
export type DisputeBundle = Pick<EvidenceBundle, "escrow" | "transcript" | "artifacts" | "timeline" | "receipts">;

export interface EvidenceInput {
  customerName: string;
  customerEmail: string;
  bundles: DisputeBundle[];
}

/** Stripe's text fields of `evidence` that Holdfast fills (DisputeUpdateParams.Evidence). */
export interface DisputeEvidenceFields {
  customer_name: string;
  customer_email_address: string;
  product_description: string;
  service_date: string;
  access_activity_log: string;
  uncategorized_text: string;
}

/** Per field; Stripe caps the whole evidence at 150,000 characters. */
export const EVIDENCE_FIELD_MAX_CHARS = 20_000;
/** A transcript message is one line of at most this many characters. */
export const EVIDENCE_MESSAGE_MAX_CHARS = 500;

const cap = (text: string) => (text.length <= EVIDENCE_FIELD_MAX_CHARS ? text : `${text.slice(0, EVIDENCE_FIELD_MAX_CHARS - 12)}\n[truncated]`);
const minor = (amount: number, currency: string) => `${amount} ${currency} (minor units)`;
const oneLine = (text: string, max: number) => text.replace(/\s+/g, " ").slice(0, max);

interface CountedArtifact {
  id: string;
  sha256: string;
  size_bytes: number;
}

/** The artifacts the signed receipts counted toward delivery (each `complete` receipt names them), with their receipt's seq. */
function deliveredByReceipt(bundle: DisputeBundle): { seq: number; artifact: CountedArtifact }[] {
  return bundle.receipts.flatMap((r) => {
    const payload = r.payload as { artifacts?: CountedArtifact[] } | null;
    return (payload?.artifacts ?? []).map((artifact) => ({ seq: r.seq, artifact }));
  });
}

/** When the delivery first reached the customer (the first `complete`), else when the order was made. */
function serviceDay(bundle: DisputeBundle): string {
  const delivered = bundle.timeline.find((t) => t.command === "complete" && t.to === "delivered");
  return (delivered?.at ?? bundle.escrow.created_at).slice(0, 10);
}

function deliveryLines(bundle: DisputeBundle): string[] {
  const ref = bundle.escrow.reference_code;
  const named = new Map(bundle.artifacts.map((a) => [a.id, a]));
  const counted = deliveredByReceipt(bundle);
  const lines = counted.map(({ seq, artifact }) => {
    const a = named.get(artifact.id);
    return `  ${a ? `${a.name} (${a.mime_type})` : artifact.id}, ${artifact.size_bytes} bytes, SHA-256 ${artifact.sha256}, named by signed receipt #${seq}`;
  });
  return [`Order ${ref} — delivered artifacts:`, ...(lines.length ? lines : ["  none"])];
}

function receiptLines(bundle: DisputeBundle): string[] {
  const last = bundle.receipts.at(-1);
  if (!last) return [];
  const state = (last.payload as { state?: unknown } | null)?.state;
  return [
    `Order ${bundle.escrow.reference_code} — signed receipt chain: ${bundle.receipts.length} receipts (Ed25519 JWS, key ${last.kid}); ` +
      `the last, #${last.seq} (state ${String(state)}), has SHA-256 ${last.sha256} and names the hash of the one before it, so it pins the whole chain. ` +
      "Public keys: /.well-known/jwks.json on Holdfast; the full evidence bundle verifies offline with `npm run receipts:verify`.",
  ];
}

function attestationLines(bundle: DisputeBundle): string[] {
  return bundle.timeline
    .filter((t) => t.command === "attest")
    .map((t) => `Order ${bundle.escrow.reference_code} — independent evaluator's attestation at ${t.at}: ${oneLine(t.reason ?? "", EVIDENCE_MESSAGE_MAX_CHARS)}`);
}

function transcriptLines(bundle: DisputeBundle): string[] {
  return [
    `Order ${bundle.escrow.reference_code} — conversation:`,
    ...bundle.transcript.map((m) => `  [${m.created_at}] ${m.role}: ${oneLine(m.text, EVIDENCE_MESSAGE_MAX_CHARS)}`),
  ];
}

export function buildDisputeEvidence(input: EvidenceInput): DisputeEvidenceFields {
  const { bundles } = input;
  const products = bundles.map(({ escrow: e }) => `Order ${e.reference_code}: "${e.title}", ${minor(e.amount, e.currency)}, now ${e.status}.`);
  const timeline = bundles.flatMap((b) => [
    `Order ${b.escrow.reference_code}:`,
    ...b.timeline.map((t) => `  ${t.at} ${t.command} by ${t.actor.kind} → ${t.to}`),
    ...b.timeline
      .filter((t) => t.actor.kind === "customer" && (t.command === "approve" || t.command === "accept"))
      .map((t) => `  customer ${t.command === "approve" ? "approved the delivery" : "accepted and paid the offer"} at ${t.at}`),
  ]);
  // Most telling first: what was delivered, what the signatures pin, what an evaluator found; the talk last (it is what the cap cuts).
  const record = bundles.flatMap((b) => [...deliveryLines(b), ...receiptLines(b), ...attestationLines(b)]);
  const talk = bundles.flatMap(transcriptLines);
  const days = bundles.map(serviceDay).sort();
  return {
    customer_name: input.customerName.slice(0, 200),
    customer_email_address: input.customerEmail.slice(0, 200),
    product_description: cap(products.join("\n") || "A prepaid wallet top-up on Holdfast, an escrow marketplace for AI-agent services."),
    service_date: days[0] ?? "",
    access_activity_log: cap(timeline.join("\n")),
    uncategorized_text: cap([...record, ...talk].join("\n")),
  };
}
