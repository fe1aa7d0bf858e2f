// A local server that speaks Stripe's API for the endpoints Holdfast uses (issue 15), driven in tests by
// the official `stripe` SDK pointed at it (host/port/protocol). It keeps Stripe's traits that matter to
// money: form-encoded bodies, Bearer secret key, `Idempotency-Key` replaying the first answer (and 400 for
// the same key with other parameters, 409 while the first is in flight), Stripe's error object, 400 on
// unknown parameters, expandable ids, a new charge's funds pending (a transfer needs available balance or a
// `source_transaction`), refunds never above what is refundable. Webhooks are signed exactly as Stripe
// signs them (`Stripe-Signature: t=…,v1=…`) and POSTed over real HTTP. It also serves stand-ins of the
// hosted pages: Checkout (Pay → webhooks → 303 to success_url) and Connect onboarding.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import {
  listParam,
  metadataParam,
  objectParam,
  parseStripeForm,
  stringParam,
  unknownParameter,
  type FormObject,
  type ParamSpec,
} from "./fake-stripe-form";

type Obj = Record<string, unknown> & { id: string };

export interface StripeErrorBody {
  type: "invalid_request_error" | "api_error" | "idempotency_error" | "card_error";
  code?: string;
  message: string;
  param?: string;
}

class StripeFault extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
}

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  status: number;
  replayed: boolean;
}

export interface Delivery {
  eventId: string;
  type: string;
  status: number;
}

export interface DeliverOptions {
  /** Signing time (seconds); default now. An old one makes a stale event. */
  timestamp?: number;
  /** Sign with another secret (a forgery), or send no signature at all. */
  signature?: "valid" | "forged" | "missing";
  /** Send the same event this many times at once. */
  times?: number;
}

const METADATA = true as const;
/** Stripe's dispute evidence fields that take text (DisputeUpdateParams.Evidence); any other key is a 400. */
const EVIDENCE_TEXT_FIELDS = [
  "access_activity_log", "billing_address", "cancellation_policy_disclosure", "cancellation_rebuttal", "customer_email_address",
  "customer_name", "customer_purchase_ip", "duplicate_charge_explanation", "duplicate_charge_id", "product_description",
  "refund_policy_disclosure", "refund_refusal_explanation", "service_date", "shipping_address", "shipping_carrier", "shipping_date",
  "shipping_tracking_number", "uncategorized_text",
] as const;
/** The fields that take the id of an uploaded file (a PDF or image), not text: this fake has no uploads, so any value is refused. */
const EVIDENCE_FILE_FIELDS = [
  "cancellation_policy", "customer_communication", "customer_signature", "duplicate_charge_documentation", "receipt", "refund_policy",
  "service_documentation", "shipping_documentation", "uncategorized_file",
] as const;
const DISPUTE_EVIDENCE: ParamSpec = Object.fromEntries([...EVIDENCE_TEXT_FIELDS, ...EVIDENCE_FILE_FIELDS].map((k) => [k, true]));
const SPECS: Record<string, ParamSpec> = {
  "POST /v1/checkout/sessions": {
    mode: true,
    line_items: { price_data: { currency: true, unit_amount: true, product_data: { name: true, description: true } }, quantity: true },
    success_url: true,
    cancel_url: true,
    metadata: METADATA,
    client_reference_id: true,
    customer_email: true,
    payment_intent_data: { metadata: METADATA, description: true },
    expires_at: true,
    expand: true,
  },
  "POST /v1/checkout/sessions/:id/expire": { expand: true },
  "POST /v1/accounts": {
    type: true,
    country: true,
    email: true,
    capabilities: { transfers: { requested: true } },
    business_type: true,
    metadata: METADATA,
  },
  "POST /v1/account_links": { account: true, refresh_url: true, return_url: true, type: true },
  "POST /v1/transfers": {
    amount: true,
    currency: true,
    destination: true,
    transfer_group: true,
    source_transaction: true,
    description: true,
    metadata: METADATA,
  },
  "POST /v1/transfers/:id/reversals": { amount: true, metadata: METADATA },
  "POST /v1/refunds": { payment_intent: true, charge: true, amount: true, reason: true, metadata: METADATA },
  "POST /v1/disputes/:id": { evidence: DISPUTE_EVIDENCE, metadata: METADATA, submit: true },
};

