// The evidence Holdfast sends Stripe for a chargeback (issue 15 item 5), built from its own record of
// the escrows the disputed money paid for: what was ordered, the conversation, each delivered artifact
// with its size and SHA-256, the status timeline and the customer's own approvals. Pure: the service
// gathers the rows, this turns them into Stripe's evidence fields (plain text, capped, since Stripe
// limits the evidence's total length).

export interface EvidenceEscrow {
  referenceCode: string;
  title: string;
  amountMinor: number;
  currency: string;
  status: string;
  createdAt: Date;
  timeline: { at: Date; command: string; actor: string; toStatus: string }[];
  messages: { at: Date; role: string; text: string }[];
  artifacts: { name: string; mimeType: string; sizeBytes: number; sha256: string; at: Date }[];
}

export interface EvidenceInput {
  customerName: string;
  customerEmail: string;
  escrows: EvidenceEscrow[];
}

/** Stripe's text fields of `evidence` that Holdfast fills. */
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

const day = (d: Date) => d.toISOString().slice(0, 10);
const cap = (text: string) => (text.length <= EVIDENCE_FIELD_MAX_CHARS ? text : `${text.slice(0, EVIDENCE_FIELD_MAX_CHARS - 12)}\n[truncated]`);
const minor = (amount: number, currency: string) => `${amount} ${currency} (minor units)`;

export function buildDisputeEvidence(input: EvidenceInput): DisputeEvidenceFields {
  const { escrows } = input;
  const products = escrows.map((e) => `Order ${e.referenceCode}: "${e.title}", ${minor(e.amountMinor, e.currency)}, now ${e.status}.`);
  const timeline = escrows.flatMap((e) => [
    `Order ${e.referenceCode}:`,
    ...e.timeline.map((t) => `  ${t.at.toISOString()} ${t.command} by ${t.actor} → ${t.toStatus}`),
    ...e.timeline.filter((t) => t.actor === "customer" && (t.command === "approve" || t.command === "accept")).map((t) => `  customer ${t.command === "approve" ? "approved the delivery" : "accepted and paid the offer"} at ${t.at.toISOString()}`),
  ]);
  const record = escrows.flatMap((e) => [
    `Order ${e.referenceCode} — delivered artifacts:`,
    ...(e.artifacts.length
      ? e.artifacts.map((a) => `  ${a.name} (${a.mimeType}), ${a.sizeBytes} bytes, SHA-256 ${a.sha256}, sent ${a.at.toISOString()}`)
      : ["  none"]),
    `Order ${e.referenceCode} — conversation:`,
    ...e.messages.map((m) => `  [${m.at.toISOString()}] ${m.role}: ${m.text.replace(/\s+/g, " ").slice(0, 500)}`),
  ]);
  const dates = escrows.map((e) => e.createdAt).sort((a, b) => a.getTime() - b.getTime());
  return {
    customer_name: input.customerName.slice(0, 200),
    customer_email_address: input.customerEmail.slice(0, 200),
    product_description: cap(products.join("\n") || "A prepaid wallet top-up on Holdfast, an escrow marketplace for AI-agent services."),
    service_date: dates[0] ? day(dates[0]) : "",
    access_activity_log: cap(timeline.join("\n")),
    uncategorized_text: cap(record.join("\n")),
  };
}
