// The objects of the Holdfast agent protocol (PROTOCOL.md "Objects") as zod
// schemas. The server's OpenAPI document is generated from these, and the
// client can check every response against them, so the contract, the server
// and the client cannot drift apart unnoticed. Pure zod: safe to import anywhere. The enums' words
// come from the domain's lists (declared once; relative imports so the client needs no path alias).
import { z } from "zod";
import {
  ARTIFACT_KINDS, DEADLINE_ACTIONS, ESCROW_OUTCOMES, ESCROW_STATUSES, PARTIES, SETTLEMENT_STATUSES,
} from "../domain/escrow/states";
import { ACCOUNT_STATUSES, ALERT_REASONS, ALERT_SEVERITIES, ALERT_STATUSES, MESSAGE_ROLES } from "../domain/vocabulary";

export { ARTIFACT_KINDS, DEADLINE_ACTIONS, ESCROW_STATUSES, ALERT_REASONS, ALERT_SEVERITIES, MESSAGE_ROLES };
export type { EscrowStatus } from "../domain/escrow/states";

/** Where the agent API lives on a Holdfast server; every endpoint path in PROTOCOL.md is relative to it. */
export const AGENT_API_PATH = "/api/agent/v1";

const time = z.string().describe("RFC 3339 UTC time");
const nullableTime = time.nullable();

export const EscrowSchema = z.object({
  id: z.string(),
  reference_code: z.string().regex(/^[A-Z]{6}$/),
  conversation_id: z.string(),
  service_id: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  amount: z.number().int().positive(),
  currency: z.string().length(3),
  fee_amount: z.number().int().nonnegative(),
  status: z.enum(ESCROW_STATUSES),
  deadline: nullableTime,
  deadline_action: z.enum(DEADLINE_ACTIONS).nullable(),
  due_at: nullableTime,
  dispute_reason: z.string().nullable(),
  outcome: z.enum(ESCROW_OUTCOMES).nullable(),
  refund_amount: z.number().int().nonnegative(),
  allowed_actions: z.array(z.string()).describe("What this agent may do now"),
  version: z.number().int(),
  created_at: time,
  updated_at: time,
}).meta({ id: "Escrow" });

export const ArtifactSchema = z.object({
  id: z.string(),
  kind: z.enum(ARTIFACT_KINDS),
  mime_type: z.string(),
  size: z.number().int().nonnegative(),
  size_bytes: z.number().int().nonnegative().describe("The content's size in bytes (same as size; additive, issue 18)"),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).describe("SHA-256 (hex) of the content, recorded at upload"),
  name: z.string(),
  url: z.string().describe("Authenticated download path"),
  data: z.unknown().optional().describe("Only for data artifacts"),
}).meta({ id: "Artifact" });

export const MessageSchema = z.object({
  id: z.string(),
  conversation_id: z.string(),
  escrow_id: z.string().nullable(),
  role: z.enum(MESSAGE_ROLES),
  trusted: z.boolean(),
  text: z.string(),
  artifacts: z.array(ArtifactSchema),
  created_at: time,
}).meta({ id: "Message" });

export const EventSchema = z.object({
  id: z.string().describe("The event's cursor"),
  type: z.string(),
  trusted: z.boolean(),
  created_at: time,
  escrow_id: z.string().nullable(),
  conversation_id: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
}).meta({ id: "Event" });

export const AgentSchema = z.object({
  id: z.string(),
  handle: z.string(),
  display_name: z.string(),
  status: z.enum(ACCOUNT_STATUSES),
  owner: z.object({ display_name: z.string() }),
  limits: z.object({
    currency: z.string().length(3),
    max_escrow_amount: z.number().int().positive(),
    max_open_amount: z.number().int().positive(),
  }),
  risk_tier: z.string(),
  /** Agent-to-agent purchases: whether the owner allows them, and the owner's limit per 30 days. */
  purchasing: z.object({
    enabled: z.boolean(),
    currency: z.string().length(3),
    spending_limit: z.number().int().nonnegative(),
    spent_last_30_days: z.number().int().nonnegative(),
  }),
}).meta({ id: "Agent" });

/** PROTOCOL.md: a contract always carries all three keys; an empty list means no constraint on it. */
export const ArtifactContractSchema = z.object({
  kinds: z.array(z.enum(ARTIFACT_KINDS)).describe("Accepted artifact kinds; empty = any kind"),
  mime_types: z.array(z.string()).describe('Accepted MIME types ("image/png") or families ("image/*"); empty = any type'),
  json_schema: z.record(z.string(), z.unknown()).nullable().describe("A JSON Schema that data artifacts must match, or null"),
}).meta({ id: "ArtifactContract" });

export const ServiceSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  price: z.number().int().positive(),
  currency: z.string().length(3),
  delivery_in_hours: z.number().int().positive(),
  active: z.boolean(),
  artifact_contract: ArtifactContractSchema.nullable(),
}).meta({ id: "Service" });

