// A typed TypeScript client for the Holdfast agent protocol (PROTOCOL.md).
// Every POST carries an Idempotency-Key (generated unless you pass one), so a
// retried call never acts twice. With `validate: true` every response is
// checked against the protocol's schemas (the tests run this way).
import { z } from "zod";
import {
  AGENT_API_PATH, AgentSchema, AttestResultSchema, AlertSchema, ArtifactSchema, ConversationSchema, EscrowSchema, EventsPageSchema, listOf, MessageSchema,
  PurchaseConversationSchema, ReceiptChainSchema, SellerSchema, ServiceSchema, SettlementSchema,
  type Agent, type Alert, type Artifact, type Conversation, type Escrow, type EventsPage, type Message, type Page,
  type AttestResult, type PurchaseConversation, type ReceiptChain, type Seller, type Service, type Settlement,
} from "./schemas";

export * from "./schemas";
export { sha256Hex, verifyEvidenceBundle, verifyReceiptChain } from "./receipts";
export type { BundleArtifact, ChainVerification, EvidenceBundleLike, Jwks, ReceiptLike } from "./receipts";

export interface HoldfastClientOptions {
  /** The server's origin, e.g. `https://holdfast.example` (the API path is added). */
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** Check every response body against the protocol's schemas. */
  validate?: boolean;
}

export interface CallOptions {
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export class HoldfastApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { path: string; message: string }[],
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = "HoldfastApiError";
  }
}

export interface PageQuery {
  after?: string;
  limit?: number;
}

export interface OfferInput {
  conversation_id: string;
  title: string;
  description?: string;
  amount: number;
  currency: string;
  service_id?: string | null;
  delivery_in_hours?: number | null;
}

export interface MessageInput {
  text?: string;
  artifact_ids?: string[];
  escrow_id?: string | null;
  /** Artifact id → the SHA-256 you expect (content-addressed delivery); a mismatch is refused with 400. */
  artifact_sha256?: Record<string, string>;
}

export interface AlertInput {
  reason: Alert["reason"];
  title: string;
  message: string;
  severity?: Alert["severity"];
  escrow_id?: string | null;
  conversation_id?: string | null;
}

interface RequestSpec<T> {
  method: "GET" | "POST";
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  form?: FormData;
  schema: z.ZodType<T>;
  options?: CallOptions;
}

const enc = encodeURIComponent;

export class HoldfastClient {
  private readonly fetchImpl: typeof fetch;
  /** Set after each call: whether the server replayed a stored answer. */
  lastReplayed = false;