function nowS(): number {
  return Math.floor(Date.now() / 1000);
}

function stripeId(prefix: string): string {
  return `${prefix}_test_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
}

function amountParam(params: FormObject, key: string, required = true): number | undefined {
  const raw = stringParam(params, key);
  if (raw === undefined) {
    if (required) throw missing(key);
    return undefined;
  }
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw new StripeFault(400, { type: "invalid_request_error", code: "parameter_invalid_integer", message: `Invalid integer: ${raw}`, param: key });
  }
  return Number(raw);
}

function missing(param: string): StripeFault {
  return new StripeFault(400, { type: "invalid_request_error", code: "parameter_missing", message: `Missing required param: ${param}.`, param });
}

function noSuch(kind: string, id: string, param = "id"): StripeFault {
  return new StripeFault(404, { type: "invalid_request_error", code: "resource_missing", message: `No such ${kind}: '${id}'`, param });
}

export interface FakeStripe {
  url: string;
  secretKey: string;
  webhookSecret: string;
  /** The official SDK pointed at this server (what the app gets from HOLDFAST_STRIPE_API_URL). */
  client(options?: { maxNetworkRetries?: number }): Stripe;
  /** Where events are POSTed. */
  setWebhookEndpoint(url: string): void;
  requests: RecordedRequest[];
  deliveries: Delivery[];
  events: Obj[];
  objects: Map<string, Obj>;
  balance: { available: Map<string, number>; pending: Map<string, number> };
  /** The customer pays on the hosted page: PaymentIntent and charge succeed, events are sent (unless `deliver: false`). */
  pay(sessionId: string, options?: { deliver?: boolean }): Promise<{ paymentIntentId: string; chargeId: string; events: Obj[] }>;
  /**
   * Whether paying on the hosted page sends its events at once (the default) or leaves them in `events`
   * for the test to `deliver` — so a browser test can see the page between the redirect and the webhook.
   */
  holdHostedPayEvents(hold: boolean): void;
  /** The owner finishes Connect onboarding: payouts enabled, `account.updated` sent. */
  finishOnboarding(accountId: string): Promise<void>;
  /** Stripe (or the platform's dashboard) reverses a transfer: `transfer.reversed` is sent. */
  /** Stripe takes back a transfer, all of it or `amountMinor` more of it (amount_reversed is the running total). */
  reverseTransfer(transferId: string, amountMinor?: number): Promise<void>;
  /** A refund Stripe accepted fails at the card network later: `refund.failed`. */
  failRefund(refundId: string): Promise<void>;
  /** The customer never pays: the Checkout Session expires, `checkout.session.expired`. */
  expireSession(sessionId: string): Promise<void>;
  /** The card network opens a dispute on a charge: `charge.dispute.created`. */
  openDispute(chargeId: string): Promise<Obj>;
  closeDispute(disputeId: string, status: "won" | "lost"): Promise<void>;
  /** Pending funds become available (Stripe's payout schedule, in a test's time). */
  settlePending(): void;
  /** The next `times` requests whose "METHOD /path" starts with `prefix` answer `status` before doing anything. */
  failNext(prefix: string, status: number, times?: number): void;
  /** The next `times` such requests lose their connection: before Stripe acts, or after it acted. */
  dropNext(prefix: string, times: number, when: "before" | "after"): void;
  /** Sends an event (again) as Stripe would, optionally stale, forged or unsigned, optionally many at once. */
  deliver(event: Obj, options?: DeliverOptions): Promise<number[]>;
  close(): Promise<void>;
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const secretKey = `sk_test_${randomBytes(18).toString("hex")}`;
  const webhookSecret = `whsec_${randomBytes(24).toString("base64")}`;
  const signer = new Stripe(secretKey);
  const objects = new Map<string, Obj>();
  const events: Obj[] = [];
  const requests: RecordedRequest[] = [];
  const deliveries: Delivery[] = [];
  const idempotent = new Map<string, { fingerprint: string; status: number; body: unknown } | "in_flight">();
  const faults: { prefix: string; status: number; times: number }[] = [];
  /** Requests whose connection is cut: before Stripe acts, or after it acted (the answer is lost). */
  const drops: { prefix: string; times: number; afterProcessing: boolean }[] = [];
  const available = new Map<string, number>();
  const pending = new Map<string, number>();
  let webhookEndpoint: string | null = null;
  let base = "";

  const add = (m: Map<string, number>, currency: string, delta: number) => m.set(currency, (m.get(currency) ?? 0) + delta);
  const get = (id: string, kind: string, param?: string): Obj => {
    const found = objects.get(id);
    if (!found || !id.startsWith(kind.split(":")[0]!)) throw noSuch(kind.split(":")[1] ?? kind, id, param);
    return found;
  };

  function expandFields(object: Obj, expand: string[]): Obj {
    const out: Obj = { ...object };
    for (const path of expand) {
      const [head, ...rest] = path.split(".");
      const value = out[head!];
      if (typeof value === "string" && objects.has(value)) {
        out[head!] = rest.length ? expandFields(objects.get(value)!, [rest.join(".")]) : { ...objects.get(value)! };
      }
    }
    return out;
  }

  async function emit(type: string, object: Obj, extra: Record<string, unknown> = {}, send = true): Promise<Obj> {
    const event: Obj = {
      id: stripeId("evt"),
      object: "event",
      api_version: "2026-10-28.endive",
      created: nowS(),
      data: { object: { ...object } },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      ...extra,
    };
    events.push(event);
    if (send) await deliver(event);
    return event;
  }

  async function deliver(event: Obj, options: DeliverOptions = {}): Promise<number[]> {
    if (!webhookEndpoint) return [];
    const payload = JSON.stringify(event, null, 2);
    const signature = signer.webhooks.generateTestHeaderString({
      payload,
      secret: options.signature === "forged" ? `whsec_${randomBytes(24).toString("base64")}` : webhookSecret,
      timestamp: options.timestamp ?? nowS(),
    });
    const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8", "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" };
    if (options.signature !== "missing") headers["stripe-signature"] = signature;
    const endpoint = webhookEndpoint;
    const statuses = await Promise.all(
      Array.from({ length: options.times ?? 1 }, async () => {
        const response = await fetch(endpoint, { method: "POST", headers, body: payload });
        await response.arrayBuffer();
        deliveries.push({ eventId: event.id, type: String(event.type), status: response.status });
        return response.status;
      }),
    );
    return statuses;
  }

  function charge(paymentIntent: Obj): Obj {
    const ch: Obj = {
      id: stripeId("ch"),
      object: "charge",
      amount: paymentIntent.amount,
      amount_refunded: 0,
      currency: paymentIntent.currency,
      payment_intent: paymentIntent.id,
      balance_transaction: stripeId("txn"),
      paid: true,
      refunded: false,
      disputed: false,
      status: "succeeded",
      metadata: paymentIntent.metadata,
      created: nowS(),
    };
    objects.set(ch.id, ch);
    add(pending, String(ch.currency), Number(ch.amount));
    return ch;
  }

  const routes: { method: string; pattern: RegExp; spec: string; run: (params: FormObject, ids: string[]) => Obj | Promise<Obj> }[] = [
    {
      method: "POST",
      pattern: /^\/v1\/checkout\/sessions$/,
      spec: "POST /v1/checkout/sessions",
      run(params) {
        if (stringParam(params, "mode") !== "payment") throw new StripeFault(400, { type: "invalid_request_error", message: "Only mode=payment here.", param: "mode" });
        const successUrl = stringParam(params, "success_url");
        if (!successUrl) throw missing("success_url");
        const items = params.line_items;
        if (!Array.isArray(items) || items.length === 0) throw missing("line_items");
        let amount = 0;
        let currency: string | undefined;
        for (const [i, item] of items.entries()) {
          if (typeof item !== "object" || Array.isArray(item)) throw missing(`line_items[${i}]`);
          const priceData = objectParam(item, "price_data");
          if (!priceData) throw missing(`line_items[${i}][price_data]`);
          const unit = amountParam(priceData, "unit_amount")!;
          const quantity = amountParam(item, "quantity")!;
          currency = stringParam(priceData, "currency");
          if (!currency || !/^[a-z]{3}$/.test(currency)) throw new StripeFault(400, { type: "invalid_request_error", message: `Invalid currency: ${currency}.`, param: `line_items[${i}][price_data][currency]` });
          amount += unit * quantity;
        }
        const session: Obj = {
          id: stripeId("cs"),
          object: "checkout.session",
          mode: "payment",
          status: "open",
          payment_status: "unpaid",
          amount_total: amount,
          currency,
          metadata: metadataParam(params),
          client_reference_id: stringParam(params, "client_reference_id") ?? null,
          payment_intent: null,
          success_url: successUrl,
          cancel_url: stringParam(params, "cancel_url") ?? null,
          created: nowS(),
          expires_at: nowS() + 24 * 3600,
          _payment_intent_metadata: metadataParam(objectParam(params, "payment_intent_data") ?? {}),
        };
        session.url = `${base}/checkout/${session.id}`;
        objects.set(session.id, session);
        return session;
      },
    },
    { method: "GET", pattern: /^\/v1\/checkout\/sessions\/([^/]+)$/, spec: "", run: (_p, [id]) => get(id!, "cs:checkout.session") },
    {
      method: "POST",
      pattern: /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/,
      spec: "POST /v1/checkout/sessions/:id/expire",
      async run(_p, [id]) {
        const session = get(id!, "cs:checkout.session");
        if (session.status !== "open") throw new StripeFault(400, { type: "invalid_request_error", message: `Only Checkout Sessions with a status in ["open"] can be expired.` });
        session.status = "expired";
        await emit("checkout.session.expired", session);
        return session;
      },
    },
    { method: "GET", pattern: /^\/v1\/payment_intents\/([^/]+)$/, spec: "", run: (_p, [id]) => get(id!, "pi:payment_intent") },
    { method: "GET", pattern: /^\/v1\/charges\/([^/]+)$/, spec: "", run: (_p, [id]) => get(id!, "ch:charge") },
    {
      method: "POST",
      pattern: /^\/v1\/accounts$/,
      spec: "POST /v1/accounts",
      run(params) {
        if (stringParam(params, "type") !== "express") throw new StripeFault(400, { type: "invalid_request_error", message: "Only Express accounts here.", param: "type" });
        const account: Obj = {
          id: stripeId("acct").replace("acct_test_", "acct_"),
          object: "account",
          type: "express",
          email: stringParam(params, "email") ?? null,
          country: stringParam(params, "country") ?? "US",
          charges_enabled: false,
          payouts_enabled: false,
          details_submitted: false,
          capabilities: { transfers: "inactive" },
          requirements: { currently_due: ["external_account", "tos_acceptance.date"], disabled_reason: "requirements.past_due" },
          metadata: metadataParam(params),
          created: nowS(),
        };
        objects.set(account.id, account);
        return account;
      },
    },
    { method: "GET", pattern: /^\/v1\/accounts\/([^/]+)$/, spec: "", run: (_p, [id]) => get(id!, "acct:account") },
    {
      method: "POST",
      pattern: /^\/v1\/account_links$/,
      spec: "POST /v1/account_links",
      run(params) {
        const account = stringParam(params, "account");
        if (!account) throw missing("account");
        get(account, "acct:account", "account");
        const returnUrl = stringParam(params, "return_url");
        if (!returnUrl) throw missing("return_url");
        if (stringParam(params, "type") !== "account_onboarding") throw missing("type");
        const link = {
          id: stripeId("link"),
          object: "account_link",
          created: nowS(),
          expires_at: nowS() + 300,
          url: `${base}/connect/${account}?return_url=${encodeURIComponent(returnUrl)}`,
        };
        return link;
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/transfers$/,
      spec: "POST /v1/transfers",
      run(params) {
        const amount = amountParam(params, "amount")!;
        const currency = stringParam(params, "currency");
        if (!currency) throw missing("currency");
        const destination = stringParam(params, "destination");
        if (!destination) throw missing("destination");
        const account = get(destination, "acct:account", "destination");
        if (account.payouts_enabled !== true) {
          throw new StripeFault(400, { type: "invalid_request_error", code: "insufficient_capabilities_for_transfer", message: "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments", param: "destination" });
        }
        const source = stringParam(params, "source_transaction");
        if (source) {
          const ch = get(source, "ch:charge", "source_transaction");
          if (Number(ch.amount) - Number(ch.amount_refunded) < amount) throw new StripeFault(400, { type: "invalid_request_error", code: "amount_too_large", message: "Transfer amount exceeds the source transaction's amount.", param: "amount" });
          add(pending, currency, -amount);
        } else {
          if ((available.get(currency) ?? 0) < amount) {
            throw new StripeFault(400, { type: "invalid_request_error", code: "balance_insufficient", message: "You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card." });
          }
          add(available, currency, -amount);
        }
        const transfer: Obj = {
          id: stripeId("tr"),
          object: "transfer",
          amount,
          amount_reversed: 0,
          currency,
          destination,
          reversed: false,
          source_transaction: source ?? null,
          transfer_group: stringParam(params, "transfer_group") ?? null,
          metadata: metadataParam(params),
          created: nowS(),
        };
        objects.set(transfer.id, transfer);
        return transfer;
      },
    },
    { method: "GET", pattern: /^\/v1\/transfers\/([^/]+)$/, spec: "", run: (_p, [id]) => get(id!, "tr:transfer") },
    {
      method: "POST",
      pattern: /^\/v1\/refunds$/,
      spec: "POST /v1/refunds",
      run(params) {
        const piId = stringParam(params, "payment_intent");
        const chargeParam = stringParam(params, "charge");
        if (!piId && !chargeParam) throw missing("payment_intent");
        const pi = piId ? get(piId, "pi:payment_intent", "payment_intent") : null;
        const ch = get(String(chargeParam ?? pi?.latest_charge), "ch:charge", "charge");
        const refundable = Number(ch.amount) - Number(ch.amount_refunded);
        const amount = amountParam(params, "amount", false) ?? refundable;
        if (refundable === 0) throw new StripeFault(400, { type: "invalid_request_error", code: "charge_already_refunded", message: `Charge ${ch.id} has already been refunded.` });
        if (amount > refundable) throw new StripeFault(400, { type: "invalid_request_error", code: "amount_too_large", message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${refundable})`, param: "amount" });
        ch.amount_refunded = Number(ch.amount_refunded) + amount;
        ch.refunded = ch.amount_refunded === ch.amount;
        const refund: Obj = {
          id: stripeId("re"),
          object: "refund",
          amount,
          currency: ch.currency,
          charge: ch.id,
          payment_intent: ch.payment_intent,
          status: "succeeded",
          metadata: metadataParam(params),
          created: nowS(),
        };
        objects.set(refund.id, refund);
        add(available, String(ch.currency), -amount);
        return refund;
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/disputes\/([^/]+)$/,
      spec: "POST /v1/disputes/:id",
      run(params, [id]) {
        const dispute = get(id!, "dp:dispute");
        const evidence = objectParam(params, "evidence") ?? {};
        for (const field of EVIDENCE_FILE_FIELDS) {
          const file = evidence[field];
          if (file !== undefined && file !== "") throw noSuch("file", String(file), `evidence[${field}]`);
        }
        // Stripe limits the combined length of the text evidence to 150,000 characters.
        const chars = Object.values(evidence).reduce((n, v) => n + (typeof v === "string" ? v.length : 0), 0);
        if (chars > 150_000) throw new StripeFault(400, { type: "invalid_request_error", message: "The evidence is longer than 150,000 characters.", param: "evidence" });
        dispute.evidence = { ...(dispute.evidence as object), ...evidence };
        if (stringParam(params, "submit") !== "false") dispute.status = "under_review";
        return dispute;
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/balance$/,
      spec: "",
      run: () => ({
        id: "balance",
        object: "balance",
        available: [...available].map(([currency, amount]) => ({ currency, amount })),
        pending: [...pending].map(([currency, amount]) => ({ currency, amount })),
      }),
    },
    ...(
      [
        ["payment_intents", "payment_intent"],
        ["transfers", "transfer"],
        ["refunds", "refund"],
        ["disputes", "dispute"],
      ] as const
    ).map(([path, object]) => ({
      method: "GET",
      pattern: new RegExp(`^/v1/${path}$`),
      spec: "",
      run: (params: FormObject) => {
        const since = Number(stringParam(objectParam(params, "created") ?? {}, "gte") ?? 0);
        const data = [...objects.values()].filter((o) => o.object === object && Number(o.created) >= since).reverse().map(publicView);
        return { id: "list", object: "list", data, has_more: false, url: `/v1/${path}` } as Obj;
      },
    })),
    {
      method: "GET",
      pattern: /^\/v1\/events$/,
      spec: "",
      run: (params) => {
        const since = Number(stringParam(objectParam(params, "created") ?? {}, "gte") ?? 0);
        const data = events.filter((e) => Number(e.created) >= since).reverse();
        return { id: "list", object: "list", data, has_more: false, url: "/v1/events" };
      },
    },
  ];

  async function api(req: http.IncomingMessage, body: string): Promise<{ status: number; body: unknown; replayed: boolean }> {
    const url = new URL(req.url ?? "/", "http://stripe.local");
    const method = req.method ?? "GET";
    const label = `${method} ${url.pathname}`;
    const auth = req.headers.authorization ?? "";
    if (auth !== `Bearer ${secretKey}`) {
      return { status: 401, replayed: false, body: { error: { type: "invalid_request_error", message: `Invalid API Key provided: ${auth.replace(/^Bearer /, "").slice(0, 8)}****` } } };
    }
    const fault = faults.find((f) => label.startsWith(f.prefix) && f.times > 0);
    if (fault) {
      fault.times--;
      return { status: fault.status, replayed: false, body: { error: { type: "api_error", message: "An unknown error occurred (injected by the test)." } } };
    }
    const key = typeof req.headers["idempotency-key"] === "string" && method === "POST" ? req.headers["idempotency-key"] : null;
    const fingerprint = `${label}\n${body}`;
    if (key) {
      const seen = idempotent.get(key);
      if (seen === "in_flight") {
        return { status: 409, replayed: false, body: { error: { type: "idempotency_error", code: "idempotency_key_in_use", message: "There is currently another in-progress request using this Stripe-Idempotency-Key. Please try again later." } } };
      }
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          return { status: 400, replayed: false, body: { error: { type: "idempotency_error", message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.` } } };
        }
        return { status: seen.status, body: seen.body, replayed: true };
      }
      idempotent.set(key, "in_flight");
    }
    let answer: { status: number; body: unknown };
    try {
      const params = method === "GET" ? parseStripeForm(url.search.slice(1)) : parseStripeForm(body);
      const route = routes.find((r) => r.method === method && r.pattern.test(url.pathname));
      if (!route) throw new StripeFault(404, { type: "invalid_request_error", message: `Unrecognized request URL (${label}).` });
      const spec = SPECS[route.spec];
      if (spec) {
        const unknown = unknownParameter(params, spec);
        if (unknown) throw new StripeFault(400, { type: "invalid_request_error", code: "parameter_unknown", message: `Received unknown parameter: ${unknown}`, param: unknown });
      }
      const ids = (route.pattern.exec(url.pathname) ?? []).slice(1);
      const result = await route.run(params, ids);
      const expand = listParam(params, "expand");
      answer = { status: 200, body: publicView(expand.length ? expandFields(result, expand) : result) };
    } catch (error) {
      if (!(error instanceof StripeFault)) {
        answer = { status: 400, body: { error: { type: "invalid_request_error", message: String((error as Error).message) } } };
      } else answer = { status: error.status, body: { error: error.body } };
    }
    // Like Stripe, a request that failed validation saves no idempotent result; one that ran does.
    if (key) {
      if (answer.status === 400 || answer.status === 404) idempotent.delete(key);
      else idempotent.set(key, { fingerprint, ...answer });
    }
    return { ...answer, replayed: false };
  }

  function publicView(object: Obj): Obj {
    return Object.fromEntries(Object.entries(object).filter(([k]) => !k.startsWith("_"))) as Obj;
  }

  let holdHostedEvents = false;

  async function pay(sessionId: string, options: { deliver?: boolean } = {}) {
    const session = get(sessionId, "cs:checkout.session");
    if (session.status !== "open") throw new Error(`session ${sessionId} is ${String(session.status)}`);
    const pi: Obj = {
      id: stripeId("pi"),
      object: "payment_intent",
      amount: session.amount_total,
      amount_received: session.amount_total,
      currency: session.currency,
      status: "succeeded",
      metadata: session._payment_intent_metadata,
      latest_charge: null,
      created: nowS(),
    };
    objects.set(pi.id, pi);
    const ch = charge(pi);
    pi.latest_charge = ch.id;
    session.status = "complete";
    session.payment_status = "paid";
    session.payment_intent = pi.id;
    const send = options.deliver ?? true;
    const sent = [await emit("payment_intent.succeeded", pi, {}, send), await emit("checkout.session.completed", publicView(session), {}, send)];
    return { paymentIntentId: pi.id, chargeId: ch.id, events: sent };
  }

  async function hosted(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", "http://stripe.local");
    const checkout = /^\/checkout\/([^/]+)(\/pay)?$/.exec(url.pathname);
    if (checkout) {
      const session = objects.get(checkout[1]!);
      if (!session) return false;
      if (req.method === "POST" && checkout[2]) {
        if (session.status === "open") await pay(session.id, { deliver: !holdHostedEvents });
        res.writeHead(303, { location: String(session.success_url).replace("{CHECKOUT_SESSION_ID}", session.id) });
        res.end();
        return true;
      }
      const amount = `${(Number(session.amount_total) / 100).toFixed(2)} ${String(session.currency).toUpperCase()}`;
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        `<!doctype html><html lang="en"><head><title>Checkout (test stand-in)</title></head><body><main><h1>Pay ${amount}</h1>` +
          `<form method="post" action="/checkout/${session.id}/pay"><button type="submit">Pay ${amount}</button></form></main></body></html>`,
      );
      return true;
    }
    const connect = /^\/connect\/([^/]+)$/.exec(url.pathname);
    if (connect) {
      const account = objects.get(connect[1]!);
      if (!account) return false;
      const returnUrl = url.searchParams.get("return_url") ?? "/";
      if (req.method === "POST") {
        await finishOnboarding(account.id);
        res.writeHead(303, { location: returnUrl });
        res.end();
        return true;
      }
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        `<!doctype html><html lang="en"><head><title>Connect onboarding (test stand-in)</title></head><body><main><h1>Set up payouts</h1>` +
          `<form method="post" action="/connect/${account.id}?return_url=${encodeURIComponent(returnUrl)}"><button type="submit">Agree and submit</button></form></main></body></html>`,
      );
      return true;
    }
    return false;
  }

  async function finishOnboarding(accountId: string) {
    const account = get(accountId, "acct:account");
    Object.assign(account, { details_submitted: true, charges_enabled: true, payouts_enabled: true, capabilities: { transfers: "active" }, requirements: { currently_due: [], disabled_reason: null } });
    await emit("account.updated", account, { account: account.id });
  }

  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      void (async () => {
        if (await hosted(req, res)) return;
        const label = `${req.method ?? "GET"} ${new URL(req.url ?? "/", "http://stripe.local").pathname}`;
        const drop = drops.find((d) => label.startsWith(d.prefix) && d.times > 0);
        if (drop) drop.times--;
        if (drop && !drop.afterProcessing) return void req.socket.destroy();
        const answer = await api(req, body);
        if (drop) return void req.socket.destroy();
        const url = new URL(req.url ?? "/", "http://stripe.local");
        const key = req.headers["idempotency-key"];
        requests.push({ method: req.method ?? "GET", path: url.pathname, idempotencyKey: typeof key === "string" ? key : null, status: answer.status, replayed: answer.replayed });
        res.writeHead(answer.status, {
          "content-type": "application/json",
          "request-id": `req_${randomBytes(8).toString("hex")}`,
          ...(typeof key === "string" ? { "idempotency-key": key } : {}),
          ...(answer.replayed ? { "idempotent-replayed": "true" } : {}),
        });
        res.end(JSON.stringify(answer.body));
      })().catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    secretKey,
    webhookSecret,
    client: (options = {}) =>
      new Stripe(secretKey, { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: options.maxNetworkRetries ?? 2, telemetry: false }),
    setWebhookEndpoint: (url) => void (webhookEndpoint = url),
    requests,
    deliveries,
    events,
    objects,
    balance: { available, pending },
    pay,
    finishOnboarding,
    async reverseTransfer(transferId, amountMinor) {
      const transfer = get(transferId, "tr:transfer");
      const left = Number(transfer.amount) - Number(transfer.amount_reversed ?? 0);
      const taken = Math.min(amountMinor ?? left, left);
      transfer.amount_reversed = Number(transfer.amount_reversed ?? 0) + taken;
      transfer.reversed = Number(transfer.amount_reversed) >= Number(transfer.amount);
      add(available, String(transfer.currency), taken);
      await emit("transfer.reversed", transfer);
    },
    async failRefund(refundId) {
      const refund = get(refundId, "re:refund");
      const ch = get(String(refund.charge), "ch:charge");
      Object.assign(refund, { status: "failed", failure_reason: "expired_or_canceled_card" });
      ch.amount_refunded = Number(ch.amount_refunded) - Number(refund.amount);
      ch.refunded = false;
      add(available, String(refund.currency), Number(refund.amount));
      await emit("refund.failed", refund);
    },
    async expireSession(sessionId) {
      const session = get(sessionId, "cs:checkout.session");
      session.status = "expired";
      await emit("checkout.session.expired", publicView(session));
    },
    async openDispute(chargeId) {
      const ch = get(chargeId, "ch:charge");
      ch.disputed = true;
      const dispute: Obj = {
        id: stripeId("dp"),
        object: "dispute",
        amount: Number(ch.amount) - Number(ch.amount_refunded),
        currency: ch.currency,
        charge: ch.id,
        payment_intent: ch.payment_intent,
        reason: "fraudulent",
        status: "needs_response",
        evidence: {},
        created: nowS(),
      };
      objects.set(dispute.id, dispute);
      await emit("charge.dispute.created", dispute);
      return dispute;
    },
    async closeDispute(disputeId, status) {
      const dispute = get(disputeId, "dp:dispute");
      dispute.status = status;
      await emit("charge.dispute.closed", dispute);
    },
    settlePending() {
      for (const [currency, amount] of pending) add(available, currency, amount);
      pending.clear();
    },
    failNext(prefix, status, times = 1) {
      faults.push({ prefix, status, times });
    },
    dropNext(prefix, times, when) {
      drops.push({ prefix, times, afterProcessing: when === "after" });
    },
    deliver,
    holdHostedPayEvents: (hold: boolean) => {
      holdHostedEvents = hold;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