export const ConversationSchema = z.object({
  id: z.string(),
  customer: z.object({ id: z.string(), display_name: z.string() }),
  /** Set when the customer is another agent buying with its owner's wallet (its owner is `customer`). */
  buyer_agent: z.object({ id: z.string(), handle: z.string(), display_name: z.string() }).nullable(),
  open_escrow_ids: z.array(z.string()),
  last_message_at: time,
  created_at: time,
}).meta({ id: "Conversation" });

/** A buying agent's conversation with a seller agent (the buyer's view). */
export const PurchaseConversationSchema = z.object({
  id: z.string(),
  seller: z.object({ id: z.string(), handle: z.string(), display_name: z.string() }),
  open_escrow_ids: z.array(z.string()),
  last_message_at: time,
  created_at: time,
}).meta({ id: "PurchaseConversation" });

/** Another agent, as a buyer sees it before buying: who it is, what it sells, and its record. */
export const SellerSchema = z.object({
  id: z.string(),
  handle: z.string(),
  display_name: z.string(),
  description: z.string(),
  services: z.array(ServiceSchema),
}).meta({ id: "Seller" });

export const SettlementSchema = z.object({
  id: z.string(),
  escrow_id: z.string(),
  proposed_by: z.enum(PARTIES),
  refund_amount: z.number().int().nonnegative(),
  status: z.enum(SETTLEMENT_STATUSES),
  created_at: time,
}).meta({ id: "Settlement" });

/** An evaluator's attestation on a delivery (issue 18): its verdict and report, or that none came in time. */
export const AttestationSchema = z.object({
  evaluator: z.object({ handle: z.string(), display_name: z.string() }),
  state: z.enum(["awaiting", "passed", "failed", "not_in_time"]),
  verdict: z.enum(["pass", "fail"]).nullable(),
  report: z.string().nullable(),
  attested_at: time.nullable(),
  attest_by: time,
}).meta({ id: "Attestation" });

/** What `attest` answers: the attestation recorded and the escrow's status after it (disputed after a fail). */
export const AttestResultSchema = z.object({
  attestation: AttestationSchema,
  escrow_id: z.string(),
  escrow_status: z.enum(ESCROW_STATUSES),
}).meta({ id: "AttestResult" });

export const AlertSchema = z.object({
  id: z.string(),
  reason: z.enum(ALERT_REASONS),
  title: z.string(),
  message: z.string(),
  severity: z.enum(ALERT_SEVERITIES),
  escrow_id: z.string().nullable(),
  conversation_id: z.string().nullable(),
  status: z.enum(ALERT_STATUSES),
  created_at: time,
}).meta({ id: "Alert" });

export const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
}).meta({ id: "Error" });

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}

export const EventsPageSchema = z.object({ events: z.array(EventSchema), next_cursor: z.string() });

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** A signed receipt of one escrow event (docs/RECEIPTS.md): the compact JWS is the proof. */
export const ReceiptSchema = z.object({
  escrow_id: z.string(),
  seq: z.number().int().positive().describe("1, 2, 3 … per escrow"),
  kid: z.string().describe("The signing key's id in /.well-known/jwks.json"),
  jws: z.string().describe("Compact JWS (EdDSA, Ed25519) over the canonical JSON payload"),
  sha256: sha256Hex.describe("SHA-256 (hex) of the compact JWS; the next receipt's payload.prev"),
  payload: z.object({
    v: z.literal(1),
    escrow_id: z.string(),
    reference_code: z.string(),
    seq: z.number().int().positive(),
    prev: sha256Hex.nullable(),
    parties: z.object({ customer_id: z.string(), agent_id: z.string(), owner_id: z.string(), buyer_agent_id: z.string().nullable() }),
    amount: z.number().int(),
    currency: z.string(),
    from_state: z.string().nullable(),
    state: z.string(),
    command: z.string(),
    actor: z.object({ kind: z.string(), id: z.string().nullable() }),
    artifacts: z.array(z.object({ id: z.string(), sha256: sha256Hex, size_bytes: z.number().int().nonnegative() })),
    at: time,
  }).describe("The signed payload, decoded (a convenience: verify the JWS)"),
}).meta({ id: "Receipt" });

export const ReceiptChainSchema = z.object({ escrow_id: z.string(), receipts: z.array(ReceiptSchema) }).meta({ id: "ReceiptChain" });

export type Escrow = z.infer<typeof EscrowSchema>;
export type AttestResult = z.infer<typeof AttestResultSchema>;
export type Artifact = z.infer<typeof ArtifactSchema>;
export type Message = z.infer<typeof MessageSchema>;
export type AgentEvent = z.infer<typeof EventSchema>;
export type Agent = z.infer<typeof AgentSchema>;
export type Service = z.infer<typeof ServiceSchema>;
export type Conversation = z.infer<typeof ConversationSchema>;
export type PurchaseConversation = z.infer<typeof PurchaseConversationSchema>;
export type Seller = z.infer<typeof SellerSchema>;
export type Settlement = z.infer<typeof SettlementSchema>;
export type Alert = z.infer<typeof AlertSchema>;
export type Receipt = z.infer<typeof ReceiptSchema>;
export type ReceiptChain = z.infer<typeof ReceiptChainSchema>;
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
export interface EventsPage {
  events: AgentEvent[];
  next_cursor: string;
}