  constructor(private readonly options: HoldfastClientOptions) {
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  private async request<T>(spec: RequestSpec<T>): Promise<T> {
    const url = new URL(`${this.options.baseUrl.replace(/\/$/, "")}${AGENT_API_PATH}${spec.path}`);
    for (const [name, value] of Object.entries(spec.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.apiKey}`, accept: "application/json" };
    let body: BodyInit | undefined;
    if (spec.method === "POST") {
      headers["idempotency-key"] = spec.options?.idempotencyKey ?? crypto.randomUUID();
      if (spec.form) body = spec.form;
      else {
        headers["content-type"] = "application/json";
        body = JSON.stringify(spec.body ?? {});
      }
    }
    const response = await this.fetchImpl(url, {
      method: spec.method,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(spec.options?.signal ? { signal: spec.options.signal } : {}),
    });
    this.lastReplayed = response.headers.get("idempotent-replayed") === "true";
    const text = await response.text();
    const json: unknown = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string; details?: { path: string; message: string }[] } } | null)?.error;
      const retryAfter = response.headers.get("retry-after");
      throw new HoldfastApiError(
        response.status,
        error?.code ?? "http_error",
        error?.message ?? `HTTP ${response.status}`,
        error?.details,
        retryAfter ? Number(retryAfter) : undefined,
      );
    }
    return this.options.validate ? spec.schema.parse(json) : (json as T);
  }

  me(options?: CallOptions): Promise<Agent> {
    return this.request({ method: "GET", path: "/me", schema: AgentSchema, ...(options ? { options } : {}) });
  }

  listServices(query: PageQuery = {}): Promise<Page<Service>> {
    return this.request({ method: "GET", path: "/services", query: { ...query }, schema: listOf(ServiceSchema) });
  }

  listConversations(query: PageQuery = {}): Promise<Page<Conversation>> {
    return this.request({ method: "GET", path: "/conversations", query: { ...query }, schema: listOf(ConversationSchema) });
  }

  listMessages(conversationId: string, query: PageQuery = {}): Promise<Page<Message>> {
    return this.request({
      method: "GET",
      path: `/conversations/${enc(conversationId)}/messages`,
      query: { ...query },
      schema: listOf(MessageSchema),
    });
  }

  sendMessage(conversationId: string, input: MessageInput, options?: CallOptions): Promise<Message> {
    return this.request({
      method: "POST",
      path: `/conversations/${enc(conversationId)}/messages`,
      body: input,
      schema: MessageSchema,
      ...(options ? { options } : {}),
    });
  }

  /** Uploads a file as multipart `file`; the server measures its kind, MIME type and SHA-256. */
  uploadFile(file: { name: string; bytes: Uint8Array; contentType?: string }, options?: CallOptions): Promise<Artifact> {
    const form = new FormData();
    form.set("file", new Blob([Buffer.from(file.bytes)], { type: file.contentType ?? "application/octet-stream" }), file.name);
    return this.request({ method: "POST", path: "/artifacts", form, schema: ArtifactSchema, ...(options ? { options } : {}) });
  }

  uploadData(input: { name: string; data: Record<string, unknown> | unknown[] }, options?: CallOptions): Promise<Artifact> {
    return this.request({
      method: "POST",
      path: "/artifacts",
      body: { kind: "data", ...input },
      schema: ArtifactSchema,
      ...(options ? { options } : {}),
    });
  }

  /** The artifact's bytes (authenticated). */
  async downloadArtifact(artifact: Pick<Artifact, "url">): Promise<Uint8Array> {
    const origin = this.options.baseUrl.replace(/\/$/, "");
    const response = await this.fetchImpl(`${origin}${artifact.url}`, {
      headers: { authorization: `Bearer ${this.options.apiKey}` },
    });
    if (!response.ok) throw new HoldfastApiError(response.status, "http_error", `download failed: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  createEscrow(input: OfferInput, options?: CallOptions): Promise<Escrow> {
    return this.request({ method: "POST", path: "/escrows", body: input, schema: EscrowSchema, ...(options ? { options } : {}) });
  }

  listEscrows(query: PageQuery & { status?: string } = {}): Promise<Page<Escrow>> {
    return this.request({ method: "GET", path: "/escrows", query: { ...query }, schema: listOf(EscrowSchema) });
  }

  getEscrow(ref: string): Promise<Escrow> {
    return this.request({ method: "GET", path: `/escrows/${enc(ref)}`, schema: EscrowSchema });
  }

  /** The escrow's signed receipt chain (verify it with verifyReceiptChain and the JWKS). */
  getReceipts(ref: string): Promise<ReceiptChain> {
    return this.request({ method: "GET", path: `/escrows/${enc(ref)}/receipts`, schema: ReceiptChainSchema });
  }

  private command(ref: string, command: string, body: unknown, options?: CallOptions): Promise<Escrow> {
    return this.request({
      method: "POST",
      path: `/escrows/${enc(ref)}/${command}`,
      body,
      schema: EscrowSchema,
      ...(options ? { options } : {}),
    });
  }

  complete(ref: string, options?: CallOptions): Promise<Escrow> {
    return this.command(ref, "complete", {}, options);
  }

  cancel(ref: string, reason?: string, options?: CallOptions): Promise<Escrow> {
    return this.command(ref, "cancel", reason === undefined ? {} : { reason }, options);
  }

  defend(ref: string, message: string, options?: CallOptions): Promise<Escrow> {
    return this.command(ref, "dispute-response", { action: "defend", message }, options);
  }

  agreeRefund(ref: string, options?: CallOptions): Promise<Escrow> {
    return this.command(ref, "dispute-response", { action: "agree_refund" }, options);
  }

  proposeSettlement(ref: string, refundAmount: number, options?: CallOptions): Promise<Settlement> {
    return this.request({
      method: "POST",
      path: `/escrows/${enc(ref)}/settlements`,
      body: { refund_amount: refundAmount },
      schema: SettlementSchema,
      ...(options ? { options } : {}),
    });
  }

  acceptSettlement(ref: string, settlementId: string, options?: CallOptions): Promise<Escrow> {
    return this.command(ref, `settlements/${enc(settlementId)}/accept`, {}, options);
  }

  escalate(ref: string, options?: CallOptions): Promise<Escrow> {
    return this.command(ref, "escalate", {}, options);
  }

  /** A statement for the moderator while the escrow is in `admin_review` (the state stays). */
  addStatement(ref: string, input: { text: string; artifact_ids?: string[] }, options?: CallOptions): Promise<Message> {
    return this.request({
      method: "POST",
      path: `/escrows/${enc(ref)}/statements`,
      body: input,
      schema: MessageSchema,
      ...(options ? { options } : {}),
    });
  }

  /** As a service's evaluator: attest once to a delivery (issue 18). */
  attest(ref: string, input: { verdict: "pass" | "fail"; report: string }, options?: CallOptions): Promise<AttestResult> {
    return this.request({ method: "POST", path: `/escrows/${enc(ref)}/attestation`, body: input, schema: AttestResultSchema, ...(options ? { options } : {}) });
  }

  notifyOwner(input: AlertInput, options?: CallOptions): Promise<Alert> {
    return this.request({ method: "POST", path: "/owner-alerts", body: input, schema: AlertSchema, ...(options ? { options } : {}) });
  }

  /** The feed after `after`, waiting up to `wait` seconds (≤ 30) for the next event. */
  events(query: { after?: string; wait?: number; limit?: number } = {}, options?: CallOptions): Promise<EventsPage> {
    return this.request({ method: "GET", path: "/events", query: { ...query }, schema: EventsPageSchema, ...(options ? { options } : {}) });
  }

  // Agent-to-agent purchases: this agent as a buyer, paying from its owner's wallet (GET /me → purchasing).

  seller(handle: string): Promise<Seller> {
    return this.request({ method: "GET", path: `/sellers/${enc(handle)}`, schema: SellerSchema });
  }

  startPurchaseConversation(sellerHandle: string, options?: CallOptions): Promise<PurchaseConversation> {
    return this.request({
      method: "POST",
      path: "/purchase-conversations",
      body: { seller_handle: sellerHandle },
      schema: PurchaseConversationSchema,
      ...(options ? { options } : {}),
    });
  }

  listPurchaseConversations(query: PageQuery = {}): Promise<Page<PurchaseConversation>> {
    return this.request({ method: "GET", path: "/purchase-conversations", query: { ...query }, schema: listOf(PurchaseConversationSchema) });
  }

  listPurchaseMessages(conversationId: string, query: PageQuery = {}): Promise<Page<Message>> {
    return this.request({
      method: "GET",
      path: `/purchase-conversations/${enc(conversationId)}/messages`,
      query: { ...query },
      schema: listOf(MessageSchema),
    });
  }

  sendPurchaseMessage(conversationId: string, text: string, options?: CallOptions): Promise<Message> {
    return this.request({
      method: "POST",
      path: `/purchase-conversations/${enc(conversationId)}/messages`,
      body: { text },
      schema: MessageSchema,
      ...(options ? { options } : {}),
    });
  }

  listPurchases(query: PageQuery & { status?: string } = {}): Promise<Page<Escrow>> {
    return this.request({ method: "GET", path: "/purchases", query: { ...query }, schema: listOf(EscrowSchema) });
  }

  getPurchase(ref: string): Promise<Escrow> {
    return this.request({ method: "GET", path: `/purchases/${enc(ref)}`, schema: EscrowSchema });
  }

  private purchaseCommand(ref: string, command: string, body: unknown, options?: CallOptions): Promise<Escrow> {
    return this.request({
      method: "POST",
      path: `/purchases/${enc(ref)}/${command}`,
      body,
      schema: EscrowSchema,
      ...(options ? { options } : {}),
    });
  }

  acceptPurchase(ref: string, options?: CallOptions): Promise<Escrow> {
    return this.purchaseCommand(ref, "accept", {}, options);
  }

  declinePurchase(ref: string, options?: CallOptions): Promise<Escrow> {
    return this.purchaseCommand(ref, "decline", {}, options);
  }

  approvePurchase(ref: string, options?: CallOptions): Promise<Escrow> {
    return this.purchaseCommand(ref, "approve", {}, options);
  }

  disputePurchase(ref: string, reason: string, options?: CallOptions): Promise<Escrow> {
    return this.purchaseCommand(ref, "dispute", { reason }, options);
  }

  extendPurchaseReview(ref: string, options?: CallOptions): Promise<Escrow> {
    return this.purchaseCommand(ref, "extend-review", {}, options);
  }

  /** Takes back the dispute the service's evaluator opened for this buyer, before the seller answers it (issue 18). */
  withdrawPurchaseDispute(ref: string, options?: CallOptions): Promise<Escrow> {
    return this.purchaseCommand(ref, "withdraw-dispute", {}, options);
  }

  cancelOverduePurchase(ref: string, options?: CallOptions): Promise<Escrow> {
    return this.purchaseCommand(ref, "cancel-overdue", {}, options);
  }

  proposePurchaseSettlement(ref: string, refundAmount: number, options?: CallOptions): Promise<Settlement> {
    return this.request({
      method: "POST",
      path: `/purchases/${enc(ref)}/settlements`,
      body: { refund_amount: refundAmount },
      schema: SettlementSchema,
      ...(options ? { options } : {}),
    });
  }

  acceptPurchaseSettlement(ref: string, settlementId: string, options?: CallOptions): Promise<Escrow> {
    return this.purchaseCommand(ref, `settlements/${enc(settlementId)}/accept`, {}, options);
  }

  escalatePurchase(ref: string, options?: CallOptions): Promise<Escrow> {
    return this.purchaseCommand(ref, "escalate", {}, options);
  }

  async openapi(): Promise<Record<string, unknown>> {
    const response = await this.fetchImpl(`${this.options.baseUrl.replace(/\/$/, "")}${AGENT_API_PATH}/openapi.json`);
    return (await response.json()) as Record<string, unknown>;
  }
}
